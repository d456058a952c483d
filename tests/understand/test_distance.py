"""Tests for matching.understand.location.distance: distances and neighbouring districts."""

from __future__ import annotations

import math

from matching.domain import divisions
from matching.schemas import Location
from matching.understand.location import distance_km, neighbours
from tests.understand.places import TIANJIN_CITY, elsewhere, tj


def test_distances_between_district_centres() -> None:
    heping, hexi, jizhou = tj("和平区"), tj("河西区"), tj("蓟州区")
    assert 0.5 < distance_km(heping, hexi) < 5  # type: ignore[operator]
    assert distance_km(heping, jizhou) > 80  # type: ignore[operator]
    assert distance_km(heping, hexi) == distance_km(hexi, heping)
    assert distance_km(heping, tj("和平区", "小白楼街道")) == 0.0  # "同区"


def test_distance_is_none_without_coordinates() -> None:
    assert distance_km(tj("和平区"), elsewhere("南京", "栖霞区")) is None
    assert distance_km(TIANJIN_CITY, tj("和平区")) is None


def test_haversine_matches_a_known_distance() -> None:
    # One degree of latitude is about 111.2 km on the mean sphere.
    a = Location(city="天津", lat=39.0, lon=117.0)
    b = Location(city="天津", lat=40.0, lon=117.0)
    assert math.isclose(distance_km(a, b), 111.19, rel_tol=1e-3)  # type: ignore[arg-type]


def test_neighbours_are_the_bordering_districts() -> None:
    assert set(neighbours("和平区")) == {"河西区", "河东区", "南开区", "河北区"}
    assert neighbours("河西") == neighbours("河西区")
    assert neighbours("蓟州区") == ("宝坻区",)  # 50 km apart, yet they share a border
    assert "静海区" in neighbours("西青区") and "西青区" in neighbours("静海区")
    assert neighbours("朝阳区") == ()
    for d in divisions.NAMES:
        for n in neighbours(d):
            assert d in neighbours(n)  # symmetric
