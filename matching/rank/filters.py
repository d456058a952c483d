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
from matching.retrieve.index import RowBitmap
from matching.schemas import Education

_EARTH_KM = 6371.0088


def haversine_km(
    lat1: npt.NDArray[np.float32] | float,
    lon1: npt.NDArray[np.float32] | float,
    lat2: npt.NDArray[np.float32],
    lon2: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Great-circle distance between aligned points, in km (NaN where unknown)."""
    p1, c1, l1 = _sphere(lat1, lon1)
    p2, c2, l2 = _sphere(lat2, lon2)
    return _haversine(p1, c1, l1, p2, c2, l2)


Places = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]  # (latitudes, longitudes)


def pair_distances_km(
    places: Places, first: npt.NDArray[np.int64], others: Places, second: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """``haversine_km`` of the points ``first`` of ``places`` and ``second`` of ``others``
    (pairs aligned), the same numbers: a side with fewer points than pairs (a batch's persons,
    the postings of a nightly snapshot) has its radians and cosine worked out once per point,
    then gathered."""

    def side(at: Places, rows: npt.NDArray[np.int64]) -> list[npt.NDArray[np.float64]]:
        if rows.size > at[0].size:
            return [v[rows] for v in _sphere(*at)]
        return list(_sphere(at[0][rows], at[1][rows]))

    return _haversine(*side(places, first), *side(others, second))


def _sphere(
    lat: npt.NDArray[np.float32] | float, lon: npt.NDArray[np.float32] | float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A point's latitude in radians, its cosine, and its longitude in radians (float64)."""
    phi = np.radians(np.asarray(lat, np.float64))
    return phi, np.cos(phi), np.radians(np.asarray(lon, np.float64))


def _haversine(p1, c1, l1, p2, c2, l2):  # type: ignore[no-untyped-def]
    """The great-circle distance in km (float32) of points given by :func:`_sphere`."""
    a = np.sin((p2 - p1) / 2) ** 2 + c1 * c2 * np.sin((l2 - l1) / 2) ** 2
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
    radius = _radius_km(persons, who, config)
    near = np.flatnonzero(np.isfinite(radius) & np.isfinite(persons.lat[who]))
    if near.size:
        units = (
            posting_units if posting_units is not None else unit_vectors(postings.lat, postings.lon)
        )
        keep[near] &= _within(units, persons, who[near], radius[near])
    return keep


def _radius_km(
    persons: PersonTable, who: npt.NDArray[np.int64], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    """The radius filter of profiles ``who``, with 10 m to spare (NaN: none)."""
    return persons.max_km[who] + config.location_slack_km + 0.01


def _within(
    units: npt.NDArray[np.float64],
    persons: PersonTable,
    who: npt.NDArray[np.int64],
    radius_km: npt.NDArray[np.float32],
) -> npt.NDArray[np.bool_]:
    """(m, n): posting ``units`` within ``radius_km`` of the homes of profiles ``who``, tested
    on the unit sphere (an unknown place passes)."""
    home = unit_vectors(persons.lat[who], persons.lon[who])
    cos_max = np.cos(np.minimum(radius_km / _EARTH_KM, np.pi))
    return ~((home @ units.T) < cos_max[:, None])  # NaN (unknown place) passes


class DayBitmaps:
    """The hard filters of :func:`passing` on one day as bitmaps of every posting row (the
    selector of an IVF search, :class:`~matching.retrieve.index.RowBitmap`).

    The filters a person's education, age and districts set are each the same for everyone
    with that value, so each value's bitmap of the open postings that pass it is built the
    first time a person has it and kept for the day: a profile's passing rows are then two
    or three byte-wise ANDs of n / 8 bytes, not several passes over every open posting. Only
    a radius (its own per person) is tested on the open postings' places.

    Parameters
    ----------
    rows : int64 array
        The postings open on the day (ascending rows of the ``n`` indexed).
    table : PostingTable
        Their attributes, aligned with ``rows``.
    units : float64 array (len(rows), 3)
        Their places on the unit sphere (:func:`unit_vectors`).
    districts : int64 array
        Their :func:`district_column`.
    n : int
        Rows indexed (the bitmaps' width).
    """

    # district sets kept at most (a value not kept is built again when asked)
    MAX_DISTRICT_SETS = 256

    def __init__(
        self,
        rows: npt.NDArray[np.int64],
        table: PostingTable,
        units: npt.NDArray[np.float64],
        districts: npt.NDArray[np.int64],
        n: int,
    ) -> None:
        self.rows, self.table, self.units, self.districts, self.n = rows, table, units, districts, n
        self._education: dict[int, RowBitmap] = {}
        self._age: dict[int, RowBitmap] = {}
        self._district: dict[bytes, RowBitmap] = {}
        self._primed = False

    def prime(self, config: MatchingConfig) -> None:
        """Build the bitmaps of every education level and of every working age (from
        ``min_working_age`` to 63, the latest statutory retirement age), so that no request
        of the day pays for them (about 60 passes over the open postings: at 1M postings on
        the first search of the day, not one pass on each of 60 requests)."""
        for education in Education:
            self._education_bitmap(int(education))
        for age in range(config.min_working_age, 64):
            self._age_bitmap(age)
        self._primed = True

    def passing(self, persons: PersonTable, i: int, *, config: MatchingConfig) -> RowBitmap:
        """The rows open on the day that pass profile ``i``'s hard filters: the rows of
        ``passing(persons, [i], …)`` (those of the day's open postings), as a bitmap."""
        if not self._primed:
            self.prime(config)
        out = self._education_bitmap(int(persons.education[i]))
        age = int(persons.age[i])
        if age >= 0:  # an unknown age passes the age limits
            out &= self._age_bitmap(age)
        allowed = persons.allowed[i]
        if not allowed.all():
            key = np.packbits(allowed).tobytes()
            out &= self._kept(self._district, key, lambda: allowed[self.districts],
                              limit=self.MAX_DISTRICT_SETS)  # fmt: skip
        who = np.array([i], np.int64)
        radius = _radius_km(persons, who, config)
        if np.isfinite(radius[0]) and np.isfinite(persons.lat[i]):
            out &= self._bitmap(_within(self.units, persons, who, radius)[0])
        return out

    def _education_bitmap(self, education: int) -> RowBitmap:
        return self._kept(self._education, education,
                          lambda: self.table.education_min <= education)  # fmt: skip

    def _age_bitmap(self, age: int) -> RowBitmap:
        t = self.table  # the age limits alone (every posting's education_min ≤ 127)
        return self._kept(self._age, age, lambda: requirements_met(
            t.education_min, t.age_min, t.age_max, np.int8(127), np.int16(age)))  # fmt: skip

    def _kept(self, kept, key, mask, limit: int = 1_000):  # type: ignore[no-untyped-def]
        """``kept[key]``, made from ``mask()`` (over the open rows) when missing."""
        bitmap = kept.get(key)
        if bitmap is None:
            bitmap = self._bitmap(mask())
            if len(kept) < limit:
                kept[key] = bitmap
        return bitmap

    def _bitmap(self, mask: npt.NDArray[np.bool_]) -> RowBitmap:
        """The open rows where ``mask`` (aligned with ``rows``) is True, of all ``n``."""
        return RowBitmap.of_rows(self.rows[mask], self.n)
