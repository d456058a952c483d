"""Posting and profile attributes as aligned arrays: what the filters and the scorer read.

Row i of a :class:`PostingTable` is posting i of the engine; row i of a :class:`PersonTable`
is profile i. Days are counted from 1970-01-01 (:func:`day_number`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.domain import divisions
from matching.domain.categories import ALL as ALL_CATEGORIES
from matching.domain.categories import Category
from matching.rank.profiles import Profile
from matching.schemas import Posting, SalaryRange

_EPOCH = dt.date(1970, 1, 1)


def fit_pay(p: Posting) -> SalaryRange | None:
    """The pay a person's expectation is compared with: the employer's stated typical income
    (综合/月均) for base-plus-commission pay, else the pay line (see
    :func:`matching.understand.pay.pay_for_fit`)."""
    from matching.understand.pay import pay_for_fit

    return pay_for_fit(p.salary, p.salary_text, p.description)


CATEGORY_INDEX: dict[Category, int] = {c: i for i, c in enumerate(ALL_CATEGORIES)}
DISTRICT_INDEX: dict[str, int] = {name: i for i, name in enumerate(divisions.NAMES)}
NO_DAY = np.iinfo(np.int32).min  # valid_from of a posting that states none
PAY_MONTH, PAY_DAY, PAY_HOUR = 0, 1, 2  # PostingTable.pay_period (month = any other period)
PAY_PERIODS = {"day": PAY_DAY, "hour": PAY_HOUR}
_PERIOD_HINT = re.compile(r"[时天日晚班hH]")  # a pay line with none of these is not hourly/daily


def _pay_offers(salary_text: str, seen: dict[str, bool]) -> bool:
    """Whether a pay line in NFKC holds a word of ``OFFERS_HINT``, remembered in ``seen``."""
    found = seen.get(salary_text)
    if found is None:
        from matching.understand.text import nfkc
        from matching.understand.workload import OFFERS_HINT

        found = seen[salary_text] = OFFERS_HINT.search(nfkc(salary_text)) is not None
    return found


def day_number(d: dt.date | None, missing: int) -> int:
    """Days from 1970-01-01 to ``d``; ``missing`` when there is no date."""
    return (d - _EPOCH).days if d else missing


@dataclass(slots=True)
class PostingTable:
    """Posting attributes as aligned arrays (row i = posting i of the engine)."""

    category: npt.NDArray[np.int8]
    salary_min: npt.NDArray[np.float32]
    salary_max: npt.NDArray[np.float32]
    negotiable: npt.NDArray[np.bool_]
    lat: npt.NDArray[np.float32]
    lon: npt.NDArray[np.float32]
    district: npt.NDArray[np.int16]
    valid_from: npt.NDArray[np.int32]
    valid_until: npt.NDArray[np.int32]
    education_min: npt.NDArray[np.int8]
    age_min: npt.NDArray[np.int16]
    age_max: npt.NDArray[np.int16]
    filled: npt.NDArray[np.bool_]
    repost_group: npt.NDArray[np.int32]  # −1, or the group of postings that are one job
    repost_rank: npt.NDArray[np.int16]  # within a group, the latest highest (see reposts.py)
    # the shift read from the text: nights, evenings or rotating (off_day), hours of the day
    off_day: npt.NDArray[np.bool_]
    start_h: npt.NDArray[np.float32]
    end_h: npt.NDArray[np.float32]
    pay_period: npt.NDArray[np.int8]  # the pay line's period: PAY_MONTH, PAY_DAY or PAY_HOUR
    demands: npt.NDArray[np.int8]  # heavy work, standing, travel, live-in (understand.limits)
    part_time_ok: npt.NDArray[np.bool_]  # offers part of a day (可兼职, 半天, hourly pay)
    day_hours: npt.NDArray[np.float32]  # the shortest day it states ("每天工作8小时"); NaN
    # required ("必须持电工证"; understand.certificates): all of these, and one of those
    certificates: npt.NDArray[np.int64]
    certificates_any: npt.NDArray[np.int64]
    commission: npt.NDArray[np.bool_]  # base + commission with no typical income stated
    street_only: npt.NDArray[np.int64]  # a 公益性岗位 limited to one street (street_code), or 0
    experience: npt.NDArray[
        np.int64
    ]  # trades it asks years in, one will do (understand.experience)

    @classmethod
    def from_postings(cls, postings: Sequence[Posting]) -> PostingTable:
        """The postings' table; within :func:`matching.ingest.halves.forking` (an index built by
        the command line) its second half read in a forked process: the same arrays."""
        from matching.ingest.halves import MIN_ITEMS, can_fork, in_two

        if len(postings) < MIN_ITEMS or not can_fork():
            return cls._read(postings)
        half = len(postings) // 2
        first, second = in_two(
            lambda: cls._read(postings[:half]), lambda: cls._read(postings[half:])
        )
        return cls(**{name: np.concatenate([getattr(first, name), getattr(second, name)])
                      for name in cls.__slots__})  # fmt: skip

    @classmethod
    def _read(cls, postings: Sequence[Posting]) -> PostingTable:
        n = len(postings)
        t = cls(
            category=np.full(n, -1, np.int8),
            salary_min=np.full(n, np.nan, np.float32),
            salary_max=np.full(n, np.nan, np.float32),
            negotiable=np.zeros(n, np.bool_),
            lat=np.full(n, np.nan, np.float32),
            lon=np.full(n, np.nan, np.float32),
            district=np.full(n, -1, np.int16),
            valid_from=np.full(n, NO_DAY, np.int32),
            valid_until=np.full(n, np.iinfo(np.int32).max, np.int32),
            education_min=np.zeros(n, np.int8),
            age_min=np.full(n, -1, np.int16),
            age_max=np.full(n, -1, np.int16),
            filled=np.zeros(n, np.bool_),
            repost_group=np.full(n, -1, np.int32),
            repost_rank=np.zeros(n, np.int16),
            off_day=np.zeros(n, np.bool_),
            start_h=np.full(n, np.nan, np.float32),
            end_h=np.full(n, np.nan, np.float32),
            pay_period=np.zeros(n, np.int8),
            demands=np.zeros(n, np.int8),
            part_time_ok=np.zeros(n, np.bool_),
            day_hours=np.full(n, np.nan, np.float32),
            certificates=np.zeros(n, np.int64),
            certificates_any=np.zeros(n, np.int64),
            commission=np.zeros(n, np.bool_),
            street_only=np.zeros(n, np.int64),
            experience=np.zeros(n, np.int64),
        )
        fits = [fit_pay(p) for p in postings]
        t.set_shifts(postings, fits)
        for i, p in enumerate(postings):
            if p.category is not None:
                t.category[i] = CATEGORY_INDEX[Category(p.category)]
            s = fits[i]
            if s is not None:
                t.negotiable[i] = s.negotiable
                if s.monthly_min_yuan is not None:
                    t.salary_min[i] = s.monthly_min_yuan
                if s.monthly_max_yuan is not None:
                    t.salary_max[i] = s.monthly_max_yuan
            loc = p.location
            if loc is not None and loc.lat is not None and loc.lon is not None:
                t.lat[i], t.lon[i] = loc.lat, loc.lon
            district = p.district or (loc.district if loc else None)
            if district in DISTRICT_INDEX:
                t.district[i] = DISTRICT_INDEX[district]
            t.valid_from[i] = day_number(p.valid_from, NO_DAY)
            t.valid_until[i] = day_number(p.valid_until, np.iinfo(np.int32).max)
            t.education_min[i] = int(p.education_min)
            t.age_min[i] = p.age_min if p.age_min is not None else -1
            t.age_max[i] = p.age_max if p.age_max is not None else -1
            t.filled[i] = p.filled
        return t

    def set_shifts(
        self, postings: Sequence[Posting], fits: Sequence[SalaryRange | None] | None = None
    ) -> None:
        """Read what each posting's text says of its working conditions: the shift (see
        ``parse_shift``), what it demands (``parse_demands``) and the period of its pay line
        (``salary_period``: hourly and daily pay are scaled to a person's hours), the
        certificates it requires, the trades it asks years of experience in and whether its
        pay is base + commission with nothing typical stated. ``fits`` may give each
        posting's :func:`fit_pay`.

        Each text is normalised once (NFKC, shared by the readers through their cache), and a
        reader runs only on a text holding a word that reader needs (``SHIFT_HINT`` …): the
        others get the value the reader gives a text without them (``tests/rank/
        test_table_hints.py`` checks the columns against every reader run on every text).
        """
        from matching.understand.certificates import CERTIFICATE_HINT, required
        from matching.understand.community import COMMUNITY_HINT, street_code, street_only
        from matching.understand.experience import wanted_trades
        from matching.understand.limits import DEMAND_HINT, parse_demands
        from matching.understand.salary import salary_period
        from matching.understand.schedule import SHIFT_HINT, parse_shift
        from matching.understand.text import nfkc
        from matching.understand.workload import (
            DAY_HOURS_HINT,
            OFFERS_HINT,
            offers_part_time,
            stated_day_hours,
        )

        for column in (self.demands, self.certificates, self.certificates_any, self.street_only):
            column[:] = 0
        self.part_time_ok[:] = self.off_day[:] = False
        self.day_hours[:] = np.nan
        pay_offers: dict[str, bool] = {}  # a board repeats its pay lines
        for i, p in enumerate(postings):
            text = f"{p.title} {p.description}"
            s = nfkc(text)
            if DEMAND_HINT.search(s):
                self.demands[i] = parse_demands(text)
            if CERTIFICATE_HINT.search(s):
                self.certificates[i], self.certificates_any[i] = required(text)
            self.experience[i] = wanted_trades(p.title, p.description, p.experience_years)
            fit = fit_pay(p) if fits is None else fits[i]
            self.commission[i] = fit is not None and fit.commission
            if COMMUNITY_HINT.search(s):
                own = p.location.street if p.location else None
                self.street_only[i] = street_code(street_only(text, own))
            period = salary_period(p.salary_text) if _PERIOD_HINT.search(p.salary_text) else None
            self.pay_period[i] = PAY_PERIODS.get(period or "", PAY_MONTH)
            if period in ("hour", "day"):
                self.part_time_ok[i] = True
            elif OFFERS_HINT.search(s) or _pay_offers(p.salary_text, pay_offers):
                self.part_time_ok[i] = offers_part_time(f"{text} {p.salary_text}", period)
            if DAY_HOURS_HINT.search(s):
                day = stated_day_hours(text)
                self.day_hours[i] = np.nan if day is None else day
            if SHIFT_HINT.search(s):
                shift = parse_shift(text)
                self.off_day[i] = shift.off_day
                if shift.start_h is not None and shift.end_h is not None:
                    self.start_h[i], self.end_h[i] = shift.start_h, shift.end_h

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {f: getattr(self, f) for f in self.__slots__}  # type: ignore[attr-defined]

    def take(self, rows: npt.NDArray[np.int64]) -> PostingTable:
        """The table of postings ``rows`` only (row i = posting ``rows[i]``), copied."""
        return PostingTable(**{f: np.ascontiguousarray(a[rows]) for f, a in self.arrays().items()})


@dataclass(slots=True)
class PersonTable:
    """Profile attributes as aligned arrays (row i = profile i), the mirror of PostingTable."""

    ticked: npt.NDArray[np.bool_]  # (m, 18)
    ticked_rank: npt.NDArray[np.int8]  # (m, 18): 0 = first ticked, 1 = second …, -1 = not ticked
    inferred: npt.NDArray[np.bool_]  # (m, 18)
    near: npt.NDArray[np.bool_]  # (m, 18): neighbours of a ticked category
    expected_min: npt.NDArray[np.float32]
    lat: npt.NDArray[np.float32]
    lon: npt.NDArray[np.float32]
    allowed: npt.NDArray[np.bool_]  # (m, 17): the 16 districts + "district unknown"
    max_km: npt.NDArray[np.float32]
    # a 地点要求 that is a preference: 0 inside, 0.5 in a district bordering the wanted ones,
    # 1 further away (m, 17; "district unknown" costs nothing); and the preferred radius
    outside: npt.NDArray[np.float32]
    wanted_km: npt.NDArray[np.float32]
    education: npt.NDArray[np.int8]
    age: npt.NDArray[np.int16]
    days_only: npt.NDArray[np.bool_]  # 备注: no nights, evenings or rotating shifts
    free_from: npt.NDArray[np.float32]  # 备注: the hours of the day the person can work
    free_until: npt.NDArray[np.float32]
    work_hours: npt.NDArray[np.float32]  # 备注: hours a month the person can work (174 full time)
    work_days: npt.NDArray[np.float32]  # … and days a month (21.75)
    limits: npt.NDArray[np.int8]  # 备注: health limits and family ties (understand.limits)
    day_hours: npt.NDArray[np.float32]  # a part-time seeker's hours a day; NaN = full days
    certificates: npt.NDArray[np.int64]  # held (understand.certificates)
    trades: npt.NDArray[np.int64]  # worked in or trained for (understand.experience)
    street: npt.NDArray[np.int64]  # the street of the home (understand.community.street_code)

    @classmethod
    def from_profiles(cls, profiles: Sequence[Profile]) -> PersonTable:
        from matching.understand.community import street_code

        m, nd = len(profiles), len(DISTRICT_INDEX)
        t = cls(
            ticked=np.zeros((m, len(CATEGORY_INDEX)), np.bool_),
            ticked_rank=np.full((m, len(CATEGORY_INDEX)), -1, np.int8),
            inferred=np.zeros((m, len(CATEGORY_INDEX)), np.bool_),
            near=np.zeros((m, len(CATEGORY_INDEX)), np.bool_),
            expected_min=np.full(m, np.nan, np.float32),
            lat=np.full(m, np.nan, np.float32),
            lon=np.full(m, np.nan, np.float32),
            allowed=np.ones((m, nd + 1), np.bool_),
            max_km=np.full(m, np.nan, np.float32),
            outside=np.zeros((m, nd + 1), np.float32),
            wanted_km=np.full(m, np.nan, np.float32),
            education=np.zeros(m, np.int8),
            age=np.full(m, -1, np.int16),
            days_only=np.zeros(m, np.bool_),
            free_from=np.full(m, np.nan, np.float32),
            free_until=np.full(m, np.nan, np.float32),
            work_hours=np.full(m, 174.0, np.float32),
            work_days=np.full(m, 21.75, np.float32),
            limits=np.zeros(m, np.int8),
            day_hours=np.full(m, np.nan, np.float32),
            certificates=np.zeros(m, np.int64),
            trades=np.zeros(m, np.int64),
            street=np.zeros(m, np.int64),
        )
        for i, p in enumerate(profiles):
            t.days_only[i] = p.days_only
            t.work_hours[i] = p.hours_per_day * p.days_per_month
            t.work_days[i] = p.days_per_month
            t.limits[i] = p.limits
            t.certificates[i] = p.certificates
            t.trades[i] = p.trades
            t.street[i] = street_code(p.street)
            if p.part_time:
                t.day_hours[i] = p.hours_per_day
            if p.free_from is not None:
                t.free_from[i] = p.free_from
            if p.free_until is not None:
                t.free_until[i] = p.free_until
            for c in p.ticked:
                t.ticked[i, CATEGORY_INDEX[c]] = True
            for rank, c in enumerate(p.ticked_order or sorted(p.ticked)):
                t.ticked_rank[i, CATEGORY_INDEX[c]] = rank
            for c in p.inferred:
                t.inferred[i, CATEGORY_INDEX[c]] = True
            for c in p.near:
                t.near[i, CATEGORY_INDEX[c]] = True
            if p.expected_min_yuan:
                t.expected_min[i] = p.expected_min_yuan
            if p.lat is not None and p.lon is not None:
                t.lat[i], t.lon[i] = p.lat, p.lon
            if p.allowed_districts is not None:
                t.allowed[i] = False
                for d in p.allowed_districts:
                    if d in DISTRICT_INDEX:
                        t.allowed[i, DISTRICT_INDEX[d]] = True
            if p.max_km is not None:
                t.max_km[i] = p.max_km
            if p.wanted_districts is not None:
                t.outside[i, :nd] = _outside_row(p.wanted_districts)
            if p.wanted_km is not None:
                t.wanted_km[i] = p.wanted_km
            t.education[i] = int(p.education)
            t.age[i] = p.age if p.age is not None else -1
        return t


def _outside_row(wanted: frozenset[str]) -> npt.NDArray[np.float32]:
    """How far outside ``wanted`` each district lies: 0 in it, 0.5 bordering it, else 1."""
    from matching.domain.adjacency import bordering

    row = np.ones(len(DISTRICT_INDEX), np.float32)
    for d in wanted:
        for n in bordering(d):
            row[DISTRICT_INDEX[n]] = 0.5
    for d in wanted:
        if d in DISTRICT_INDEX:
            row[DISTRICT_INDEX[d]] = 0.0
    return row
