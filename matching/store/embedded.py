"""The value objects stored inside person and posting rows: a :class:`~matching.schemas.Location`
or :class:`~matching.schemas.SalaryRange` ↔ its flat, prefixed columns (``residence_city``,
``salary_min_yuan``, …).
"""

from __future__ import annotations

from typing import Any

from matching.schemas import Location, SalaryRange

__all__ = [
    "location_from",
    "location_values",
    "salary_from",
    "salary_values",
]


def location_values(prefix: str, loc: Location | None) -> dict[str, Any]:
    """``{prefix}_city``, ``{prefix}_district``, … of ``loc``; all None without one."""
    fields = ("city", "district", "district_code", "street", "lat", "lon", "precision")
    return {f"{prefix}_{f}": None if loc is None else getattr(loc, f) for f in fields}


def location_from(row: Any, prefix: str) -> Location | None:
    """The location stored under ``prefix`` in ``row``, or None."""
    if getattr(row, f"{prefix}_city") is None:
        return None
    fields = ("city", "district", "district_code", "street", "lat", "lon", "precision")
    return Location(**{f: getattr(row, f"{prefix}_{f}") for f in fields})


def salary_values(prefix: str, pay: SalaryRange | None) -> dict[str, Any]:
    """``{prefix}_min_yuan``, ``{prefix}_max_yuan``, … of ``pay``; all None without one."""
    return {
        f"{prefix}_min_yuan": pay.monthly_min_yuan if pay else None,
        f"{prefix}_max_yuan": pay.monthly_max_yuan if pay else None,
        f"{prefix}_months": pay.months if pay else None,
        f"{prefix}_negotiable": pay.negotiable if pay else None,
        f"{prefix}_commission": pay.commission if pay else None,
    }


def salary_from(row: Any, prefix: str) -> SalaryRange | None:
    """The pay stored under ``prefix`` in ``row``, or None."""
    if getattr(row, f"{prefix}_months") is None:
        return None
    return SalaryRange(
        monthly_min_yuan=getattr(row, f"{prefix}_min_yuan"),
        monthly_max_yuan=getattr(row, f"{prefix}_max_yuan"),
        months=getattr(row, f"{prefix}_months"),
        negotiable=bool(getattr(row, f"{prefix}_negotiable")),
        commission=bool(getattr(row, f"{prefix}_commission")),
    )
