"""Candidate pairs: exposure caps per posting and the Gini coefficient of exposure."""

from __future__ import annotations

import pytest

from matching.nightly.pairs import exposure_caps, gini


@pytest.mark.parametrize(
    ("headcounts", "multiple", "expected"),
    [([3, None, 0], 10, [30, 20, 20]), ([1], 20, [20]), ([1], 0.1, [1])],
)
def test_exposure_caps(headcounts, multiple, expected) -> None:  # type: ignore[no-untyped-def]
    assert exposure_caps(headcounts, multiple=multiple, default_headcount=2).tolist() == expected


@pytest.mark.parametrize(
    ("values", "expected"), [([], 0.0), ([0, 0], 0.0), ([5, 5, 5], 0.0), ([0, 0, 0, 4], 0.75)]
)
def test_gini(values: list[int], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)
