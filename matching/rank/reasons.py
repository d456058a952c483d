"""Reasons: a scored posting explained to a caseworker in plain Chinese.

:func:`explain` builds the :class:`~matching.schemas.Match` (score terms, reasons, warning
flags). What the reasons say about a posting whoever reads them is built once per posting
(:class:`~matching.rank.reason_parts.ReasonParts`); :func:`reasons_from_parts` adds what
depends on the person.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.profiles import Profile
from matching.rank.reason_parts import ReasonParts
from matching.rank.scoring import (
    FULL_DAY_HOURS,
    HOURS_TOLERANCE,
    RADIUS_TOLERANCE_KM,
    TERMS,
    term_weights,
)
from matching.rank.tables import DISTRICT_INDEX
from matching.schemas import Match, Posting, ScoreTerm
from matching.understand.certificates import describe_missing, missing
from matching.understand.experience import describe_lacking
from matching.understand.limits import Limits, describe

__all__ = [
    "PersonReasons",
    "ReasonParts",
    "constructed",
    "explain",
    "reasons_for",
    "reasons_from_parts",
]


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
    person: PersonReasons | None = None,
) -> Match:
    """Build the :class:`Match` for one scored posting, with reasons in plain Chinese.

    ``score`` is the scorer's total (the value lists are sorted by); without it the rounded
    contributions are summed. ``parts`` (the posting's :class:`ReasonParts`, when the caller
    keeps them), ``posting_id`` (instead of ``posting.id``) and ``person`` (the profile's
    :class:`PersonReasons` on ``today``, for many postings) save rebuilding and copying.
    """
    weights = term_weights(config)
    terms = tuple(score_term(t, float(values[t]), float(weights[t])) for t in TERMS)
    person = person or PersonReasons(profile, today)
    reasons, flags = person(parts or ReasonParts.of(posting, config), distance_km, shared_words)
    total = score if score is not None else sum(t.contribution for t in terms)
    return constructed(
        Match,
        {
            "posting_id": str(posting_id or posting.id),
            "score": round(float(total), 4),
            "terms": terms,
            "reasons": tuple(reasons),
            "flags": tuple(flags),
        },
    )


# The ScoreTerms made, by (name, weight, value, sign of value). A term is frozen and depends on
# these alone, so equal ones are shared: of the 70 terms of a list most repeat (the area and
# schedule terms are mostly 0, distances are between district centres, postings of a day share
# their freshness). Emptied when it grows past _TERMS_KEPT.
_TERMS: dict[tuple[str, float, float, float], ScoreTerm] = {}
_TERMS_KEPT = 200_000


def score_term(name: str, value: float, weight: float) -> ScoreTerm:
    """The :class:`ScoreTerm` of ``value`` under ``weight``: value and contribution rounded to
    4 places. Built without validation (a quarter of the cost of explaining): every field is
    made with the type the schema declares, as validation would have made it."""
    key = (name, weight, value, math.copysign(1.0, value))  # 0.0 and -0.0 are equal keys
    term = _TERMS.get(key)
    if term is None:
        if len(_TERMS) >= _TERMS_KEPT:
            _TERMS.clear()
        term = _TERMS[key] = constructed(
            ScoreTerm,
            {
                "name": name,
                "value": round(value, 4),
                "weight": weight,
                "contribution": round(value * weight, 4),
            },
        )
    return term


_Model = TypeVar("_Model", bound=BaseModel)
_new, _set = object.__new__, object.__setattr__


def constructed(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """``cls.model_construct(**values)`` when ``values`` gives every field of ``cls`` in the
    order the class declares them (the same instance, attribute for attribute), without
    pydantic's loop over aliases and defaults: 88 of them per recommendation cost 0.3 ms.

    Only for a model without private attributes, ``model_post_init`` or extra fields (the
    tests check :class:`ScoreTerm` and :class:`Match`)."""
    model = _new(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


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


def reasons_from_parts(
    profile: Profile,
    parts: ReasonParts,
    *,
    distance_km: float | None,
    today: dt.date,
    shared_words: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """:func:`reasons_for` from a posting's :class:`ReasonParts`.

    Many postings for one person: build :class:`PersonReasons` once and call it per posting
    (the same texts)."""
    return PersonReasons(profile, today)(parts, distance_km, shared_words)


class PersonReasons:
    """What the reasons say about one person on ``today``, worked out once for all the postings
    shown to them; called with a posting's :class:`ReasonParts`, it gives that posting's
    reasons and flags (what :func:`reasons_from_parts` gives)."""

    __slots__ = ("_area", "_area_checked", "_area_kept", "_cat_at", "_clash", "_equivalent",
                 "_fits_area", "_later", "_limits", "_posted", "_said_hours", "_timed", "p",
                 "today")  # fmt: skip

    def __init__(self, profile: Profile, today: dt.date) -> None:
        self.p, self.today = profile, today
        cat_at: dict[Category, int] = {}
        for i, cats in enumerate((profile.ticked, profile.inferred, profile.near)):
            for c in cats:
                cat_at.setdefault(c, i)
        self._cat_at = cat_at
        order = profile.ticked_order
        self._later = {c: f"本人勾选的第{order.index(c) + 1}意愿" for c in order[1:]}
        # the hours are checked only against a person who said some (the rest pass them all)
        self._timed = profile.days_only or profile.free_from is not None
        self._timed = self._timed or profile.free_until is not None
        self._said_hours = (
            f"本人备注：{profile.hours_said}" if profile.hours_said else "本人只能上白班"
        )
        self._limits = Limits(profile.limits, profile.limits_said)
        self._clash = self._timed or profile.part_time or bool(profile.limits)
        self._fits_area = f"符合地点要求：{profile.requirement_text}"
        self._area: dict[str, str | None] = {}  # district -> outside the wanted ones (or None)
        self._area_kept = profile.wanted_districts is not None
        self._area_checked = self._area_kept or profile.wanted_km is not None  # else it fits
        self._posted: dict[dt.date, str] = {}
        self._equivalent: dict[tuple[float, str], str] = {}

    def __call__(
        self, parts: ReasonParts, distance_km: float | None, shared_words: Sequence[str] = ()
    ) -> tuple[list[str], list[str]]:
        profile = self.p
        reasons: list[str] = []
        flags: list[str] = []
        cat = parts.category
        if cat is not None:
            text = parts.category_texts[self._cat_at.get(cat, 3)]
            later = self._later.get(cat)
            if later is not None:  # a later choice on the form: say which
                text = text.replace("本人勾选", later)
            reasons.append(text)
        reasons.append(self._salary(parts, flags))
        # Coordinates are district centres (no street coordinates exist): within one district
        # the distance says nothing, and across districts it is honest only to the kilometre.
        known = distance_km is not None and not math.isnan(distance_km)
        if profile.district is not None and profile.district == parts.where:
            reasons.append(parts.same_place)
        elif known:
            reasons.append(f"距常住地约{max(1, round(distance_km))}公里（{parts.where}）")  # type: ignore[arg-type]
        else:
            reasons.append(parts.place)
        if profile.requirement_text:
            reasons.append(
                self._area_reason(parts.where, distance_km if known else None)
                if self._area_checked
                else self._fits_area
            )
        if self._clash or parts.certificates != (0, 0) or parts.trades or parts.street_only:
            clash = self._schedule_reason(parts)
            if clash:
                reasons.append(clash)
        if shared_words:
            reasons.append(f"与技能/经历相关：{'、'.join(shared_words)}")
        if parts.education_reason is not None:
            reasons.append(parts.education_reason)
        if parts.valid_from is not None:
            posted = self._posted.get(parts.valid_from)
            if posted is None:
                days = (self.today - parts.valid_from).days
                posted = self._posted[parts.valid_from] = (
                    "今天发布" if days <= 0 else f"{days}天前发布"
                )
            reasons.append(posted)
        return reasons, flags

    def _schedule_reason(self, parts: ReasonParts) -> str:
        """Why the posting's working conditions clash with what the person can do (the
        ``schedule`` penalty): hours, then health limits and family ties; "" when they do not.
        (A posting that demands, requires or asks nothing clashes with nothing: not described.)"""
        profile = self.p
        hours = (self._timed and self._hours_reason(parts)) or _length_reason(profile, parts)
        clash = ""
        if profile.limits and parts.demands:
            clash = describe(self._limits, dict(parts.demands))
        certs = ""
        if parts.certificates != (0, 0):
            certs = describe_missing(missing(*parts.certificates, profile.certificates))
        street = ""
        if parts.street_only and profile.street and parts.street_only != profile.street:
            street = f"公益性岗位限{parts.street_only}户籍或常住人员：本人常住{profile.street}"
        years = ""
        if parts.trades:
            years = describe_lacking(parts.trades, profile.trades, parts.experience_years)
        return "；".join([r for r in (hours, clash, certs, street, years) if r])

    def _hours_reason(self, parts: ReasonParts) -> str:
        profile, said = self.p, self._said_hours
        if profile.days_only and parts.shift:
            return f"班次不符（岗位{parts.shift}）：{said}"
        start, end = parts.start_h, parts.end_h
        if start is None or end is None:
            return ""
        lo, hi = profile.free_from, profile.free_until
        if (lo is not None and start < lo - 0.01) or (hi is not None and end > hi + 0.01):
            return f"工作时间不符（岗位{_clock(start)}-{_clock(end)}）：{said}"
        return ""

    def _area_reason(self, where: str, distance_km: float | None) -> str:
        """Whether the posting meets the person's 地点要求; outside it (a preference) says how
        far. ``distance_km`` None when unknown."""
        profile = self.p
        if self._area_kept:
            if where in self._area:
                outside = self._area[where]
            else:
                outside = self._area[where] = _outside(profile, where)
            if outside is not None:
                return outside
        km = profile.wanted_km
        if km is not None and distance_km is not None and distance_km > km + RADIUS_TOLERANCE_KM:
            far = max(1, round(distance_km))
            return f"超出地点要求（离家约{far}公里，超过{km:g}公里）：本人要求{profile.requirement_text}"
        return self._fits_area

    def _salary(self, parts: ReasonParts, flags: list[str]) -> str:
        text = parts.salary_text
        if text is None:
            return "薪资未注明"
        if parts.below_min_wage_flag is not None:
            flags.append(parts.below_min_wage_flag)
        profile = self.p
        expected = profile.expected_min_yuan
        mid = parts.midpoint_yuan
        if parts.pay_period is not None and parts.rate_yuan is not None:
            from matching.understand.workload import (
                Workload,
                describe_equivalent,
                monthly_equivalent,
            )

            work = Workload(profile.hours_per_day, profile.days_per_month)
            key = (parts.rate_yuan, parts.pay_period)
            text = self._equivalent.get(key)
            if text is None:
                text = self._equivalent[key] = describe_equivalent(*key, work)
            mid = None if mid is None else monthly_equivalent(mid, parts.pay_period, work)
        if expected is None or mid is None:
            return text
        exp = int(expected)
        if mid >= expected * 1.05:
            return f"{text}，高于期望{exp}元"
        if mid >= expected * 0.95:
            return f"{text}，与期望{exp}元相当"
        if parts.commission:
            return f"{text}，底薪低于期望{exp}元（提成另计）"
        return f"{text}，低于期望{exp}元"


def _clock(h: float) -> str:
    return f"{int(h)}:{round((h - int(h)) * 60):02d}"


def _length_reason(profile: Profile, parts: ReasonParts) -> str:
    """A part-time seeker and a posting whose day is longer than they can work."""
    if not profile.part_time or (parts.part_time_ok and parts.day_hours is None):
        return ""
    start, end = parts.start_h, parts.end_h
    if parts.day_hours is not None:
        length = parts.day_hours
        what = f"每天约{length:g}小时"
    elif start is None or end is None:
        length = FULL_DAY_HOURS
        what = f"全职，约{length:g}小时/天"
    else:
        length = (end - start) % 24
        what = f"{_clock(start)}-{_clock(end)}，约{length:g}小时/天"
    if length <= profile.hours_per_day + HOURS_TOLERANCE:
        return ""
    said = profile.workload_said or "兼职"
    return f"工作时长不符（岗位{what}）：本人备注：{said}"


def _outside(profile: Profile, where: str) -> str | None:
    """The reason of a posting in ``where``, a known district outside the person's wanted
    ones (a preference), or None when it is not."""
    from matching.domain.adjacency import bordering

    wanted = profile.wanted_districts
    if wanted is not None and where in DISTRICT_INDEX and where not in wanted:
        near = any(where in bordering(d) for d in wanted)
        return f"超出地点要求（{'邻区' if near else '较远'} {where}）：本人要求{profile.requirement_text}"
    return None
