"""Ranking and exposure metrics on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.evaluate.metrics import (
    coverage,
    exposure_gini,
    gini,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)

L2 = math.log2


@pytest.mark.parametrize(
    ("ranked", "rel", "k", "expected"),
    [
        (["a", "b", "c"], {"a": 2, "b": 1}, 10, 1.0),  # ideal order
        (["b", "a"], {"a": 2, "b": 1}, 10, (1 + 2 / L2(3)) / (2 + 1 / L2(3))),
        (["x", "a"], {"a": 1}, 10, 1 / L2(3)),
        (["x", "y"], {"a": 1}, 10, 0.0),
        (["x", "a"], {"a": 1}, 1, 0.0),  # cut at k
        ([], {}, 10, 0.0),  # nothing relevant
    ],
)
def test_ndcg_known_rankings(
    ranked: list[str], rel: dict[str, int], k: int, expected: float
) -> None:
    assert ndcg_at_k(ranked, rel, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranked", "rel", "k", "recall", "rr"),
    [
        (["x", "a", "b"], {"a": 1, "b": 2, "c": 1}, 10, 2 / 3, 1 / 2),
        (["x", "a"], {"a": 1, "b": 1, "c": 1}, 1, 0.0, 1 / 2),
        (["a"], {"a": 1, "b": 1}, 1, 1.0, 1.0),  # denominator min(k, #relevant)
        (["x"], {"a": 0}, 10, 0.0, 0.0),  # grade 0 is not relevant
    ],
)
def test_recall_and_reciprocal_rank(
    ranked: list[str], rel: dict[str, int], k: int, recall: float, rr: float
) -> None:
    assert recall_at_k(ranked, rel, k) == pytest.approx(recall)
    assert reciprocal_rank(ranked, rel) == pytest.approx(rr)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3, 3, 3, 3], 0.0), ([0, 0, 0, 4], 0.75), ([0, 1], 0.5), ([1, 2, 3], 2 / 9), ([], 0.0)],
)
def test_gini_equal_and_unequal(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


@given(st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_gini_bounds_and_scale_invariance(values: list[int]) -> None:
    g = gini(values)
    assert 0.0 <= g <= 1.0
    assert gini([3 * v for v in values]) == pytest.approx(g)


def test_exposure_counts_unshown_items() -> None:
    lists = [["a", "b"], ["a"], ["a"]]
    assert exposure_gini(lists, ["a", "b"]) == pytest.approx(gini([3, 1]))
    assert exposure_gini(lists, ["a", "b", "c", "d"]) == pytest.approx(gini([3, 1, 0, 0]))
    assert coverage(lists, ["a", "b", "c", "d"]) == 0.5
    with pytest.raises(ValueError, match="non-negative"):
        gini([-1, 2])
