"""Addresses and location requirements: "天津·南开区" → :class:`Location`, "离家5公里内" → rule.

Two halves:

* :func:`parse_location` (:mod:`~matching.understand.location.address`) reads an address as
  people and job boards write it (Tianjin addresses down to the street/town, and "城市-区" /
  "省 - 市" strings of other cities) into a :class:`~matching.schemas.Location`.
  :func:`distance_km` (:mod:`~matching.understand.location.distance`) measures between two of
  them.
* :func:`parse_location_requirement` (:mod:`~matching.understand.location.requirement`) reads
  a person's 地点要求 into a :class:`LocationRequirement`; :func:`satisfies` checks a place
  against it and :func:`describe` says it back in plain Chinese.

The place names they read (:mod:`~matching.understand.location.reference`) are loaded
lazily, once, on first use; importing this package does no work. Coordinates stop at the
district: a Tianjin location carries its district's centre.
"""

from matching.understand.location.address import parse_location
from matching.understand.location.distance import distance_km, neighbours
from matching.understand.location.reference import street_names
from matching.understand.location.requirement import (
    CENTRAL_DISTRICTS,
    METRO_REACH_KM,
    NEAR_HOME_KM,
    SPEED_KMH,
    LocationRequirement,
    describe,
    parse_location_requirement,
    satisfies,
)

__all__ = [
    "CENTRAL_DISTRICTS",
    "LocationRequirement",
    "METRO_REACH_KM",
    "NEAR_HOME_KM",
    "SPEED_KMH",
    "describe",
    "distance_km",
    "neighbours",
    "parse_location",
    "parse_location_requirement",
    "satisfies",
    "street_names",
]
