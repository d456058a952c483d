"""Preparing a day: the open postings' reason parts are built ahead of the first request, and
what the engine answers is the same as when they are built on first display."""

from __future__ import annotations

import datetime as dt

import pytest

from matching.config import MatchingConfig
from matching.rank.engine import MatchingEngine
from matching.rank.filters import open_on
from matching.rank.reasons import ReasonParts
from matching.schemas import Match

DAY = dt.date(2024, 10, 21)


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    """700 generated postings, every 11th filled (closed whatever the day), and 80 persons."""
    from matching.evaluate.generated import generated_persons, generated_postings

    postings = generated_postings(700, seed=11)[0]
    for i in range(2, len(postings), 11):
        postings[i] = postings[i].model_copy(update={"filled": True})
    return postings, generated_persons(80, seed=11)[0]


def test_prepare_day_builds_the_reason_parts_of_exactly_the_open_postings(world) -> None:  # type: ignore[no-untyped-def]
    postings, _ = world
    engine = MatchingEngine(MatchingConfig()).fit(postings)
    opened = open_on(engine.table_, DAY)
    assert 0 < opened.sum() < len(postings)  # some are closed that day: they are left out
    assert engine.prepare_day(DAY) == int(opened.sum())
    cache = engine.__dict__["_reason_parts_cache"]
    assert sorted(cache) == [int(r) for r in opened.nonzero()[0]]
    for row, parts in cache.items():
        assert parts == ReasonParts.of(engine.postings_[row], engine.config_)
    assert engine.prepare_day(DAY) == 0  # a second call builds nothing


def test_a_prepared_engine_answers_exactly_what_an_unprepared_one_answers(world) -> None:  # type: ignore[no-untyped-def]
    postings, persons = world
    lazy = MatchingEngine(MatchingConfig()).fit(postings)
    ready = MatchingEngine(MatchingConfig()).fit(postings)
    ready.prepare_day(DAY)
    got = ready.recommend_many(persons, 10, today=DAY)
    assert got == lazy.recommend_many(persons, 10, today=DAY)
    assert sum(len(m) for m in got) > 300
    # the matches are what validation makes of the same fields (types included: the JSON
    # the service writes is the same)
    for match in (m for ms in got for m in ms):
        again = Match.model_validate(match.model_dump())
        assert again == match
        assert again.model_dump_json() == match.model_dump_json()
        assert all(type(t.weight) is float and type(t.value) is float for t in match.terms)
