"""What a profile keeps of a person's wording, and the reasons worked out once per person.

The parsers of a person's text fields are kept by their strings (``matching.rank.profiles``,
``parse_location_requirement``); a person's side of the reasons is built once for all the
postings shown to them (:class:`PersonReasons`). Neither may change what a person is told.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank import profiles as P
from matching.rank.profiles import make_profile
from matching.rank.reasons import PersonReasons, ReasonParts
from matching.understand.certificates import held
from matching.understand.experience import held_trades
from matching.understand.limits import LIVE_IN, parse_limits
from matching.understand.location import parse_location_requirement
from matching.understand.location import requirement as R
from matching.understand.salary import parse_expected_pay, salary_period
from matching.understand.schedule import parse_availability
from matching.understand.workload import parse_workload
from tests.conftest import loc, real_postings

TODAY = dt.date(2024, 10, 21)
CACHES = (P._note_facts, P._certificates, P._trades, P._near, P._plain_needs, R._parsed)


def _clear() -> None:
    for cache in CACHES:
        cache.cache_clear()


def _persons(shared_data: Path) -> list[dict]:
    lines = (shared_data / "judged-dev" / "persons.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _profile(r: dict):
    positions = [w.get("position") or "" for w in r.get("work_history") or []]
    return make_profile(
        ticked=[Category(c) for c in r.get("wanted_categories") or []],
        expected_pay=parse_expected_pay(r.get("expected_pay") or ""),
        home=loc(r["district"]) if r.get("district") else None,
        location_requirement=r.get("location_requirement") or "",
        note=r.get("notes") or "",
        expected_pay_text=r.get("expected_pay") or "",
        skills=r.get("skills") or "",
        positions=positions,
        text=r.get("skills") or "",
    )


def test_kept_parsers_read_real_wording_as_the_parsers_do(shared_data: Path) -> None:
    persons = _persons(shared_data)
    assert len(persons) >= 30
    _clear()
    for r in persons:
        note, pay, skills = r.get("notes") or "", r.get("expected_pay") or "", r.get("skills") or ""
        positions = tuple(w.get("position") or "" for w in r.get("work_history") or [])
        hours, workload, limits, period = P._note_facts(note, pay)
        assert hours == parse_availability(note)
        assert workload == parse_workload(note, pay)
        assert period == salary_period(pay)
        plain = parse_limits(note)
        assert limits.bits & ~LIVE_IN == plain.bits & ~LIVE_IN
        assert limits.said[: len(plain.said)] == plain.said
        assert P._certificates(skills, note) == held(f"{skills}，{note}")
        assert P._trades(skills, positions) == held_trades(skills, list(positions))
        home = loc(r["district"])
        req = r.get("location_requirement") or ""
        assert parse_location_requirement(req, home) == R._parsed.__wrapped__(req, home.district)
    # the same persons again, from what was kept: the same profiles as built from nothing
    warm = [_profile(r) for r in persons]
    assert P._note_facts.cache_info().hits > 0 and R._parsed.cache_info().hits > 0
    _clear()
    assert [_profile(r) for r in persons] == warm


def test_home_district_is_part_of_what_a_requirement_is_kept_by() -> None:
    """ "本区" means the person's own district: two homes, two different requirements."""
    _clear()
    west = parse_location_requirement("只在本区", loc("河西区"))
    south = parse_location_requirement("只在本区", loc("南开区"))
    assert west.districts == frozenset({"河西区"}) and south.districts == frozenset({"南开区"})
    assert parse_location_requirement("只在本区", None).understood is False


def test_what_is_kept_cannot_be_changed_by_one_person_for_the_next() -> None:
    _clear()
    note = "孩子上学，只能上午9点到下午3点，不能干重活"
    first = make_profile(note=note, skills="持叉车证", ticked=[Category.E], positions=["叉车工"])
    hours, workload, limits, _ = P._note_facts(note, "")
    for kept in (hours, workload, limits, parse_location_requirement("河西区及周边")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(kept, dataclasses.fields(kept)[0].name, None)
    assert isinstance(limits.said, tuple) and isinstance(
        P._near(frozenset([Category.E])), frozenset
    )
    second = make_profile(note=note, skills="持叉车证", ticked=[Category.E], positions=["叉车工"])
    assert second == first and second.limits_said == first.limits_said
    assert first.limits & LIVE_IN and first.certificates and first.trades


def test_one_persons_reasons_over_many_postings_equal_each_built_alone(shared_data: Path) -> None:
    """:class:`PersonReasons` keeps what it worked out per district and publishing day: a
    posting's reasons do not depend on which postings were explained before it."""
    config = MatchingConfig()
    parts = [ReasonParts.of(p, config) for p in real_postings(shared_data)[:400]]
    parts = [
        dataclasses.replace(
            x,
            where=["河西区", "南开区", "武清区", "滨海新区"][k % 4],
            valid_from=TODAY - dt.timedelta(days=k % 5),
        )
        for k, x in enumerate(parts)
    ]
    assert any(x.demands or x.certificates != (0, 0) or x.trades or x.shift for x in parts)
    for r in _persons(shared_data)[:12]:
        profile = _profile(r)
        person = PersonReasons(profile, TODAY)
        distances = [None, float("nan"), 3.2, 41.0]
        once = [person(x, distances[k % 4], ("叉车",)) for k, x in enumerate(parts)]
        alone = [
            PersonReasons(profile, TODAY)(x, distances[k % 4], ("叉车",))
            for k, x in reversed(list(enumerate(parts)))
        ]
        assert once == alone[::-1]
