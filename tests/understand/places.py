"""Expected locations for the tests of matching.understand.location (not a test module)."""

from __future__ import annotations

from matching.domain import divisions
from matching.schemas import Location


def tj(district: str, street: str | None = None) -> Location:
    d = divisions.BY_NAME[district]
    return Location(
        city="天津",
        district=d.name,
        district_code=d.code,
        street=street,
        lat=d.lat,
        lon=d.lon,
        precision="street" if street else "district",
    )


def elsewhere(city: str, district: str | None = None) -> Location:
    return Location(city=city, district=district, precision="district" if district else "city")


TIANJIN_CITY = Location(city="天津", precision="city")
