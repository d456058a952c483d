"""Evaluation: metrics, known-answer sets, baselines, the judged-dev set, the quality report.

Everything here is deterministic for a seed and prints nothing.

- :mod:`~matching.evaluate.metrics`: :func:`ndcg_at_k`, :func:`recall_at_k`,
  :func:`reciprocal_rank`, :func:`gini`, :func:`exposure_gini`, :func:`coverage`
- :mod:`~matching.evaluate.generated`: :func:`generated_postings`, :func:`generated_persons`
- :mod:`~matching.evaluate.known_answers`: :func:`known_answer_cases`, :func:`read_judged`
- :mod:`~matching.evaluate.baselines`: :func:`rank_all` (engine, exhaustive, random,
  popularity, category filter, BM25)
- sections: :func:`evaluate_ranking`, :func:`evaluate_fairness` (:mod:`~matching.evaluate.ranking`),
  :func:`evaluate_parsers` (:mod:`~matching.evaluate.parsers`), :func:`evaluate_categories`
  (:mod:`~matching.evaluate.categories`)
- :mod:`~matching.evaluate.judged`: :func:`load_judged_dev`, :func:`evaluate_judged` (judged-dev
  read through the bureau-file readers; engine vs random, BM25, category-then-district)
- :func:`run_evaluation` (:mod:`~matching.evaluate.run`), :func:`write_report`
  (:mod:`~matching.evaluate.report`)
"""

from __future__ import annotations

from matching.evaluate.baselines import rank_all
from matching.evaluate.categories import evaluate_categories
from matching.evaluate.generated import generated_persons, generated_postings
from matching.evaluate.judged import evaluate_judged, load_judged_dev
from matching.evaluate.known_answers import KnownAnswerCase, known_answer_cases, read_judged
from matching.evaluate.metrics import (
    coverage,
    exposure_gini,
    gini,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)
from matching.evaluate.parsers import evaluate_parsers
from matching.evaluate.ranking import evaluate_fairness, evaluate_ranking
from matching.evaluate.report import write_report
from matching.evaluate.run import default_shared_dir, run_evaluation

__all__ = [
    "KnownAnswerCase",
    "coverage",
    "default_shared_dir",
    "evaluate_categories",
    "evaluate_fairness",
    "evaluate_judged",
    "evaluate_parsers",
    "evaluate_ranking",
    "exposure_gini",
    "generated_persons",
    "generated_postings",
    "gini",
    "known_answer_cases",
    "load_judged_dev",
    "ndcg_at_k",
    "rank_all",
    "read_judged",
    "recall_at_k",
    "reciprocal_rank",
    "run_evaluation",
    "write_report",
]
