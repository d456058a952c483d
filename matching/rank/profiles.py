"""Profiles: what ranking knows about a person (or a walk-in job seeker).

A :class:`Profile` holds the wanted and inferred categories, the expected pay, the home, the
location requirement resolved to a hard filter, education, age, the words that describe the
person, and the postings never to return. Built from a stored :class:`~matching.schemas.Person`
(:func:`build_profile`, :func:`build_profiles`) or from plain fields (:func:`make_profile`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.domain.retirement import of_working_age
from matching.schemas import Education, Location, Person, PersonStatus, SalaryRange
from matching.understand.limits import LIVE_IN, Limits, parse_limits
from matching.understand.schedule import Availability, parse_availability, plain_needs
from matching.understand.workload import Workload, monthly_equivalent, parse_workload

_R = TypeVar("_R", int, npt.NDArray[np.float32])


@dataclass(frozen=True, slots=True)
class Profile:
    """What ranking needs to know about a person (or an ad-hoc walk-in profile)."""

    ticked: frozenset[Category] = frozenset()
    ticked_order: tuple[Category, ...] = ()  # as ticked on the form: the first is preferred
    inferred: frozenset[Category] = frozenset()
    near: frozenset[Category] = frozenset()  # neighbours of a ticked one (domain.neighbours)
    expected_min_yuan: float | None = None
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    allowed_districts: frozenset[str] | None = None  # hard filter (只/仅/必须); None = any
    max_km: float | None = None  # hard radius (只/仅/必须)
    wanted_districts: frozenset[str] | None = None  # a preference: outside costs, never hides
    wanted_km: float | None = None  # preferred radius from home
    requirement_text: str = ""  # the 地点要求 as written, when it names a place or a radius
    education: Education = Education.NONE
    age: int | None = None
    text: str = ""
    exclude_posting_ids: frozenset[str] = field(default_factory=frozenset)
    days_only: bool = False  # 备注 rules out nights, evenings and rotating shifts
    free_from: float | None = None  # 备注: hours of the day the person can work
    free_until: float | None = None
    hours_said: str = ""  # the words of 备注 that said so
    # 备注: hours a day and days a month the person can work (hourly and daily pay are scaled
    # to them, see matching.understand.workload); health limits and family ties as a bit set
    # (matching.understand.limits) with the words that said each
    hours_per_day: float = 8.0
    days_per_month: float = 21.75
    workload_said: str = ""
    part_time: bool = False  # seeks part of a day: a full-time posting is too long a day
    limits: int = 0
    limits_said: tuple[str, ...] = ()
    certificates: int = 0  # held, from 专业/技能 and 备注 (matching.understand.certificates)
    trades: int = 0  # worked in or trained for: 专业/技能 and positions (understand.experience)
    street: str | None = None  # the street (街道/镇) of the home: 公益性岗位 are for one street


def ticked_value(rank: _R, config: MatchingConfig) -> _R:
    """The category term of the ``rank``-th ticked category (0 = first ticked; a number or an
    array of them): the form's order is the person's preference, so later ones count a little
    less, never below ``category_ticked_floor``.

    Examples
    --------
    >>> [float(ticked_value(r, MatchingConfig())) for r in (0, 1, 2, 5)]
    [1.0, 0.9, 0.8, 0.8]
    """
    return np.maximum(  # type: ignore[return-value]
        config.category_ticked - config.category_ticked_step * rank, config.category_ticked_floor
    )


def profile_text(
    categories: Sequence[Category], skills: str, positions: Sequence[str], needs: str = ""
) -> str:
    """The words that describe what a person can and wants to do (embedded like a posting).

    Category labels, skills, past positions (counted twice: what someone did is the
    strongest evidence of what they can do) and the wishes of 备注 without their negations.
    """
    from matching.domain.categories import LABELS

    parts = [LABELS[c] for c in categories]
    parts.append(skills)
    parts.extend(p for p in positions for _ in (0, 1))
    parts.append(needs)
    return " ".join(p for p in parts if p).strip()


def make_profile(
    *,
    ticked: Sequence[Category] = (),
    inferred: Sequence[Category] = (),
    expected_pay: SalaryRange | None = None,
    home: Location | None = None,
    district: str | None = None,
    location_requirement: str = "",
    education: Education = Education.NONE,
    age: int | None = None,
    text: str = "",
    exclude_posting_ids: Sequence[str] = (),
    note: str = "",
    expected_pay_text: str = "",
    skills: str = "",
    positions: Sequence[str] = (),
) -> Profile:
    """Build a :class:`Profile` from plain fields (a stored person or a walk-in job seeker).

    A 地点要求 ("河西区及周边", "离家近", "骑车二十分钟") is a strong preference: a posting
    outside it ranks lower (the ``area`` term) with a reason. Only when the person says
    只/仅/必须 ("只在河西区") is it a hard filter. ``note`` (备注, 其他需求) gives the hours
    the person can work ("只上白班", "九点到三点") and the health limits ("不能干重活"): a
    posting outside them costs the ``schedule`` penalty. An hourly or daily 期望薪酬
    (``expected_pay_text``, "兼职每小时25以上") is compared as what those hours would earn a
    month (:func:`matching.understand.workload.monthly_equivalent`). The certificates named in
    ``skills`` and ``note`` ("持叉车证", "A2驾照") are held; a posting that requires another
    costs the same penalty, and so (half of it) does a posting that asks years in a trade
    ``skills`` and the ``positions`` held never name (:mod:`matching.understand.experience`).
    """
    from matching.understand.location import parse_location_requirement

    hours, workload, limits, period = _note_facts(note, expected_pay_text)
    req = parse_location_requirement(location_requirement, home)
    area = req.allowed_districts() if req.districts else None
    expected_min: float | None = None
    if expected_pay is not None:
        if expected_pay.monthly_min_yuan is not None:
            expected_min = float(expected_pay.monthly_min_yuan)
        else:
            expected_min = expected_pay.midpoint_yuan
    if expected_min is not None:
        expected_min = monthly_equivalent(expected_min, period, workload)
    return Profile(
        ticked=frozenset(ticked),
        ticked_order=tuple(dict.fromkeys(ticked)),
        inferred=frozenset(inferred) - frozenset(ticked),
        near=_near(frozenset(ticked)) - frozenset(inferred),
        expected_min_yuan=expected_min,
        lat=home.lat if home else None,
        lon=home.lon if home else None,
        district=(home.district if home and home.district else district),
        allowed_districts=area if req.strict else None,
        max_km=req.max_km if req.strict else None,
        wanted_districts=None if req.strict else area,
        wanted_km=None if req.strict else req.max_km,
        requirement_text="" if req.is_any else location_requirement.strip(),
        education=education,
        age=age,
        text=text,
        exclude_posting_ids=frozenset(exclude_posting_ids),
        days_only=hours.days_only,
        free_from=hours.start_h,
        free_until=hours.end_h,
        hours_said=hours.said,
        hours_per_day=workload.hours_per_day,
        days_per_month=workload.days_per_month,
        workload_said=workload.said,
        part_time=workload.part_time,
        limits=limits.bits,
        limits_said=limits.said,
        certificates=_certificates(skills, note),
        trades=_trades(skills, tuple(positions)),
        street=home.street if home else None,
    )


# What the parsers read from a person's wording, kept by the wording: persons share many of the
# same values (a 备注, a pay wish, a certificate list), and the parsers are pure functions of
# their strings. What is kept is immutable (frozen dataclasses, ints, frozensets), so no person
# can change what the next one gets. Bounded: each keeps the most recently used _KEPT values.
_KEPT = 16_384


@lru_cache(maxsize=_KEPT)
def _note_facts(
    note: str, expected_pay_text: str
) -> tuple[Availability, Workload, Limits, str | None]:
    """The hours (备注), the workload (备注 and 期望薪酬), the limits and family ties (a window of
    the day rules out living in) and the period of the pay wish."""
    from matching.understand.salary import salary_period

    hours = parse_availability(note)
    workload = parse_workload(note, expected_pay_text)
    limits = parse_limits(note)
    if (hours.start_h is not None or hours.end_h is not None) and not limits.bits & LIVE_IN:
        # a window of the day ("只能上午9点到下午3点") rules out living in
        limits = Limits(limits.bits | LIVE_IN, (*limits.said, hours.said))
    return hours, workload, limits, salary_period(expected_pay_text)


@lru_cache(maxsize=_KEPT)
def _certificates(skills: str, note: str) -> int:
    from matching.understand.certificates import held

    return held(f"{skills}，{note}")


@lru_cache(maxsize=_KEPT)
def _trades(skills: str, positions: tuple[str, ...]) -> int:
    from matching.understand.experience import held_trades

    return held_trades(skills, list(positions))


@lru_cache(maxsize=256)
def _near(ticked: frozenset[Category]) -> frozenset[Category]:
    from matching.domain.neighbours import near_categories

    return near_categories(ticked)


@lru_cache(maxsize=_KEPT)
def _plain_needs(note: str) -> str:
    return plain_needs(note)


def build_profile(
    person: Person,
    *,
    today: dt.date,
    inferred: Sequence[Category] = (),
    exclude_posting_ids: Sequence[str] = (),
) -> Profile:
    """Turn a stored person into a :class:`Profile` (location requirement resolved)."""
    return make_profile(
        ticked=person.wanted_categories,
        inferred=inferred,
        expected_pay=person.expected_pay,
        home=person.residence,
        district=person.district,
        location_requirement=person.location_requirement,
        education=person.education,
        age=person.age_on(today),
        text=profile_text(
            person.wanted_categories,
            person.skills,
            [w.position for w in person.work_history],
            _plain_needs(person.note),
        ),
        exclude_posting_ids=exclude_posting_ids,
        note=person.note,
        expected_pay_text=person.expected_pay_text,
        skills=person.skills,
        positions=[w.position for w in person.work_history],
    )


def build_profiles(
    persons: Sequence[Person],
    *,
    today: dt.date,
    exclude: Sequence[Iterable[str]] | None = None,
) -> list[Profile]:
    """:func:`build_profile` of many persons, with one classifier call for all of them.

    ``exclude[i]`` are the posting ids never to return to ``persons[i]``.
    """
    from matching.understand.classifier import infer_person_categories_many

    inferred = infer_person_categories_many(
        [(p.skills, [w.position for w in p.work_history]) for p in persons]
    )
    skips = exclude if exclude is not None else [()] * len(persons)
    return [
        build_profile(p, today=today, inferred=inf, exclude_posting_ids=list(skip))
        for p, inf, skip in zip(persons, inferred, skips, strict=True)
    ]


def recommendable(person: Person, today: dt.date, config: MatchingConfig) -> bool:
    """Whether ``person`` gets recommendations: registered and of working age on ``today``
    (:func:`matching.domain.retirement.of_working_age`, the one rule pushes and flags use too)."""
    return person.status == PersonStatus.REGISTERED and of_working_age(
        person.birth_date,
        person.gender,
        today,
        min_age=config.min_working_age,
        female_baseline=config.female_retirement_baseline,
    )
