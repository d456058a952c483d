"""Candidate pairs and the figures of an allocation of them.

:class:`Candidates` holds the (person, posting, score) pairs as parallel arrays;
:func:`exposure_caps` gives each posting its cap (``multiple × headcount``); :func:`exposure`,
:func:`total_score` and :func:`gini` measure a chosen set of pairs (the run report shows them
for the capped and the uncapped allocation). The algorithms that choose the pairs are in
:mod:`matching.nightly.allocation`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate pairs as parallel arrays (one entry per pair; a pair occurs at most once).

    Attributes
    ----------
    person : int array (m,)
        Person index, 0 ≤ person < n_persons.
    posting : int array (m,)
        Posting index, 0 ≤ posting < n_postings.
    score : float array (m,)
        Fit score of the pair (higher is better).
    """

    person: IntArray
    posting: IntArray
    score: FloatArray

    def __post_init__(self) -> None:
        if not (self.person.shape == self.posting.shape == self.score.shape):
            raise ValueError("person, posting and score must have the same length / 长度不一致")

    @property
    def size(self) -> int:
        return int(self.score.size)


def exposure_caps(
    headcounts: list[int | None] | npt.ArrayLike,
    *,
    multiple: float = 20.0,
    default_headcount: int = 2,
    minimum: int = 1,
) -> IntArray:
    """Cap per posting: ``multiple × headcount`` (``default_headcount`` when unknown or 0).

    Examples
    --------
    >>> exposure_caps([3, None, 0], multiple=10, default_headcount=2).tolist()
    [30, 20, 20]
    """
    hc = np.array(
        [default_headcount if (h is None or h <= 0) else h for h in headcounts], dtype=np.float64
    )
    return np.maximum(minimum, np.floor(hc * multiple)).astype(np.int64)


def total_score(c: Candidates, chosen: npt.NDArray[np.bool_]) -> float:
    """Sum of the scores of the chosen pairs."""
    return float(c.score[chosen].sum())


def exposure(c: Candidates, chosen: npt.NDArray[np.bool_], n_postings: int) -> IntArray:
    """How many persons each posting is sent to."""
    return np.bincount(c.posting[chosen], minlength=n_postings).astype(np.int64)


def gini(values: npt.ArrayLike) -> float:
    """Gini coefficient of non-negative values (0 = all equal; 0 for an empty or all-zero input).

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 4]), 2)
    0.75
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)
