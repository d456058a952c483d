"""Distances between places: great-circle km between district centres, and neighbours.

Every Tianjin location carries its district's centre, so two places in one district are 0 km
apart ("同区"); :func:`neighbours` gives the districts meant by "及周边": those that share a
border (:mod:`matching.domain.adjacency`), not those whose centres happen to be close.
"""

from __future__ import annotations

import math

from matching.domain import adjacency
from matching.schemas import Location

__all__ = ["distance_km", "neighbours"]

_EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def distance_km(a: Location, b: Location) -> float | None:
    """Great-circle (haversine) distance in km; None when either lacks coordinates.

    Two locations in the same Tianjin district get 0.0 (both carry the district's centre),
    which callers read as "同区".

    Examples
    --------
    >>> distance_km(parse_location("和平区"), parse_location("和平区"))
    0.0
    """
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return _haversine_km(a.lat, a.lon, b.lat, b.lon)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def neighbours(district: str) -> tuple[str, ...]:
    """The districts bordering this one (what "及周边" adds), in the report order of 附件1.

    Accepts a full name, short name, alias or code ("河西", "塘沽"); an unknown name gives ().

    Examples
    --------
    >>> neighbours("静海区")
    ('滨海新区', '西青区')
    """
    return adjacency.bordering(district)
