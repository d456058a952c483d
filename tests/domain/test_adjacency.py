"""Tests for matching.domain.adjacency: the table of districts that share a border."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matching.domain import divisions
from matching.domain.adjacency import BORDERS, bordering, check_borders


@pytest.mark.parametrize(
    "district, expected",
    [
        # the outer districts have neighbours too (a 15 km radius between centres gave none)
        ("津南区", {"滨海新区", "河西区", "东丽区", "西青区"}),
        ("武清区", {"西青区", "北辰区", "宝坻区", "宁河区"}),
        ("静海区", {"滨海新区", "西青区"}),
        ("蓟州区", {"宝坻区"}),
        ("宁河区", {"滨海新区", "东丽区", "北辰区", "武清区", "宝坻区"}),
        ("和平区", {"河东区", "河西区", "南开区", "河北区"}),
        ("河西", {"和平区", "河东区", "南开区", "东丽区", "西青区", "津南区"}),  # short name
        ("塘沽", {"东丽区", "西青区", "津南区", "静海区", "宁河区"}),  # former district
        ("120104", {"和平区", "河西区", "红桥区", "西青区", "河北区"}),  # code
        # checked against public sources (see the module doc): 南开–河北 border by the river
        ("河北区", {"和平区", "河东区", "南开区", "红桥区", "东丽区", "北辰区"}),
        ("红桥区", {"南开区", "河北区", "西青区", "北辰区"}),
        ("北辰区", {"河北区", "红桥区", "东丽区", "西青区", "武清区", "宁河区"}),
        ("宝坻区", {"武清区", "宁河区", "蓟州区"}),
        ("朝阳区", set()),  # not in Tianjin
    ],
)
def test_bordering(district: str, expected: set[str]) -> None:
    assert set(bordering(district)) == expected


def test_table_is_symmetric_and_everyone_has_a_neighbour() -> None:
    check_borders()
    for name in divisions.NAMES:
        assert bordering(name), name
        assert name not in bordering(name)
        for other in bordering(name):
            assert name in bordering(other)


def test_far_apart_districts_do_not_border() -> None:
    assert "蓟州区" not in bordering("滨海新区")
    assert "和平区" not in bordering("北辰区")
    assert "静海区" not in bordering("津南区")
    assert "红桥区" not in bordering("和平区")  # 南开区 and 河北区 lie between
    assert "宝坻区" not in bordering("北辰区")  # 武清区 and 宁河区 lie between


def test_names_and_codes_match_the_division_table(shared_data: Path) -> None:
    with (shared_data / "divisions" / "areas.csv").open(encoding="utf-8") as f:
        areas = {row["name"]: row["code"] for row in csv.DictReader(f) if row["code"][:4] == "1201"}
    named = {n for pair in BORDERS for n in pair}
    assert named == set(areas) == set(divisions.NAMES)
    for name in named:
        assert divisions.BY_NAME[name].code == areas[name]
