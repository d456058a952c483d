"""The day's view of the open postings: the flat search over it selects exactly what filtering
and scoring every posting selected."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from conftest import insisting_board

from matching.config import MatchingConfig
from matching.rank.candidates import excluded_pairs, passing_top, top_passing
from matching.rank.dayview import DayView
from matching.rank.engine import MatchingEngine
from matching.rank.filters import open_on, passing
from matching.rank.tables import PersonTable

DAY = dt.date(2024, 10, 21)


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    postings, persons = insisting_board(800, 60, seed=7)
    engine = MatchingEngine(MatchingConfig()).fit(postings)
    return engine, engine.profiles(persons, today=DAY)


def test_the_view_holds_the_open_postings_and_their_attributes(world) -> None:  # type: ignore[no-untyped-def]
    engine, _ = world
    view = DayView.of(engine.table_, engine.vectors_, DAY)
    opened = open_on(engine.table_, DAY)
    assert 0 < view.rows.size < opened.size  # some are closed that day
    assert view.rows.tolist() == np.flatnonzero(opened).tolist()
    assert (view.position[view.rows] == np.arange(view.rows.size)).all()
    assert (view.position[~opened] == -1).all()
    for field, column in engine.table_.arrays().items():
        np.testing.assert_array_equal(getattr(view.table, field), column[view.rows])
    np.testing.assert_array_equal(view.vectors, engine.vectors_[view.rows])
    assert view.vectors.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(view.columns, view.vectors.T)  # the product's layout
    assert view.columns.flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("fetch", [1, 15, 200, 5000])
def test_search_over_the_view_equals_filtering_every_posting(world, fetch: int) -> None:  # type: ignore[no-untyped-def]
    """Same (profile, posting) pairs as the hard filters over the whole table and the cut over
    every posting, exclusions and ties included (small integer vectors: exact products, many
    equal scores)."""
    engine, profiles = world
    rng = np.random.default_rng(fetch)
    n = engine.index_.ntotal
    vectors = rng.integers(-2, 3, (n, 6)).astype(np.float32)
    queries = rng.integers(-2, 3, (len(profiles), 6)).astype(np.float32)
    # declined postings: open and closed ones, some passing the filters and some not
    ids = engine.posting_ids_
    profiles = [
        replace(p, exclude_posting_ids=frozenset(ids[i % 5 :: 23])) for i, p in enumerate(profiles)
    ]
    persons = PersonTable.from_profiles(profiles)
    everyone = np.arange(len(profiles))
    excluded = excluded_pairs(profiles, engine.row_of_, n)
    assert excluded.size
    view = DayView.of(engine.table_, vectors, DAY)
    who, rows = passing_top(queries, persons, everyone, excluded, fetch, view=view, n=n,
                            config=engine.config_, max_cells=5000)  # fmt: skip

    keep = passing(persons, everyone, engine.table_, today=DAY, config=engine.config_)
    assert keep.any(axis=1).all() and (keep.sum(axis=1) < view.rows.size).any()  # filters bite
    keep[excluded // n, excluded % n] = False
    want_who, want_rows = top_passing(queries, vectors, keep, fetch)
    assert who.tolist() == want_who.tolist()
    assert rows.tolist() == want_rows.tolist()
