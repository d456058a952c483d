"""Neighbouring job categories (matching.domain.neighbours): the table and the rule behind it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matching.domain.categories import Category
from matching.domain.neighbours import NEIGHBOUR_PAIRS, near_categories, neighbour_pairs

C = Category


@pytest.mark.parametrize(
    ("ticked", "near"),
    [
        ((C.F,), {C.E, C.H, C.J, C.M, C.R}),  # 销售: 保险营销, 物业招商, 营业员 …
        ((C.E,), {C.F, C.R}),  # 财务/保险 and 市场营销 share 经济和金融专业人员
        ((C.I,), {C.L}),  # 餐饮 and 酒店 share 住宿和餐饮服务人员
        ((C.A,), {C.K, C.R}),  # 家政 and 保健按摩 share 居民服务人员
        ((C.D, C.H), {C.F, C.G, C.L, C.R}),  # neighbours of either, not the ticked
        ((C.E, C.F), {C.H, C.J, C.M, C.R}),  # a ticked one is never "near"
        ((C.C,), set()),  # 快递外卖 has no neighbour in the classification
        ((C.Q,), set()),
        ((), set()),
    ],
)
def test_near_categories(ticked: tuple[Category, ...], near: set[Category]) -> None:
    assert near_categories(ticked) == frozenset(near)


@pytest.mark.parametrize(
    ("rows", "pairs"),
    [
        # two of each in one 中类: neighbours
        ([("4-03-01-01", "I"), ("4-03-01-02", "I"), ("4-03-02-01", "L"), ("4-03-02-02", "L")],
         {"IL"}),
        # one stray label is no neighbour
        ([("4-03-01-01", "I"), ("4-03-01-02", "I"), ("4-03-02-01", "L")], set()),
        # the same two in different 中类: no neighbour
        ([("4-03-01-01", "I"), ("4-03-01-02", "I"), ("4-04-01-01", "L"), ("4-04-01-02", "L")],
         set()),
        # two of 40 is under a tenth of the group: no neighbour
        ([(f"2-02-01-{i:02d}", "O") for i in range(38)] + [("2-02-02-01", "N"), ("2-02-02-02", "N")],
         set()),
    ],
)  # fmt: skip
def test_the_rule(rows: list[tuple[str, str]], pairs: set[str]) -> None:
    got = {"".join(sorted(c.value for c in pair)) for pair in neighbour_pairs(rows)}
    assert got == pairs


def test_the_table_is_what_the_classification_gives(shared_data: Path) -> None:
    path = shared_data / "labels" / "occupation_labels_dev.csv"
    if not path.is_file():
        pytest.skip(f"needs {path}")
    with path.open(encoding="utf-8") as f:
        rows = [(r["code"], r["label"]) for r in csv.DictReader(f)]
    assert neighbour_pairs(rows) == set(NEIGHBOUR_PAIRS)
