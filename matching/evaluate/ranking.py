"""Ranking sections of the report: metrics per ranker on the known-answer and judged sets, and
the congestion and fairness of the engine's lists (exposure Gini, coverage, by group).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matching.evaluate.baselines import RANKERS, Rankers, rank_all
from matching.evaluate.known_answers import KnownAnswerCase
from matching.evaluate.metrics import (
    coverage,
    exposure_gini,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)
from matching.schemas import Person

__all__ = [
    "AGE_BANDS",
    "evaluate_fairness",
    "evaluate_ranking",
]

AGE_BANDS = ((16, 29, "16–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 120, "50+"))


def _mean(xs: Sequence[float]) -> float:
    return round(float(np.mean(xs)), 4) if len(xs) else float("nan")


def _ranking_metrics(
    lists: Sequence[Sequence[str]], rels: Sequence[Mapping[str, float]], k: int
) -> dict[str, float]:
    return {
        "ndcg@10": _mean([ndcg_at_k(lst, r, k) for lst, r in zip(lists, rels, strict=True)]),
        "recall@10": _mean([recall_at_k(lst, r, k) for lst, r in zip(lists, rels, strict=True)]),
        "mrr": _mean([reciprocal_rank(lst, r) for lst, r in zip(lists, rels, strict=True)]),
    }


def evaluate_ranking(
    rankers: Rankers,
    cases: Sequence[KnownAnswerCase],
    *,
    judged: Sequence[tuple[Person, dict[str, int]]] = (),
    k: int = 10,
) -> dict[str, Any]:
    """NDCG@k, Recall@k, MRR per ranker, overall and per noise kind (and on ``judged``)."""
    persons = [c.person for c in cases]
    rels = [c.relevance for c in cases]
    lists = rank_all(rankers, persons, k)
    overall = {name: _ranking_metrics(lists[name], rels, k) for name in RANKERS}
    by_noise: dict[str, dict[str, dict[str, float]]] = {}
    for kind in sorted({c.noise for c in cases}):
        idx = [i for i, c in enumerate(cases) if c.noise == kind]
        by_noise[kind] = {
            name: _ranking_metrics([lists[name][i] for i in idx], [rels[i] for i in idx], k)
            for name in RANKERS
        }
    out: dict[str, Any] = {
        "n_cases": len(cases),
        "mean_relevant": _mean([sum(v > 0 for v in r.values()) for r in rels]),
        "overall": overall,
        "by_noise": by_noise,
    }
    if judged:
        jl = rank_all(rankers, [p for p, _ in judged], k)
        out["judged"] = {
            name: _ranking_metrics(jl[name], [r for _, r in judged], k) for name in RANKERS
        }
        out["n_judged"] = len(judged)
    return out


def _age_band(age: int) -> str:
    return next((label for lo, hi, label in AGE_BANDS if lo <= age <= hi), "other")


def evaluate_fairness(
    engine: Any, persons: Sequence[Person], *, today: dt.date, k: int = 10
) -> dict[str, Any]:
    """Exposure Gini and coverage of the engine's top-``k`` lists, overall and by group.

    Groups: gender, age band (:data:`AGE_BANDS`) and district in charge. Per group also the
    share of persons with an empty list and the mean top-1 score, so a skew is visible.
    """
    items = engine.posting_ids_
    matches = [engine.recommend(p, k, today=today) for p in persons]
    lists = [[m.posting_id for m in ms] for ms in matches]

    def stats(idx: Sequence[int]) -> dict[str, float]:
        sub = [lists[i] for i in idx]
        return {
            "persons": len(idx),
            "gini": round(exposure_gini(sub, items), 4),
            "coverage": round(coverage(sub, items), 4),
            "mean_len": _mean([len(s) for s in sub]),
            "empty_share": _mean([len(s) == 0 for s in sub]),
            "mean_top1_score": _mean([matches[i][0].score for i in idx if matches[i]]),
        }

    groups: dict[str, dict[str, list[int]]] = {"gender": {}, "age_band": {}, "district": {}}
    for i, p in enumerate(persons):
        groups["gender"].setdefault(p.gender.value, []).append(i)
        groups["age_band"].setdefault(_age_band(p.age_on(today)), []).append(i)
        groups["district"].setdefault(p.district, []).append(i)
    exposure = Counter(i for lst in lists for i in lst)
    return {
        "overall": stats(range(len(persons))),
        "groups": {g: {v: stats(ix) for v, ix in sorted(d.items())} for g, d in groups.items()},
        "exposure_counts": sorted(exposure.values(), reverse=True),
        "n_postings": len(items),
    }
