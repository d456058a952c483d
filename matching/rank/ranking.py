"""Re-ranking: score candidate postings for one person, apply hard filters, explain in Chinese.

Scoring is vectorised over a :class:`PostingTable` (one array per posting attribute), so the same
function scores 200 candidates or every posting (the naive baseline of ``bench/``). Reasons are
built only for the final top-k.

Each term is a value in [0, 1] times its weight from :class:`~matching.config.MatchingConfig`:

* ``text``      cosine of profile and posting vectors (clipped at 0)
* ``category``  posting category ticked by the person 1.0, inferred from skills/history 0.6, else 0
* ``salary``    1 when the posting's pay reaches the expected pay, linearly to 0 at 60 % of it;
                0.5 when either side is unknown or 面议
* ``location``  1 within 3 km of the residence, linearly to 0 at 40 km; 0.3 when unknown
* ``freshness`` halves every 30 days since the posting became valid; 0.5 when unknown
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.domain import divisions
from matching.domain.categories import ALL as ALL_CATEGORIES
from matching.domain.categories import Category, display
from matching.schemas import (
    EDUCATION_LABELS,
    Education,
    Location,
    Match,
    Person,
    Posting,
    SalaryRange,
    ScoreTerm,
)

_EPOCH = dt.date(1970, 1, 1)
_CAT_INDEX: dict[Category, int] = {c: i for i, c in enumerate(ALL_CATEGORIES)}
_DISTRICT_INDEX: dict[str, int] = {name: i for i, name in enumerate(divisions.NAMES)}
TERMS = ("text", "category", "salary", "location", "freshness")
_NO_DAY = np.iinfo(np.int32).min
_EARTH_KM = 6371.0088


def _days(d: dt.date | None, missing: int) -> int:
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

    @classmethod
    def from_postings(cls, postings: Sequence[Posting]) -> PostingTable:
        n = len(postings)
        t = cls(
            category=np.full(n, -1, np.int8),
            salary_min=np.full(n, np.nan, np.float32),
            salary_max=np.full(n, np.nan, np.float32),
            negotiable=np.zeros(n, np.bool_),
            lat=np.full(n, np.nan, np.float32),
            lon=np.full(n, np.nan, np.float32),
            district=np.full(n, -1, np.int16),
            valid_from=np.full(n, _NO_DAY, np.int32),
            valid_until=np.full(n, np.iinfo(np.int32).max, np.int32),
            education_min=np.zeros(n, np.int8),
            age_min=np.full(n, -1, np.int16),
            age_max=np.full(n, -1, np.int16),
            filled=np.zeros(n, np.bool_),
        )
        for i, p in enumerate(postings):
            if p.category is not None:
                t.category[i] = _CAT_INDEX[Category(p.category)]
            s = p.salary
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
            if district in _DISTRICT_INDEX:
                t.district[i] = _DISTRICT_INDEX[district]
            t.valid_from[i] = _days(p.valid_from, _NO_DAY)
            t.valid_until[i] = _days(p.valid_until, np.iinfo(np.int32).max)
            t.education_min[i] = int(p.education_min)
            t.age_min[i] = p.age_min if p.age_min is not None else -1
            t.age_max[i] = p.age_max if p.age_max is not None else -1
            t.filled[i] = p.filled
        return t

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {f: getattr(self, f) for f in self.__slots__}  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Profile:
    """What ranking needs to know about a person (or an ad-hoc walk-in profile)."""

    ticked: frozenset[Category] = frozenset()
    inferred: frozenset[Category] = frozenset()
    expected_min_yuan: float | None = None
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    allowed_districts: frozenset[str] | None = None  # None = any district
    max_km: float | None = None
    requirement_text: str = ""
    education: Education = Education.NONE
    age: int | None = None
    text: str = ""
    exclude_posting_ids: frozenset[str] = field(default_factory=frozenset)


def profile_text(categories: Sequence[Category], skills: str, positions: Sequence[str]) -> str:
    """The words that describe what a person can and wants to do (embedded like a posting).

    Category labels, skills, and past positions (counted twice: what someone did is the
    strongest evidence of what they can do).
    """
    from matching.domain.categories import LABELS

    parts = [LABELS[c] for c in categories]
    parts.append(skills)
    parts.extend(p for p in positions for _ in (0, 1))
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
) -> Profile:
    """Build a :class:`Profile` from plain fields (a stored person or a walk-in job seeker).

    A strict 地点要求 ("河西区及周边", "离家5公里内") becomes a hard filter; a stated preference
    ("河西区优先") does not filter (the location term still favours nearby postings).
    """
    from matching.understand.location import neighbours, parse_location_requirement

    req = parse_location_requirement(location_requirement, home)
    districts: set[str] | None = set(req.districts) if req.districts and req.strict else None
    if districts and req.nearby:
        districts |= {n for d in list(districts) for n in neighbours(d)}
    expected_min: float | None = None
    if expected_pay is not None:
        if expected_pay.monthly_min_yuan is not None:
            expected_min = float(expected_pay.monthly_min_yuan)
        else:
            expected_min = expected_pay.midpoint_yuan
    return Profile(
        ticked=frozenset(ticked),
        inferred=frozenset(inferred) - frozenset(ticked),
        expected_min_yuan=expected_min,
        lat=home.lat if home else None,
        lon=home.lon if home else None,
        district=(home.district if home and home.district else district),
        allowed_districts=frozenset(districts) if districts else None,
        max_km=req.max_km if req.strict else None,
        requirement_text=location_requirement if (districts or req.max_km) and req.strict else "",
        education=education,
        age=age,
        text=text,
        exclude_posting_ids=frozenset(exclude_posting_ids),
    )


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
            person.wanted_categories, person.skills, [w.position for w in person.work_history]
        ),
        exclude_posting_ids=exclude_posting_ids,
    )


@dataclass(slots=True)
class PersonTable:
    """Profile attributes as aligned arrays (row i = profile i), the mirror of PostingTable."""

    ticked: npt.NDArray[np.bool_]  # (m, 18)
    inferred: npt.NDArray[np.bool_]  # (m, 18)
    expected_min: npt.NDArray[np.float32]
    lat: npt.NDArray[np.float32]
    lon: npt.NDArray[np.float32]
    allowed: npt.NDArray[np.bool_]  # (m, 17): the 16 districts + "district unknown"
    max_km: npt.NDArray[np.float32]
    education: npt.NDArray[np.int8]
    age: npt.NDArray[np.int16]

    @classmethod
    def from_profiles(cls, profiles: Sequence[Profile]) -> PersonTable:
        m, nd = len(profiles), len(_DISTRICT_INDEX)
        t = cls(
            ticked=np.zeros((m, len(_CAT_INDEX)), np.bool_),
            inferred=np.zeros((m, len(_CAT_INDEX)), np.bool_),
            expected_min=np.full(m, np.nan, np.float32),
            lat=np.full(m, np.nan, np.float32),
            lon=np.full(m, np.nan, np.float32),
            allowed=np.ones((m, nd + 1), np.bool_),
            max_km=np.full(m, np.nan, np.float32),
            education=np.zeros(m, np.int8),
            age=np.full(m, -1, np.int16),
        )
        for i, p in enumerate(profiles):
            for c in p.ticked:
                t.ticked[i, _CAT_INDEX[c]] = True
            for c in p.inferred:
                t.inferred[i, _CAT_INDEX[c]] = True
            if p.expected_min_yuan:
                t.expected_min[i] = p.expected_min_yuan
            if p.lat is not None and p.lon is not None:
                t.lat[i], t.lon[i] = p.lat, p.lon
            if p.allowed_districts is not None:
                t.allowed[i] = False
                for d in p.allowed_districts:
                    if d in _DISTRICT_INDEX:
                        t.allowed[i, _DISTRICT_INDEX[d]] = True
            if p.max_km is not None:
                t.max_km[i] = p.max_km
            t.education[i] = int(p.education)
            t.age[i] = p.age if p.age is not None else -1
        return t


@dataclass(slots=True)
class Scored:
    """Scored pairs that passed the hard filters.

    ``keep`` indexes the input pairs; ``values`` holds each term's value in [0, 1]; ``score``
    the weighted sum; ``distance_km`` NaN where unknown.
    """

    keep: npt.NDArray[np.int64]
    values: dict[str, npt.NDArray[np.float32]]
    score: npt.NDArray[np.float32]
    distance_km: npt.NDArray[np.float32]

    @property
    def rows(self) -> npt.NDArray[np.int64]:  # kept for the one-profile case (see score_rows)
        return self.keep


def haversine_km(
    lat1: npt.NDArray[np.float32] | float,
    lon1: npt.NDArray[np.float32] | float,
    lat2: npt.NDArray[np.float32],
    lon2: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Great-circle distance between aligned points, in km (NaN where unknown)."""
    p1 = np.radians(np.asarray(lat1, np.float64))
    p2 = np.radians(np.asarray(lat2, np.float64))
    dlmb = np.radians(np.asarray(lon2, np.float64)) - np.radians(np.asarray(lon1, np.float64))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return (2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).astype(np.float32)


def open_on(postings: PostingTable, day: dt.date) -> npt.NDArray[np.bool_]:
    """Postings valid on ``day`` and not filled (the first hard filter)."""
    d = _days(day, 0)
    return (postings.valid_from <= d) & (postings.valid_until >= d) & ~postings.filled


def _requirements_met(
    education_min: npt.NDArray[np.int8],
    age_min: npt.NDArray[np.int16],
    age_max: npt.NDArray[np.int16],
    education: npt.NDArray[np.int8],
    age: npt.NDArray[np.int16],
) -> npt.NDArray[np.bool_]:
    """The postings' education and age requirements against the persons' (an unknown age
    passes). Aligned pairs or broadcast (persons × postings) alike."""
    known = age >= 0
    return (
        (education_min <= education)
        & (~known | (age_min < 0) | (age_min <= age))
        & (~known | (age_max < 0) | (age_max >= age))
    )


def _district_column(district: npt.NDArray[np.int16]) -> npt.NDArray[np.int64]:
    """Column of :attr:`PersonTable.allowed` for each posting district (the last: unknown)."""
    column = district.astype(np.int64)
    column[column < 0] = len(_DISTRICT_INDEX)
    return column


def unit_vectors(
    lat: npt.NDArray[np.float32], lon: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Points on the unit sphere, shape (n, 3); NaN rows where the place is unknown."""
    phi, lmb = np.radians(np.asarray(lat, np.float64)), np.radians(np.asarray(lon, np.float64))
    return np.stack([np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)], axis=1)


def passing(
    persons: PersonTable,
    who: npt.NDArray[np.int64],
    postings: PostingTable,
    *,
    today: dt.date,
    config: MatchingConfig,
    posting_units: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.bool_]:
    """The hard filters of :func:`score_pairs` for profiles ``who`` × every posting, (m, n).

    Same filters, one row per profile, without the pair-by-pair gathers. The radius filter is
    tested on the unit sphere with 10 m to spare in the person's favour, so it never drops a
    posting that :func:`score_pairs` keeps; :func:`score_pairs` applies it exactly afterwards.
    """
    who = np.asarray(who, np.int64)
    n = postings.category.shape[0]
    keep = np.empty((who.size, n), np.bool_)
    keep[:] = open_on(postings, today)
    keep &= _requirements_met(
        postings.education_min[None, :], postings.age_min[None, :], postings.age_max[None, :],
        persons.education[who, None], persons.age[who, None],
    )  # fmt: skip
    allowed = persons.allowed[who]
    limited = np.flatnonzero(~allowed.all(axis=1))
    if limited.size:
        keep[limited] &= allowed[limited][:, _district_column(postings.district)]
    radius = persons.max_km[who] + config.location_slack_km + 0.01
    near = np.flatnonzero(np.isfinite(radius) & np.isfinite(persons.lat[who]))
    if near.size:
        units = (
            posting_units if posting_units is not None else unit_vectors(postings.lat, postings.lon)
        )
        home = unit_vectors(persons.lat[who[near]], persons.lon[who[near]])
        cos_max = np.cos(np.minimum(radius[near] / _EARTH_KM, np.pi))
        keep[near] &= ~((home @ units.T) < cos_max[:, None])  # NaN (unknown place) passes
    return keep


def score_pairs(
    persons: PersonTable,
    person_rows: npt.NDArray[np.int64],
    postings: PostingTable,
    posting_rows: npt.NDArray[np.int64],
    text_similarity: npt.NDArray[np.float32],
    *,
    today: dt.date,
    config: MatchingConfig,
) -> Scored:
    """Filter and score aligned (person, posting) pairs — the one scoring function.

    Pair ``j`` is profile ``person_rows[j]`` against posting ``posting_rows[j]`` with text
    similarity ``text_similarity[j]``. Hard filters: expired / not yet valid / filled postings,
    education not met, age outside the posting's limits, the person's location requirement
    (districts, or a radius with ``location_slack_km``; unknown distance passes a radius).
    """
    pr = np.asarray(person_rows, np.int64)
    tr = np.asarray(posting_rows, np.int64)
    sims = np.asarray(text_similarity, np.float32)
    day = _days(today, 0)
    keep = open_on(postings, today)[tr]
    keep &= _requirements_met(
        postings.education_min[tr], postings.age_min[tr], postings.age_max[tr],
        persons.education[pr], persons.age[pr],
    )  # fmt: skip
    keep &= persons.allowed[pr, _district_column(postings.district[tr])]
    dist = haversine_km(persons.lat[pr], persons.lon[pr], postings.lat[tr], postings.lon[tr])
    keep &= ~(dist > persons.max_km[pr] + config.location_slack_km)  # NaN compares False
    idx = np.flatnonzero(keep)
    pr, tr, sims, dist = pr[idx], tr[idx], sims[idx], dist[idx]

    cat = postings.category[tr].astype(np.int64)
    has_cat = cat >= 0
    catc = np.where(has_cat, cat, 0)
    category = np.where(
        has_cat & persons.ticked[pr, catc],
        config.category_ticked,
        np.where(has_cat & persons.inferred[pr, catc], config.category_inferred, 0.0),
    ).astype(np.float32)
    values = {
        "text": np.clip(sims, 0.0, 1.0).astype(np.float32),
        "category": category,
        "salary": _salary_values(persons.expected_min[pr], _offer(postings, tr), config),
        "location": _location_values(dist, config),
        "freshness": _freshness_values(postings.valid_from[tr], day, config),
    }
    weights = _weights(config)
    score = sum((weights[t] * values[t] for t in TERMS), np.zeros(idx.shape, np.float32))
    return Scored(keep=idx, values=values, score=score.astype(np.float32), distance_km=dist)


def score_rows(
    profile: Profile,
    table: PostingTable,
    rows: npt.NDArray[np.int64],
    text_similarity: npt.NDArray[np.float32],
    *,
    today: dt.date,
    config: MatchingConfig,
    posting_ids: Sequence[str] | None = None,
    person_table: PersonTable | None = None,
) -> Scored:
    """Score candidate posting ``rows`` for one profile; ``Scored.rows`` are posting rows.

    ``profile.exclude_posting_ids`` (declined, recently pushed) are dropped first.
    """
    rows = np.asarray(rows, dtype=np.int64)
    sims = np.asarray(text_similarity, dtype=np.float32)
    if profile.exclude_posting_ids and posting_ids is not None:
        mask = np.array([posting_ids[r] not in profile.exclude_posting_ids for r in rows], bool)
        rows, sims = rows[mask], sims[mask]
    persons = person_table or PersonTable.from_profiles([profile])
    scored = score_pairs(
        persons, np.zeros(rows.shape, np.int64), table, rows, sims, today=today, config=config
    )
    return replace(scored, keep=rows[scored.keep])  # pair indices → posting rows


def _weights(config: MatchingConfig) -> dict[str, float]:
    return {
        "text": config.weight_text,
        "category": config.weight_category,
        "salary": config.weight_salary,
        "location": config.weight_location,
        "freshness": config.weight_freshness,
    }


def _offer(table: PostingTable, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    lo, hi = table.salary_min[rows], table.salary_max[rows]
    return np.where(np.isnan(hi), lo, np.where(np.isnan(lo), hi, (lo + hi) / 2)).astype(np.float32)


def _salary_values(
    expected: npt.NDArray[np.float32], offer: npt.NDArray[np.float32], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    floor = config.salary_floor_ratio
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.clip((offer / expected - floor) / (1.0 - floor), 0.0, 1.0)
    unknown = np.isnan(offer) | np.isnan(expected) | (expected <= 0)
    return np.where(unknown, config.salary_unknown_value, v).astype(np.float32)


def _location_values(
    dist: npt.NDArray[np.float32], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    full, zero = config.location_full_km, config.location_zero_km
    v = np.clip((zero - dist) / (zero - full), 0.0, 1.0)
    return np.where(np.isnan(dist), config.location_unknown_value, v).astype(np.float32)


def _freshness_values(
    valid_from: npt.NDArray[np.int32], day: int, config: MatchingConfig
) -> npt.NDArray[np.float32]:
    age = np.maximum(day - valid_from.astype(np.int64), 0)
    v = np.power(0.5, age / config.freshness_half_life_days)
    return np.where(valid_from == _NO_DAY, config.freshness_unknown_value, v).astype(np.float32)


# -- explanations -----------------------------------------------------------------------------


def explain(
    profile: Profile,
    posting: Posting,
    *,
    values: dict[str, float],
    distance_km: float | None,
    today: dt.date,
    config: MatchingConfig,
    shared_words: Sequence[str] = (),
    score: float | None = None,
    parts: ReasonParts | None = None,
    posting_id: str | None = None,
) -> Match:
    """Build the :class:`Match` for one scored posting, with reasons in plain Chinese.

    ``score`` is the scorer's total (the value lists are sorted by); without it the rounded
    contributions are summed. ``parts`` (the posting's :class:`ReasonParts`, when the caller
    keeps them) and ``posting_id`` (instead of ``posting.id``) save rebuilding and copying.
    """
    weights = _weights(config)
    terms = tuple(
        ScoreTerm(
            name=t,  # type: ignore[arg-type]
            value=round(float(values[t]), 4),
            weight=weights[t],
            contribution=round(float(values[t]) * weights[t], 4),
        )
        for t in TERMS
    )
    reasons, flags = reasons_from_parts(
        profile, parts or ReasonParts.of(posting, config), distance_km=distance_km, today=today,
        shared_words=shared_words,
    )  # fmt: skip
    return Match(
        posting_id=posting_id or posting.id,
        score=round(score if score is not None else sum(t.contribution for t in terms), 4),
        terms=terms,
        reasons=tuple(reasons),
        flags=tuple(flags),
    )


def reasons_for(
    profile: Profile,
    posting: Posting,
    *,
    distance_km: float | None,
    today: dt.date,
    config: MatchingConfig,
    shared_words: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """The plain-Chinese reasons and warning flags of one scored posting (see :func:`explain`).

    Without building a :class:`Match`. The nightly batch, which needs only the texts for
    millions of pairs, keeps each posting's :class:`ReasonParts` and calls
    :func:`reasons_from_parts` (the same texts).
    """
    return reasons_from_parts(
        profile, ReasonParts.of(posting, config), distance_km=distance_km, today=today,
        shared_words=shared_words,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReasonParts:
    """What the reasons say about one posting whoever reads them (built once per posting)."""

    category: Category | None
    salary_text: str | None  # None: no pay stated
    midpoint_yuan: float | None
    below_min_wage_flag: str | None
    where: str
    education_reason: str | None
    valid_from: dt.date | None
    category_texts: tuple[str, str, str] = ("", "", "")  # ticked, inferred, neither
    same_place: str = ""  # the location reason when the person lives in the same district
    place: str = ""  # … when the distance is unknown

    @classmethod
    def of(cls, posting: Posting, config: MatchingConfig) -> ReasonParts:
        from matching.understand.salary import format_salary

        s = posting.salary
        flag = None
        if s is not None:
            top = s.monthly_max_yuan if s.monthly_max_yuan is not None else s.monthly_min_yuan
            if top is not None and top < config.min_wage_monthly_yuan:
                flag = f"月薪低于本市最低工资标准{config.min_wage_monthly_yuan}元"
        loc = posting.location
        cat = None if posting.category is None else Category(posting.category)
        label = "" if cat is None else display(cat)
        where = posting.district or (loc.district if loc else None) or "地点未注明"
        return cls(
            category=cat,
            salary_text=None if s is None else format_salary(s),
            midpoint_yuan=None if s is None else s.midpoint_yuan,
            below_min_wage_flag=flag,
            where=where,
            education_reason=(
                f"学历要求{EDUCATION_LABELS[posting.education_min]}及以上，符合"
                if posting.education_min > Education.NONE
                else None
            ),
            valid_from=posting.valid_from,
            category_texts=(
                f"意向类别：{label}（本人勾选）",
                f"意向类别：{label}（根据技能和工作经历推断）",
                f"岗位类别：{label}",
            ),
            same_place=f"与常住地同在{where}",
            place=f"工作地点：{where}",
        )


def reasons_from_parts(
    profile: Profile,
    parts: ReasonParts,
    *,
    distance_km: float | None,
    today: dt.date,
    shared_words: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """:func:`reasons_for` from a posting's :class:`ReasonParts`."""
    reasons: list[str] = []
    flags: list[str] = []
    cat = parts.category
    if cat is not None:
        texts = parts.category_texts
        reasons.append(
            texts[0] if cat in profile.ticked else texts[1] if cat in profile.inferred else texts[2]
        )
    reasons.append(_salary_reason(profile, parts, flags))
    # Coordinates are district centres (no street coordinates exist): within one district the
    # distance says nothing, and across districts it is honest only to the kilometre.
    if profile.district is not None and profile.district == parts.where:
        reasons.append(parts.same_place)
    elif distance_km is not None and not math.isnan(distance_km):
        reasons.append(f"距常住地约{max(1, round(distance_km))}公里（{parts.where}）")
    else:
        reasons.append(parts.place)
    if profile.requirement_text and (profile.allowed_districts or profile.max_km):
        reasons.append(f"符合地点要求：{profile.requirement_text}")
    if shared_words:
        reasons.append(f"与技能/经历相关：{'、'.join(shared_words)}")
    if parts.education_reason is not None:
        reasons.append(parts.education_reason)
    if parts.valid_from is not None:
        days = (today - parts.valid_from).days
        reasons.append("今天发布" if days <= 0 else f"{days}天前发布")
    return reasons, flags


def _salary_reason(profile: Profile, parts: ReasonParts, flags: list[str]) -> str:
    text = parts.salary_text
    if text is None:
        return "薪资未注明"
    if parts.below_min_wage_flag is not None:
        flags.append(parts.below_min_wage_flag)
    expected = profile.expected_min_yuan
    mid = parts.midpoint_yuan
    if expected is None or mid is None:
        return text
    exp = int(expected)
    if mid >= expected * 1.05:
        return f"{text}，高于期望{exp}元"
    if mid >= expected * 0.95:
        return f"{text}，与期望{exp}元相当"
    return f"{text}，低于期望{exp}元"
