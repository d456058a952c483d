"""Ranking and exposure metrics: NDCG@k, Recall@k, reciprocal rank, Gini, coverage.

Pure functions over ranked id lists and relevance grades; no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "coverage",
    "exposure_gini",
    "gini",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank",
]


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float:
    """Normalised discounted cumulative gain of ``ranked`` (gain = grade, log2 discount).

    Returns 0.0 when no item is relevant (a query nobody could answer scores nothing).

    Examples
    --------
    >>> round(ndcg_at_k(["a", "b"], {"b": 1}, k=2), 4)
    0.6309
    """
    gains = [float(relevance.get(i, 0.0)) for i in ranked[:k]]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    ideal = sorted((float(v) for v in relevance.values() if v > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float:
    """Share of the relevant items (grade > 0) found in the top ``k``; at most ``k`` are needed.

    The denominator is ``min(k, #relevant)`` so a query with 40 right answers can reach 1.0.
    """
    relevant = {i for i, v in relevance.items() if v > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / min(k, len(relevant))


def reciprocal_rank(ranked: Sequence[str], relevance: Mapping[str, float]) -> float:
    """1 / rank of the first relevant item, 0.0 when none is ranked (MRR = the mean)."""
    for r, i in enumerate(ranked, start=1):
        if relevance.get(i, 0) > 0:
            return 1.0 / r
    return 0.0


def gini(values: Sequence[float] | npt.NDArray[np.float64]) -> float:
    """Gini coefficient of non-negative values: 0 = all equal, → 1 = one holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    if n == 0 or x.sum() == 0:
        return 0.0
    if (x < 0).any():
        raise ValueError("gini needs non-negative values / 基尼系数要求非负值")
    ranks = np.arange(1, n + 1)
    return float((2 * np.sum(ranks * x) / (n * x.sum())) - (n + 1) / n)


def exposure_gini(lists: Sequence[Sequence[str]], items: Sequence[str]) -> float:
    """Gini of how often each of ``items`` appears in ``lists`` (items never shown count as 0)."""
    counts = Counter(i for lst in lists for i in lst)
    return gini([counts.get(i, 0) for i in items])


def coverage(lists: Sequence[Sequence[str]], items: Sequence[str]) -> float:
    """Share of ``items`` that appear in at least one list."""
    if not items:
        return 0.0
    shown = {i for lst in lists for i in lst}
    return len(shown.intersection(items)) / len(items)
