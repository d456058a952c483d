"""Persons (附件2 columns) from a bureau spreadsheet: :func:`read_persons`.

Each row is checked before it becomes a :class:`~matching.schemas.Person`: the ID number
(GB 11643; birth date and gender are read from it), the gender column against it, district,
phone, dates, wanted categories, status and deregistration reason. The later of two rows with
the same ID number is rejected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matching.domain import divisions
from matching.domain.categories import Category, parse_categories
from matching.domain.columns import PERSON_HEADERS, PERSON_REQUIRED
from matching.domain.idcard import parse_id_number
from matching.exceptions import InputError
from matching.ingest.cells import is_blank, normalize_phone, parse_date, parse_work_history
from matching.ingest.choices import (
    parse_bool,
    parse_deregistration_reason,
    parse_gender,
    parse_other_needs,
    parse_status,
    parse_work_forms,
)
from matching.ingest.rows import (
    LoadResult,
    Row,
    district_cell,
    education_cell,
    load_records,
    location_of,
    reject_invalid,
)
from matching.schemas import Education, Location, Person, PersonStatus, SalaryRange

__all__ = ["read_persons"]

# model field → the source field whose column to blame when pydantic refuses the value
_PERSON_SOURCES = {"birth_date": "id_number", "residence": "residential_address"}
_SAME_AS_HOUSEHOLD = frozenset({"同上", "同户籍地址", "同户籍地", "同户籍", "同户籍住址", "同左"})
_NO_CATEGORY = frozenset({"无", "不限", "均可", "都可以", "都行", "任意"})


def _person_district(row: Row, residence: Location | None, household: str) -> str:
    """所属区 from its column; a sheet laid out as the 附件2 form has none (or leaves it empty),
    so the district of 常住住址, then of 户籍地址. Rejected only when none of them gives one."""
    name = row.parse("district", district_cell)
    if name is not None:
        return name
    if residence is not None and residence.district in divisions.BY_NAME:
        return residence.district
    home = location_of(household)
    if home is not None and home.district in divisions.BY_NAME:
        return home.district
    residential = row.text("residential_address")
    row.fail(
        "district",
        row.get("district"),
        f"所属区为空，且无法从常住住址（{residential or '空'}）或户籍地址（{household or '空'}）"
        "中识别天津市的区 / district is empty and no Tianjin district can be read from the "
        f"residential address ({residential or 'empty'}) or the household address "
        f"({household or 'empty'})",
    )


def _check_date(row: Row, name: str, day: dt.date | None, birth: dt.date, today: dt.date) -> None:
    if day is None:
        return
    if day > today:
        row.fail(name, row.get(name), f"日期{day}晚于今天（{today}） / date {day} is in the future")
    if day < birth:
        row.fail(
            name,
            row.get(name),
            f"日期{day}早于出生日期{birth} / date {day} is before birth {birth}",
        )


def _wanted_categories(row: Row) -> tuple[Category, ...]:
    text = row.text("wanted_categories")
    if not text or text in _NO_CATEGORY:
        return ()
    found = parse_categories(text)
    if not found:
        row.fail(
            "wanted_categories",
            text,
            f"无法识别的岗位意愿：{text!r}（请填A–R或类别名称） / "
            f"unknown job category {text!r} (write A–R or a category label)",
        )
    return found


def _expected_pay(value: object) -> SalaryRange | None:
    from matching.understand.salary import parse_expected_pay

    try:
        return parse_expected_pay(value)
    except InputError:
        return None  # kept as text; a caseworker can still read it


def _status(row: Row) -> tuple[PersonStatus, int | None]:
    status = row.parse("status", parse_status)
    reason = row.parse("deregistration_reason", parse_deregistration_reason)
    if status is None:
        status = PersonStatus.DEREGISTERED if reason is not None else PersonStatus.REGISTERED
    if status is PersonStatus.DEREGISTERED and reason is None:
        row.fail(
            "deregistration_reason",
            None,
            "已注销人员须填写注销原因（1–12） / a deregistered person needs a reason (1–12)",
        )
    if status is PersonStatus.REGISTERED and reason is not None:
        row.fail(
            "status",
            row.get("status"),
            f"人员状态为在册，却填写了注销原因{reason} / "
            f"status is registered but deregistration reason {reason} is given",
        )
    return status, reason


def _build_person(row: Row, number: int, seen: dict[str, int], today: dt.date) -> Person:
    name = row.text("name")
    if not name:
        row.fail("name", None, "姓名为空 / name is empty")
    id_value = row.get("id_number")
    if is_blank(id_value):
        row.fail("id_number", None, "身份证号码为空 / ID number is empty")
    if isinstance(id_value, float) and id_value >= 1e15:
        # Excel keeps 15 significant digits: an 18-digit number cell has lost its tail.
        row.fail(
            "id_number",
            id_value,
            "身份证号码被Excel存成了数字，后几位已丢失；请把该列设为文本后重新填写 / "
            "the ID number was stored as a number and Excel dropped its last digits; "
            "format the column as text and enter it again",
        )
    info = row.parse("id_number", parse_id_number)
    assert info is not None
    if info.number in seen:
        row.fail(
            "id_number",
            row.get("id_number"),
            f"与第{seen[info.number]}行身份证号码重复 / same ID number as row {seen[info.number]}",
        )
    seen[info.number] = number
    gender = row.parse("gender", parse_gender)
    if gender is not None and gender != info.gender:
        row.fail(
            "gender",
            row.get("gender"),
            f"性别填写为“{gender}”，但身份证号码{info.number}显示为“{info.gender}” / "
            f"gender says {gender} but ID number {info.number} says {info.gender}",
        )
    household = row.text("household_address")
    residential = row.text("residential_address")
    if residential in _SAME_AS_HOUSEHOLD:  # the form's "同上": lives at the registered address
        residential = household
    residence = location_of(residential)
    district = _person_district(row, residence, household)
    registered_on = row.parse("registered_on", parse_date)
    _check_date(row, "registered_on", registered_on, info.birth_date, today)
    unemployed_since = row.parse("unemployed_since", parse_date)
    _check_date(row, "unemployed_since", unemployed_since, info.birth_date, today)
    status, reason = _status(row)
    pay_value = row.get("expected_pay")
    fields: dict[str, Any] = {
        "id_number": info.number,
        "name": name,
        "gender": info.gender,
        "birth_date": info.birth_date,
        "phone": row.parse("phone", normalize_phone),
        "education": row.parse("education", education_cell) or Education.NONE,
        "skills": row.text("skills"),
        "registered_on": registered_on,
        "unemployed_since": unemployed_since,
        "household_address": household,
        "residential_address": residential,
        "residence": residence,
        "work_forms": row.parse("work_forms", parse_work_forms) or (),
        "wanted_categories": _wanted_categories(row),
        "expected_pay_text": row.text("expected_pay"),
        "expected_pay": None if is_blank(pay_value) else _expected_pay(pay_value),
        "location_requirement": row.text("location_requirement"),
        "other_needs": row.parse("other_needs", parse_other_needs) or (),
        "work_history": row.parse("work_history", parse_work_history) or (),
        "district": district,
        "status": status,
        "deregistration_reason": reason,
        "accepts_messages": row.parse("accepts_messages", parse_bool) is not False,
        "note": row.text("note"),
    }
    try:
        return Person(**fields)
    except ValidationError as exc:
        reject_invalid(row, exc, _PERSON_SOURCES)


def read_persons(
    path: str | Path, *, sheet: str | None = None, today: dt.date | None = None
) -> LoadResult[Person]:
    """Read registered unemployed persons (附件2 columns) from an .xlsx or .csv file.

    Each row is checked: ID number (GB 11643, birth date and gender read from it), gender
    column against the ID, district (所属区; when the sheet has no such column or the cell is
    empty, the district of 常住住址, then of 户籍地址), phone,
    dates (not in the future, not before birth), categories, status and reason. The later
    of two rows with the same ID number is rejected.

    Parameters
    ----------
    path : str or Path
        The spreadsheet.
    sheet : str, optional
        Sheet name for .xlsx; the first sheet by default.
    today : date, optional
        The day dates must not lie after; ``date.today()`` by default.

    Returns
    -------
    LoadResult[Person]
        ``items`` as ``(row_number, Person)``, ``errors`` one
        :class:`~matching.ingest.rows.RowError` per bad row.

    Raises
    ------
    MissingColumnsError
        When 姓名 or 身份证号码 has no column; nothing is read. (The 附件2 form has no 所属区
        column: the district in charge is then read from the addresses, row by row.)
    InputError
        When the file cannot be read at all.
    """
    seen: dict[str, int] = {}
    day = today or dt.date.today()
    return load_records(
        path,
        sheet=sheet,
        header_map=PERSON_HEADERS,
        required=PERSON_REQUIRED,
        build=lambda row, number: _build_person(row, number, seen, day),
    )
