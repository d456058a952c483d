"""Hard filters: which (profile, posting) pairs may be shown at all, and distances.

A posting passes when it is open on the day (valid, not filled), the person meets its
education and age requirements, and it lies within the person's location requirement
(districts, or a radius). :func:`passing` tests one row per profile against every posting;
:func:`~matching.rank.scoring.score_pairs` applies the same filters to aligned pairs.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.rank.reposts import shown_on
from matching.rank.tables import DISTRICT_INDEX, PersonTable, PostingTable, day_number

_EARTH_KM = 6371.0088


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
    """Postings valid on ``day``, not filled, and not stood for by a later open repost of the
    same job (the first hard filter)."""
    d = day_number(day, 0)
    base = (postings.valid_from <= d) & (postings.valid_until >= d) & ~postings.filled
    return shown_on(base, postings.repost_group, postings.repost_rank)


def requirements_met(
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


def district_column(district: npt.NDArray[np.int16]) -> npt.NDArray[np.int64]:
    """Column of :attr:`PersonTable.allowed` for each posting district (the last: unknown)."""
    column = district.astype(np.int64)
    column[column < 0] = len(DISTRICT_INDEX)
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
    opened: npt.NDArray[np.bool_] | bool | None = None,
    districts: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.bool_]:
    """The hard filters of :func:`~matching.rank.scoring.score_pairs` for profiles ``who`` ×
    every posting, (m, n).

    Same filters, one row per profile, without the pair-by-pair gathers. The radius filter is
    tested on the unit sphere with 10 m to spare in the person's favour, so it never drops a
    posting that ``score_pairs`` keeps; ``score_pairs`` applies it exactly afterwards. Callers
    that keep them pass ``opened`` (:func:`open_on` of ``postings`` on ``today``; True when
    every posting is open that day, as in a :class:`~matching.rank.dayview.DayView`) and
    ``districts`` (:func:`district_column` of the postings).
    """
    who = np.asarray(who, np.int64)
    n = postings.category.shape[0]
    keep = np.empty((who.size, n), np.bool_)
    keep[:] = open_on(postings, today) if opened is None else opened
    keep &= requirements_met(
        postings.education_min[None, :], postings.age_min[None, :], postings.age_max[None, :],
        persons.education[who, None], persons.age[who, None],
    )  # fmt: skip
    allowed = persons.allowed[who]
    limited = np.flatnonzero(~allowed.all(axis=1))
    if limited.size:
        column = district_column(postings.district) if districts is None else districts
        keep[limited] &= allowed[limited][:, column]
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
