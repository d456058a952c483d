"""Job postings from a bureau spreadsheet: :func:`read_postings`.

Salary is kept as text and parsed; the district comes from its column or else the address;
education, age and experience from their columns or else the description.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matching.domain import divisions
from matching.domain.categories import Category, parse_categories
from matching.domain.columns import POSTING_HEADERS, POSTING_REQUIRED
from matching.exceptions import InputError
from matching.ingest.cells import is_blank, normalize_phone, parse_date, parse_headcount
from matching.ingest.choices import parse_bool
from matching.ingest.rows import (
    LoadResult,
    Row,
    district_cell,
    district_location,
    education_cell,
    load_records,
    location_of,
    reject_invalid,
)
from matching.schemas import Education, Posting, SalaryRange

__all__ = ["read_postings"]

_POSTING_SOURCES = {
    "salary": "salary_text",
    "age_min": "age_text",
    "age_max": "age_text",
    "experience_years": "experience_text",
    "location": "address",
}


def _category(value: object) -> Category:
    text = str(value).strip()
    found = parse_categories(text)
    if len(found) != 1:
        raise InputError(
            f"岗位类别应为A–R中的一个或其名称，实为{text!r} / "
            f"category must be one code A–R or its label, got {text!r}"
        )
    return found[0]


def _salary(value: object) -> SalaryRange | None:
    from matching.understand.salary import parse_salary

    return parse_salary(str(value).strip())


def _age_range(value: object) -> tuple[int | None, int | None]:
    from matching.understand.requirements import parse_age_range

    return parse_age_range(str(value).strip())


def _experience(value: object) -> int | None:
    from matching.understand.requirements import parse_experience_years

    return parse_experience_years(str(value).strip())


def _requirements(row: Row, description: str) -> dict[str, Any]:
    """Education, age and experience from their columns, else from the description."""
    from matching.understand.requirements import extract_requirements

    found: list[Mapping[str, Any]] = []

    def extracted() -> Mapping[str, Any]:
        # the description is read only when a column is blank (most sheets fill all three)
        if not found:
            found.append(extract_requirements(description) if description else {})
        return found[0]

    education = row.parse("education_min", education_cell)
    if education is None:
        education = extracted().get("education_min") or Education.NONE
    ages = row.parse("age_text", _age_range)
    if ages is None:
        ages = (extracted().get("age_min"), extracted().get("age_max"))
    experience = row.parse("experience_text", _experience)
    if is_blank(row.get("experience_text")):
        experience = extracted().get("experience_years")
    return {
        "education_min": education,
        "age_min": ages[0],
        "age_max": ages[1],
        "experience_years": experience,
    }


def _build_posting(row: Row, number: int) -> Posting:
    title = row.text("title")
    if not title:
        row.fail("title", None, "岗位名称为空 / job title is empty")
    address = row.text("address")
    location = location_of(address)
    district = row.parse("district", district_cell)
    if district is None and location is not None and location.district in divisions.BY_NAME:
        district = location.district
    if district is not None and (location is None or location.district != district):
        location = district_location(district)
    salary_text = row.text("salary_text")
    description = row.text("description")
    valid_from = row.parse("valid_from", parse_date)
    valid_until = row.parse("valid_until", parse_date)
    if valid_from and valid_until and valid_from > valid_until:
        row.fail(
            "valid_until",
            row.get("valid_until"),
            f"有效期止{valid_until}早于有效期起{valid_from} / "
            f"valid until {valid_until} is before valid from {valid_from}",
        )
    fields: dict[str, Any] = {
        "title": title,
        "description": description,
        "employer": row.text("employer"),
        "address": address,
        "district": district,
        "location": location,
        "salary_text": salary_text,
        "salary": row.parse("salary_text", _salary),
        "headcount": row.parse("headcount", parse_headcount),
        **_requirements(row, description),
        "category": row.parse("category", _category),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "filled": bool(row.parse("filled", parse_bool)),
        "source": row.text("source"),
        "source_id": row.text("source_id"),
        "contact_phone": row.parse("contact_phone", normalize_phone),
    }
    try:
        return Posting(**fields)
    except ValidationError as exc:
        reject_invalid(row, exc, _POSTING_SOURCES)


def read_postings(path: str | Path, *, sheet: str | None = None) -> LoadResult[Posting]:
    """Read job postings from an .xlsx or .csv file.

    Salary is kept as text and parsed; the district comes from its column or else the
    address; education, age and experience from their columns or else the description.

    Parameters
    ----------
    path : str or Path
        The spreadsheet.
    sheet : str, optional
        Sheet name for .xlsx; the first sheet by default.

    Returns
    -------
    LoadResult[Posting]
        ``items`` as ``(row_number, Posting)`` (``id`` empty: the store assigns it).

    Raises
    ------
    MissingColumnsError
        When there is no 岗位名称 column; nothing is read.
    InputError
        When the file cannot be read at all.
    """
    return load_records(
        path,
        sheet=sheet,
        header_map=POSTING_HEADERS,
        required=POSTING_REQUIRED,
        build=_build_posting,
    )
