"""Job fairs: pick the postings of a theme that fit the most registered persons.

Demand of a posting = how many registered persons (in the theme's districts) it fits well, i.e.
whose pair score with it, by the same scorer as recommendations, reaches ``fit_threshold``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.domain.categories import ALL as ALL_CATEGORIES
from matching.domain.categories import Category
from matching.exceptions import NotFittedError
from matching.rank.engine import MatchingEngine
from matching.rank.filters import open_on
from matching.rank.scoring import score_pairs

_CHUNK = 64  # postings scored per sparse product (bounds memory at persons × chunk floats)


@dataclass(frozen=True, slots=True)
class JobFairPosting:
    """A themed posting with its demand: fitting persons in total, by district and by category."""

    posting_id: str
    fit_count: int
    by_district: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)


def theme_rows(
    engine: MatchingEngine,
    *,
    categories: Sequence[str] = (),
    districts: Sequence[str] = (),
    keywords: Sequence[str] = (),
    day: dt.date,
) -> list[int]:
    """Rows of the postings valid on ``day``, not filled, matching every given part of the theme.

    Keywords match the title or description (any keyword suffices).
    """
    mask = open_on(engine.table_, day)
    if categories:
        cats = [ALL_CATEGORIES.index(Category(c)) for c in categories]
        mask &= np.isin(engine.table_.category, cats)
    if districts:
        mask &= np.isin([p.district for p in engine.postings_], list(districts))
    words = [w.strip() for w in keywords if w.strip()]
    rows = [int(i) for i in np.flatnonzero(mask)]
    if words:
        rows = [
            i
            for i in rows
            if any(
                w in engine.postings_[i].title or w in engine.postings_[i].description
                for w in words
            )
        ]
    return rows


def select_postings(
    engine: MatchingEngine,
    *,
    categories: Sequence[str] = (),
    districts: Sequence[str] = (),
    keywords: Sequence[str] = (),
    day: dt.date,
    limit: int = 50,
    fit_threshold: float = 0.6,
) -> list[JobFairPosting]:
    """The ``limit`` themed postings with the highest demand, most demanded first.

    Persons are those indexed by :meth:`MatchingEngine.fit_persons`, restricted to the theme's
    districts (district in charge) when given.
    """
    if not hasattr(engine, "person_table_"):
        raise NotFittedError("No persons indexed. Call engine.fit_persons() first.")
    rows = theme_rows(
        engine, categories=categories, districts=districts, keywords=keywords, day=day
    )
    if not rows or not engine.person_ids_:
        return []
    prow = np.arange(len(engine.person_ids_), dtype=np.int64)
    if districts:
        prow = prow[np.isin(engine.person_districts_, list(districts))]
    if prow.size == 0:
        return [JobFairPosting(engine.posting_ids_[r], 0) for r in rows[:limit]]
    persons_sparse = engine.person_sparse_[prow]
    results = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        sims = (persons_sparse @ engine.sparse_[chunk].T).toarray()
        for j, row in enumerate(chunk):
            scored = score_pairs(
                engine.person_table_,
                prow,
                engine.table_,
                np.full(prow.shape, row, np.int64),
                sims[:, j],
                today=day,
                config=engine.config_,
            )
            fit = prow[scored.keep[scored.score >= fit_threshold]]
            by_district = Counter(str(d) for d in engine.person_districts_[fit])
            ticked = engine.person_table_.ticked[fit].sum(axis=0)
            by_category = {ALL_CATEGORIES[c].value: int(n) for c, n in enumerate(ticked) if n > 0}
            results.append(
                JobFairPosting(
                    engine.posting_ids_[row], int(fit.size), dict(by_district), by_category
                )
            )
    results.sort(key=lambda r: (-r.fit_count, r.posting_id))
    return results[:limit]
