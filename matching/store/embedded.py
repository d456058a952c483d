"""The value objects stored inside person and posting rows: a :class:`~matching.schemas.Location`
or :class:`~matching.schemas.SalaryRange` ↔ its flat, prefixed columns (``residence_city``,
``salary_min_yuan``, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.schemas import Location, SalaryRange

__all__ = [
    "location_fields",
    "location_from",
    "location_values",
    "salary_fields",
    "salary_from",
    "salary_values",
]

_LOCATION = ("city", "district", "district_code", "street", "lat", "lon", "precision")


def location_values(prefix: str, loc: Location | None) -> dict[str, Any]:
    """``{prefix}_city``, ``{prefix}_district``, … of ``loc``; all None without one."""
    return {f"{prefix}_{f}": None if loc is None else getattr(loc, f) for f in _LOCATION}


def location_fields(values: Mapping[str, Any], prefix: str) -> dict[str, Any] | None:
    """The fields of the location stored under ``prefix`` in the column ``values``, or None."""
    if values[f"{prefix}_city"] is None:
        return None
    return {f: values[f"{prefix}_{f}"] for f in _LOCATION}


def location_from(row: Any, prefix: str) -> Location | None:
    """The location stored under ``prefix`` in ``row``, or None."""
    found = location_fields({f"{prefix}_{f}": getattr(row, f"{prefix}_{f}") for f in _LOCATION},
                            prefix)  # fmt: skip
    return None if found is None else Location(**found)


def salary_values(prefix: str, pay: SalaryRange | None) -> dict[str, Any]:
    """``{prefix}_min_yuan``, ``{prefix}_max_yuan``, … of ``pay``; all None without one."""
    return {
        f"{prefix}_min_yuan": pay.monthly_min_yuan if pay else None,
        f"{prefix}_max_yuan": pay.monthly_max_yuan if pay else None,
        f"{prefix}_months": pay.months if pay else None,
        f"{prefix}_negotiable": pay.negotiable if pay else None,
        f"{prefix}_commission": pay.commission if pay else None,
    }


def salary_fields(values: Mapping[str, Any], prefix: str) -> dict[str, Any] | None:
    """The fields of the pay stored under ``prefix`` in the column ``values``, or None."""
    if values[f"{prefix}_months"] is None:
        return None
    return {
        "monthly_min_yuan": values[f"{prefix}_min_yuan"],
        "monthly_max_yuan": values[f"{prefix}_max_yuan"],
        "months": values[f"{prefix}_months"],
        "negotiable": bool(values[f"{prefix}_negotiable"]),
        "commission": bool(values[f"{prefix}_commission"]),
    }


def salary_from(row: Any, prefix: str) -> SalaryRange | None:
    """The pay stored under ``prefix`` in ``row``, or None."""
    keys = ("min_yuan", "max_yuan", "months", "negotiable", "commission")
    found = salary_fields({f"{prefix}_{k}": getattr(row, f"{prefix}_{k}") for k in keys}, prefix)
    return None if found is None else SalaryRange(**found)
