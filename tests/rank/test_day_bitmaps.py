"""The day's filters as bitmaps (what an IVF search selects by): a profile's passing rows made
of the kept education, age and district bitmaps are exactly the rows the hard filters pass over
every posting, and the IVF candidates searched among them are those searched among the full
mask."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from conftest import insisting_board

from matching.config import MatchingConfig
from matching.rank.candidates import excluded_pairs, passing_top
from matching.rank.dayview import DayView
from matching.rank.engine import MatchingEngine
from matching.rank.filters import DayBitmaps, passing
from matching.rank.tables import PersonTable
from matching.retrieve.index import VectorIndex

DAY = dt.date(2024, 10, 21)


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    """800 generated postings (some filled), 80 persons: every other one insists on the
    地点要求 (districts or a radius become hard filters), some of unknown age."""
    postings, persons = insisting_board(800, 80, seed=11)
    engine = MatchingEngine(MatchingConfig()).fit(postings)
    profiles = engine.profiles(persons, today=DAY)
    ages = {3: None, 5: 70}  # unknown, and past the working ages built ahead
    profiles = [replace(p, age=ages[i % 7]) if i % 7 in ages else p for i, p in enumerate(profiles)]
    return engine, profiles


def _filtered_rows(engine, persons: PersonTable) -> list[list[int]]:  # type: ignore[no-untyped-def]
    keep = passing(persons, np.arange(persons.age.size), engine.table_, today=DAY,
                   config=engine.config_)  # fmt: skip
    return [np.flatnonzero(row).tolist() for row in keep]


def test_bitmaps_pass_the_rows_the_filters_pass_over_every_posting(world) -> None:  # type: ignore[no-untyped-def]
    engine, profiles = world
    persons = PersonTable.from_profiles(profiles)
    # the board has what each filter acts on: districts, radii, unknown ages, requirements
    assert (~persons.allowed.all(axis=1)).any() and np.isfinite(persons.max_km).any()
    assert (persons.age < 0).any() and (engine.table_.education_min > 0).any()
    assert (engine.table_.age_max >= 0).any()
    want = _filtered_rows(engine, persons)
    view = DayView.of(engine.table_, engine.vectors_, DAY)
    n = engine.index_.ntotal
    for _ in range(2):  # built the first time, then kept
        got = [view.bitmaps.passing(persons, i, config=engine.config_) for i in range(len(want))]
        assert [b.rows(n).tolist() for b in got] == want
        assert [b.count for b in got] == [len(w) for w in want]
        # the first search of the day built every working age's bitmap, then the others asked
        assert set(view.bitmaps._age) == set(range(engine.config_.min_working_age, 64)) | {70}
    assert sum(len(w) < view.rows.size for w in want) > len(want) // 3  # the filters bite


def test_district_sets_not_kept_are_built_again_the_same(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine, profiles = world
    persons = PersonTable.from_profiles(profiles)
    monkeypatch.setattr(DayBitmaps, "MAX_DISTRICT_SETS", 0)
    view = DayView.of(engine.table_, engine.vectors_, DAY)
    n = engine.index_.ntotal
    got = [view.bitmaps.passing(persons, i, config=engine.config_).rows(n).tolist()
           for i in range(len(profiles))]  # fmt: skip
    assert got == _filtered_rows(engine, persons)
    assert not view.bitmaps._district


def test_ivf_candidates_are_those_searched_among_the_full_mask(world) -> None:  # type: ignore[no-untyped-def]
    """Exclusions (open and closed postings, passing or not) included."""
    engine, profiles = world
    n = engine.index_.ntotal
    ids = engine.posting_ids_
    profiles = [
        replace(p, exclude_posting_ids=frozenset(ids[i % 5 :: 17])) for i, p in enumerate(profiles)
    ]
    persons = PersonTable.from_profiles(profiles)
    excluded = excluded_pairs(profiles, engine.row_of_, n)
    ivf = VectorIndex(exact_max=100, nprobe=2).build(engine.vectors_)
    assert ivf.kind_ == "ivf"
    queries = engine.vectors_[np.arange(len(profiles)) * 7]
    everyone = np.arange(len(profiles))
    view = DayView.of(engine.table_, engine.vectors_, DAY)
    for fetch in (5, 60):
        who, rows = passing_top(queries, persons, everyone, excluded, fetch, view=view, n=n,
                                config=engine.config_, index=ivf)  # fmt: skip
        keep = passing(persons, everyone, engine.table_, today=DAY, config=engine.config_)
        keep[excluded // n, excluded % n] = False
        for i in everyone:
            want = np.sort(ivf.search(queries[i : i + 1], fetch, keep[i])[0][0])
            assert rows[who == i].tolist() == want.tolist()
            assert keep[i, rows[who == i]].all()
