"""Score terms: filter and score (profile, posting) pairs with one vectorised function.

Scoring is vectorised over a :class:`~matching.rank.tables.PostingTable` (one array per posting
attribute), so the same function scores 200 candidates or every posting (the naive baseline of
``bench/``). Reasons are built only for the final top-k (:mod:`matching.rank.reasons`).

Each term is a value in [0, 1] times its weight from :class:`~matching.config.MatchingConfig`:

* ``text``      cosine of profile and posting vectors (clipped at 0)
* ``category``  posting category ticked by the person 1.0 (later ticks a little less), inferred
                from skills/history 0.6, neighbouring a ticked one 0.3 (the occupational
                classification puts them in one group, :mod:`matching.domain.neighbours`), else 0
* ``salary``    1 when the posting's pay reaches the expected pay, linearly to 0 at 60 % of it;
                0.5 when either side is unknown or 面议, and at least 0.5 for base + commission
                with no typical income stated (the base is a floor, the rest unknown). Hourly and daily pay count as what
                the person would earn a month in the hours and days their 备注 says they can
                work ("每天4小时"; a part-time seeker who does not say: 4 hours a day, see
                :mod:`matching.understand.workload`)
* ``location``  1 within 3 km of the residence, linearly to 0 at 40 km; 0.3 when unknown. A
                person whose 地点要求 is a distance from home ("离家近", "骑电动车半小时内")
                has said nearness counts: 1 at home, linearly to 0 at that radius
* ``freshness`` halves every 30 days since the posting became valid; 0.5 when unknown
* ``area``      a penalty (negative weight): 0 inside the person's 地点要求 (a preference, not
                a filter), 0.5 in a district bordering it or up to twice the wanted radius,
                1 further; 0 when the place is unknown
* ``schedule``  a penalty for working conditions the person's 备注 rules out: 1 when the
                posting's shift is at night, in the evening or rotating (夜班, 两班倒,
                14:00-22:00) and the person's 备注 rules that out ("只上白班", "接孩子"); when
                its hours fall outside the hours the person can work ("九点到三点"), 0.5 for
                each hour outside (an hour may be arranged, two cannot); 1 when the posting
                demands what a health limit or family tie rules out (搬运 for "不能干重活",
                久站 for "腰不好不能久站", 出差 or 住家 for "要接送孩子", see
                :mod:`matching.understand.limits`); for a part-time seeker ("每天4-5小时",
                "兼职") 0.5 for each hour a posting's day is longer: the shortest day it states
                ("每次约8小时"), else its shift, else a full 8-hour day unless it offers part of
                a day ("可兼职", hourly pay); 1 when the posting requires a certificate the person's 专业/技能
                does not name ("必须持低压电工作业证", "B2驾照"; 0.5 for a 健康证, got within
                days; see :mod:`matching.understand.certificates`); 1 for a 公益性岗位 limited
                to another street than the person's home (:mod:`matching.understand.community`);
                0.5 when the posting asks years of experience in a trade ("5年以上炒锅经验",
                "面点师 3年以上经验") that the person's 工作经历 and 专业/技能 never name
                (:mod:`matching.understand.experience`); the worst of these, 0 when either side says nothing. (One term, not two: the term list is fixed, see ``TERMS``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.rank.filters import district_column, open_on, pair_distances_km, requirements_met
from matching.rank.profiles import Profile, ticked_value
from matching.rank.tables import (
    NO_DAY,
    PAY_DAY,
    PAY_HOUR,
    PersonTable,
    PostingTable,
    day_number,
)
from matching.understand.certificates import EASY
from matching.understand.salary import DAYS_PER_MONTH, HOURS_PER_MONTH

# A preferred radius is met up to this much beyond it (float32 distances; the reasons use it too).
RADIUS_TOLERANCE_KM = 0.01
HOURS_TOLERANCE = 0.01  # hours are float32
FULL_DAY_HOURS = 8.0  # the working day of a posting that states no hours and no part-time option
EASY_CERTIFICATE = 0.5  # a missing 健康证 is got within days: half the penalty
HOUR_OUTSIDE = 0.5  # the schedule penalty for each hour of a shift outside the person's window
# A trade the person never worked in, when the posting asks years in it: half the penalty, as
# experience is weighed by the employer (a certificate is a legal bar, years are a wish).
LACKING_EXPERIENCE = 0.5
TERMS = ("text", "category", "salary", "location", "freshness", "area", "schedule")


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


def score_pairs(
    persons: PersonTable,
    person_rows: npt.NDArray[np.int64],
    postings: PostingTable,
    posting_rows: npt.NDArray[np.int64],
    text_similarity: npt.NDArray[np.float32],
    *,
    today: dt.date,
    config: MatchingConfig,
    opened: npt.NDArray[np.bool_] | None = None,
    filtered: bool = False,
) -> Scored:
    """Filter and score aligned (person, posting) pairs — the one scoring function.

    Pair ``j`` is profile ``person_rows[j]`` against posting ``posting_rows[j]`` with text
    similarity ``text_similarity[j]``. Hard filters: expired / not yet valid / filled postings,
    education not met, age outside the posting's limits, the person's location requirement
    (districts, or a radius with ``location_slack_km``; unknown distance passes a radius).
    ``opened`` is ``open_on(postings, today)`` when the caller keeps it. ``filtered``: every
    pair is known to pass all but the radius (:func:`~matching.rank.candidates.passing_top`'s
    pairs: the same filters), so only the radius is tested.
    """
    pr = np.asarray(person_rows, np.int64)
    tr = np.asarray(posting_rows, np.int64)
    sims = np.asarray(text_similarity, np.float32)
    day = day_number(today, 0)
    dist = pair_distances_km((persons.lat, persons.lon), pr, (postings.lat, postings.lon), tr)
    keep = ~(dist > persons.max_km[pr] + config.location_slack_km)  # NaN compares False
    if not filtered:
        keep &= (open_on(postings, today) if opened is None else opened)[tr]
        keep &= requirements_met(
            postings.education_min[tr], postings.age_min[tr], postings.age_max[tr],
            persons.education[pr], persons.age[pr],
        )  # fmt: skip
        keep &= persons.allowed[pr, district_column(postings.district[tr])]
    idx = np.flatnonzero(keep)
    if idx.size < keep.size:
        pr, tr, sims, dist = pr[idx], tr[idx], sims[idx], dist[idx]

    cat = postings.category[tr].astype(np.int64)
    has_cat = cat >= 0
    catc = np.where(has_cat, cat, 0)
    rank = persons.ticked_rank[pr, catc].astype(np.float32)
    category = np.where(
        has_cat & (rank >= 0),
        ticked_value(rank, config),
        np.where(
            has_cat & persons.inferred[pr, catc],
            config.category_inferred,
            np.where(has_cat & persons.near[pr, catc], config.category_near, 0.0),
        ),
    ).astype(np.float32)
    values = {
        "text": np.clip(sims, 0.0, 1.0).astype(np.float32),
        "category": category,
        "salary": _salary_values(
            persons.expected_min[pr],
            _offer(postings, tr, persons, pr),
            config,
            commission=postings.commission[tr],
        ),
        "location": _location_values(dist, config, persons.wanted_km[pr]),
        "freshness": (  # a value per posting: worked out once each when pairs outnumber them
            _freshness_values(postings.valid_from, day, config)[tr]
            if tr.size > postings.valid_from.size
            else _freshness_values(postings.valid_from[tr], day, config)
        ),
        "area": _area_values(persons, pr, postings.district[tr], dist),
        "schedule": _schedule_values(persons, pr, postings, tr),
    }
    weights = term_weights(config)
    score = sum((weights[t] * values[t] for t in TERMS), np.zeros(idx.shape, np.float32))
    return Scored(keep=idx, values=values, score=score.astype(np.float32), distance_km=dist)


def best_first(
    who: npt.NDArray[np.int64], score: npt.NDArray[np.float32], tie: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The order of scored pairs by profile ``who`` ascending, then ``score`` descending, then
    ``tie`` ascending (a posting's id rank): ``np.lexsort((tie, -score, who))``, by one sort of
    one 64-bit key when the three fit in it (a batch: one key sort instead of three, the same
    order, as no two pairs of a profile share a posting). ``who`` and ``tie`` are ≥ 0."""
    if who.size == 0:
        return np.zeros(0, np.int64)
    tie_bits = max(1, int(tie.max()).bit_length())
    who_bits = max(1, int(who.max()).bit_length())
    if tie_bits + who_bits + 32 > 64 or np.isnan(score).any():  # lexsort puts NaN last
        return np.lexsort((tie, -score, who))
    # float32 → uint32 in the same order (-0.0 made 0.0: they are equal), then reversed
    bits = (score.astype(np.float32) + np.float32(0.0)).view(np.uint32)
    rising = np.where(bits >> np.uint32(31), ~bits, bits | np.uint32(0x80000000))
    falling = (~rising).astype(np.uint64)
    key = who.astype(np.uint64) << np.uint64(32 + tie_bits)
    key |= falling << np.uint64(tie_bits)
    key |= tie.astype(np.uint64)
    return np.argsort(key)


def best_of_each(
    scored: Scored,
    rows: npt.NDArray[np.int64],
    order: npt.NDArray[np.int64],
    first: npt.NDArray[np.int64],
    take: npt.NDArray[np.int64],
) -> list[Scored]:
    """Each profile's best pairs: ``order[first[i] : first[i] + take[i]]`` of ``scored``, with
    posting ``rows`` of the pairs. One gather per term for the whole batch, each profile's
    :class:`Scored` a slice of it (not one gather per term and profile)."""
    ends = np.cumsum(take, dtype=np.int64)
    starts = ends - take
    pick = order[np.repeat(first - starts, take) + np.arange(int(ends[-1]) if ends.size else 0)]
    kept, score, distance = rows[scored.keep[pick]], scored.score[pick], scored.distance_km[pick]
    values = {t: v[pick] for t, v in scored.values.items()}
    return [
        Scored(
            keep=kept[a:b],
            values={t: v[a:b] for t, v in values.items()},
            score=score[a:b],
            distance_km=distance[a:b],
        )  # fmt: skip
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]


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


def term_weights(config: MatchingConfig) -> dict[str, float]:
    """The weight of each term in ``config``."""
    return {
        "text": config.weight_text,
        "category": config.weight_category,
        "salary": config.weight_salary,
        "location": config.weight_location,
        "freshness": config.weight_freshness,
        "area": -config.penalty_outside_area,
        "schedule": -config.penalty_schedule,
    }


def _offer(
    table: PostingTable,
    rows: npt.NDArray[np.int64],
    persons: PersonTable,
    pr: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    """The posting's monthly pay for this person: hourly and daily pay (read at a full-time
    month) scaled to the hours and days the person can work."""
    lo, hi = table.salary_min[rows], table.salary_max[rows]
    offer = np.where(np.isnan(hi), lo, np.where(np.isnan(lo), hi, (lo + hi) / 2))
    period = table.pay_period[rows]
    scale = np.where(
        period == PAY_HOUR,
        persons.work_hours[pr] / HOURS_PER_MONTH,
        np.where(period == PAY_DAY, persons.work_days[pr] / DAYS_PER_MONTH, 1.0),
    )
    return (offer * scale).astype(np.float32)


def _salary_values(
    expected: npt.NDArray[np.float32],
    offer: npt.NDArray[np.float32],
    config: MatchingConfig,
    *,
    commission: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float32]:
    """The fit of the offer to the expected pay. Base + commission with no typical income
    stated: the base is a floor and the rest unknown, so never below the value of unknown pay."""
    floor = config.salary_floor_ratio
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.clip((offer / expected - floor) / (1.0 - floor), 0.0, 1.0)
    v = np.where(commission, np.maximum(v, config.salary_unknown_value), v)
    unknown = np.isnan(offer) | np.isnan(expected) | (expected <= 0)
    return np.where(unknown, config.salary_unknown_value, v).astype(np.float32)


def _location_values(
    dist: npt.NDArray[np.float32],
    config: MatchingConfig,
    wanted_km: npt.NDArray[np.float32] | None = None,
) -> npt.NDArray[np.float32]:
    """1 within ``location_full_km``, linearly to 0 at ``location_zero_km``. A person who
    asks for a distance from home ("离家近", "骑电动车半小时内") has said that nearness is what
    counts: inside that radius the nearer the better, from 1 at home to 0 at the radius
    (further out, the ``area`` penalty speaks)."""
    full, zero = config.location_full_km, config.location_zero_km
    v = np.clip((zero - dist) / (zero - full), 0.0, 1.0)
    if wanted_km is not None and not np.isnan(wanted_km).all():  # else none asked for one
        with np.errstate(invalid="ignore", divide="ignore"):
            near = np.clip(1.0 - dist / wanted_km, 0.0, 1.0)
        v = np.where(np.isnan(wanted_km) | (wanted_km <= 0), v, near)
    return np.where(np.isnan(dist), config.location_unknown_value, v).astype(np.float32)


def _freshness_values(
    valid_from: npt.NDArray[np.int32], day: int, config: MatchingConfig
) -> npt.NDArray[np.float32]:
    age = np.maximum(day - valid_from.astype(np.int64), 0)
    v = np.power(0.5, age / config.freshness_half_life_days)
    return np.where(valid_from == NO_DAY, config.freshness_unknown_value, v).astype(np.float32)


def _area_values(
    persons: PersonTable,
    pr: npt.NDArray[np.int64],
    district: npt.NDArray[np.int16],
    dist: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """0 inside the preferred 地点要求, 0.5 just outside (a bordering district, or within twice
    the radius), 1 further away; the worse of the district and the radius verdicts."""
    by_district = persons.outside[pr, district_column(district)]
    km = persons.wanted_km[pr]
    if np.isnan(km).all():  # no radius asked for: the district verdict alone (the same values)
        return by_district.astype(np.float32)
    with np.errstate(invalid="ignore"):
        by_radius = np.where(
            dist > km + RADIUS_TOLERANCE_KM, np.where(dist > 2 * km, 1.0, 0.5), 0.0
        )
    return np.maximum(by_district, by_radius).astype(np.float32)  # NaN distance or radius: 0


def _schedule_values(
    persons: PersonTable,
    pr: npt.NDArray[np.int64],
    postings: PostingTable,
    tr: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    """How far the posting's working conditions clash with what the person can do: 1 for a
    night/evening/rotating shift against "days only" or a demand a limit rules out, 0.5 an hour
    for hours outside the person's window; the worst of them."""
    off_day = postings.off_day[tr] & persons.days_only[pr]
    # Most persons state no hours and seek full days: what they do not state clashes with
    # nothing, so it is not computed (the values are the same: each such part is 0).
    free_from, free_until = persons.free_from[pr], persons.free_until[pr]
    outside = np.zeros(tr.shape, np.float32)
    if not (np.isnan(free_from).all() and np.isnan(free_until).all()):
        with np.errstate(invalid="ignore"):  # NaN (unknown) gives no clash
            early = np.nan_to_num(free_from - postings.start_h[tr], nan=0.0)
            late = np.nan_to_num(postings.end_h[tr] - free_until, nan=0.0)
        outside = np.maximum(early, 0.0) + np.maximum(late, 0.0)
    # a part-time seeker ("每天4-5小时", "兼职") and a posting that offers no part of a day: its
    # stated hours, or a full working day when it states none, beyond the hours they can work
    can_work = persons.day_hours[pr]
    if not np.isnan(can_work).all():
        start, end, stated = postings.start_h[tr], postings.end_h[tr], postings.day_hours[tr]
        length = np.where(np.isnan(start) | np.isnan(end), FULL_DAY_HOURS, (end - start) % 24)
        too_long = np.where(
            ~np.isnan(stated),  # the shortest day it states ("每次约8小时", "也可每天4小时")
            stated - can_work,
            np.where(postings.part_time_ok[tr], 0.0, length - can_work),
        )
        outside = np.maximum(outside, np.nan_to_num(too_long, nan=0.0))
    hours = np.where(outside > HOURS_TOLERANCE, np.minimum(outside * HOUR_OUTSIDE, 1.0), 0.0)
    limited = (postings.demands[tr] & persons.limits[pr]) != 0
    lacks = _missing_certificates(
        postings.certificates[tr], postings.certificates_any[tr], persons.certificates[pr]
    )
    certs = np.where(lacks & ~EASY, 1.0, np.where(lacks != 0, EASY_CERTIFICATE, 0.0))
    only = postings.street_only[tr]
    other_street = (only != 0) & (persons.street[pr] != 0) & (only != persons.street[pr])
    worst = np.maximum(hours, (off_day | limited | other_street).astype(np.float32))
    wanted = postings.experience[tr]
    lacking = (wanted != 0) & ((wanted & persons.trades[pr]) == 0)
    worst = np.maximum(worst, np.where(lacking, LACKING_EXPERIENCE, 0.0))
    return np.maximum(worst, certs).astype(np.float32)


def _missing_certificates(
    all_of: npt.NDArray[np.int64], any_of: npt.NDArray[np.int64], held: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Vectorised :func:`matching.understand.certificates.missing`."""
    return (all_of & ~held) | np.where((any_of != 0) & ((any_of & held) == 0), any_of, 0)
