"""Read persons and postings from the bureau's spreadsheets (.xlsx, .csv), with rejects.

The flow::

    read_table(path)            header row found among the first rows, headers normalised
        ▼
    read_persons / read_postings
        │  header → field via matching.domain.columns; missing required columns → MissingColumnsError
        │  each row: cells parsed (matching.ingest.validation, salary, requirements, location),
        │            cross-checked, then validated by the frozen pydantic model
        ▼
    LoadResult(items=[(row, Person)…], errors=[RowError…])  ── write_rejects → <stem>.rejects.csv

A bad row never stops the import: it becomes exactly one :class:`RowError` naming the
first problem found (column, value, reason in Chinese and English), so an operator's
spreadsheet does not lose 999 good rows to one bad one and nothing is silently dropped.
Row numbers are the ones a person sees in Excel (1-based, title and header rows counted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

from pydantic import ValidationError

from matching.domain import divisions
from matching.domain.categories import Category, parse_categories
from matching.domain.columns import (
    PERSON_HEADERS,
    PERSON_REQUIRED,
    POSTING_HEADERS,
    POSTING_REQUIRED,
)
from matching.domain.idcard import parse_id_number
from matching.exceptions import InputError, MissingColumnsError
from matching.ingest.validation import (
    is_blank,
    normalize_phone,
    parse_bool,
    parse_date,
    parse_deregistration_reason,
    parse_gender,
    parse_headcount,
    parse_other_needs,
    parse_status,
    parse_work_forms,
    parse_work_history,
)
from matching.schemas import Education, Location, Person, PersonStatus, Posting, SalaryRange

__all__ = [
    "LoadResult",
    "RowError",
    "Table",
    "normalize_header",
    "read_persons",
    "read_postings",
    "read_table",
    "write_rejects",
    "write_table",
]

T = TypeVar("T")
_V = TypeVar("_V")

HEADER_SCAN_ROWS = 15  # the header row is looked for among this many first rows
REJECT_COLUMNS = ("行号", "列", "值", "原因", "reason")


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet's rows keyed by header.

    ``rows`` is a list of ``(row_number, {header: value})`` with the row number as Excel
    shows it; fully empty rows are left out. Strings are stripped, empty strings are None.
    """

    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]
    header_row: int = 1


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was rejected: the first problem found in it."""

    row: int
    column: str | None
    value: object
    reason_zh: str
    reason_en: str
    original: dict[str, object]

    def __str__(self) -> str:
        where = f"第{self.row}行 row {self.row}" + (
            f"，列 column {self.column}" if self.column else ""
        )
        return f"{where}：{self.reason_zh} / {self.reason_en}"


@dataclass(slots=True)
class LoadResult(Generic[T]):
    """What an import produced: ``items`` as ``(row_number, model)`` and the rejects."""

    file: str
    items: list[tuple[int, T]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    headers: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- headers

_BRACKETED_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_HEADER_JUNK_RE = re.compile(r"[\s()\[\]【】*:]")


def normalize_header(header: object) -> str:
    """The header as matched: NFKC, no spaces or line breaks, no brackets or ``*`` marks.

    Examples
    --------
    >>> normalize_header("失业登记\\n时间（必填）")
    '失业登记时间必填'
    """
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header))
    return _HEADER_JUNK_RE.sub("", text).lower()


def _header_index(header_map: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """normalised header → field; the field's English name is accepted too."""
    index: dict[str, str] = {}
    for name, accepted in header_map.items():
        for header in (name, *accepted):
            index.setdefault(normalize_header(header), name)
    return index


def _field_of(header: str, index: Mapping[str, str]) -> str | None:
    key = normalize_header(header)
    if key in index:
        return index[key]
    # "身份证号码（18位）": try again without the bracketed note
    bare = normalize_header(_BRACKETED_RE.sub("", unicodedata.normalize("NFKC", header)))
    return index.get(bare)


def _map_columns(headers: Sequence[str], index: Mapping[str, str]) -> dict[str, str]:
    """field → the header of the first column that maps to it."""
    columns: dict[str, str] = {}
    for header in headers:
        name = _field_of(header, index)
        if name is not None and name not in columns:
            columns[name] = header
    return columns


# ---------------------------------------------------------------------------- reading


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"无法打开Excel文件：{exc} / cannot open the Excel file: {exc}", file=str(path)
        ) from exc
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            names = "、".join(wb.sheetnames)
            raise InputError(
                f"找不到工作表“{sheet}”（有：{names}） / no sheet {sheet!r} (sheets: {names})",
                file=str(path),
            )
        # Exporters often write a wrong <dimension>; ignore it and read what is there.
        ws.reset_dimensions()  # type: ignore[union-attr]
        # read-only mode yields missing rows as empty tuples, so row numbers stay true
        yield from ws.iter_rows(values_only=True)  # type: ignore[union-attr]
    finally:
        wb.close()


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) when it decodes strictly, else GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            "CSV文件编码无法识别，请另存为UTF-8 / cannot decode the CSV file; save it as UTF-8",
            file=str(path),
        ) from exc


def _csv_rows(path: Path) -> Iterator[tuple[object, ...]]:
    text = _decode(path.read_bytes(), path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield tuple(record)
    except csv.Error as exc:
        raise InputError(
            f"CSV文件格式错误：{exc} / malformed CSV file: {exc}", file=str(path)
        ) from exc


def _raw_rows(path: Path, sheet: str | None) -> Iterator[tuple[object, ...]]:
    if not path.is_file():
        raise InputError(f"文件不存在：{path} / no such file: {path}", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path)
    raise InputError(
        f"不支持的文件类型“{suffix}”，请使用.xlsx或.csv（.xls请另存为.xlsx） / "
        f"unsupported file type {suffix!r}; use .xlsx or .csv (save .xls as .xlsx)",
        file=str(path),
    )


def _is_header(cells: Sequence[object], index: Mapping[str, str], required: Sequence[str]) -> bool:
    found = {_field_of(str(c), index) for c in cells if not is_blank(c)} - {None}
    return len(found) >= 2 or (bool(required) and set(required) <= found)


def _headers(cells: Sequence[object]) -> list[str]:
    """Header texts, trailing empty cells dropped, empty ones named 列N, duplicates numbered."""
    texts = [str(c).strip() if not is_blank(c) else "" for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    headers: list[str] = []
    for i, text in enumerate(texts, start=1):
        name = text or f"列{i}"
        n = 2
        while name in headers:
            name, n = f"{text or f'列{i}'}_{n}", n + 1
        headers.append(name)
    return headers


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    header_map: Mapping[str, tuple[str, ...]] | None = None,
    required: Sequence[str] = (),
) -> Table:
    """Read the first sheet of an .xlsx (or a named one) or a .csv into a :class:`Table`.

    The header row is the first of the first 15 rows that holds at least two known headers
    (or all ``required`` fields); bureau sheets have a title line, maybe a blank row, above
    it. When no row qualifies the first non-empty row is used. CSV may be UTF-8, UTF-8 with
    BOM, GBK or GB18030.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        Sheet name for .xlsx; the first sheet by default.
    header_map : mapping, optional
        field → accepted headers, used to find the header row; persons' and postings'
        maps from :mod:`matching.domain.columns` by default.
    required : sequence of str
        Fields that alone identify the header row.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        When the file is missing, of an unsupported type, or cannot be opened or decoded.
    """
    path = Path(path)
    index = _header_index(header_map or {**POSTING_HEADERS, **PERSON_HEADERS})
    rows = _raw_rows(path, sheet)
    scanned: list[tuple[int, tuple[object, ...]]] = []
    header_at: int | None = None
    for number, cells in enumerate(rows, start=1):
        scanned.append((number, cells))
        if _is_header(cells, index, required):
            header_at = len(scanned) - 1
            break
        if number >= HEADER_SCAN_ROWS:
            break
    if header_at is None:  # no known headers: take the first non-empty row
        header_at = next((i for i, (_, c) in enumerate(scanned) if any(map(_clean, c))), None)
        if header_at is None:
            return Table(headers=[], rows=[], header_row=1)
    header_row, header_cells = scanned[header_at]
    headers = _headers(header_cells)
    pending = scanned[header_at + 1 :]
    table_rows: list[tuple[int, dict[str, object]]] = []
    for number, cells in _chain(pending, rows, start=scanned[-1][0] + 1):
        values = [_clean(v) for v in cells[: len(headers)]]
        if all(v is None for v in values):
            continue
        values += [None] * (len(headers) - len(values))
        table_rows.append((number, dict(zip(headers, values, strict=True))))
    return Table(headers=headers, rows=table_rows, header_row=header_row)


def _chain(
    first: list[tuple[int, tuple[object, ...]]], rest: Iterator[tuple[object, ...]], start: int
) -> Iterator[tuple[int, tuple[object, ...]]]:
    yield from first
    yield from enumerate(rest, start=start)


# ---------------------------------------------------------------------------- row helpers


class _RowProblem(Exception):
    """The first problem of a row; becomes a RowError."""

    def __init__(self, column: str | None, value: object, zh: str, en: str) -> None:
        super().__init__(zh)
        self.column, self.value, self.zh, self.en = column, value, zh, en


def _split_message(message: str) -> tuple[str, str]:
    zh, sep, en = message.partition(" / ")
    return (zh, en) if sep else (message, message)


class _Row:
    """One row's cells by field, and the headers to name in errors."""

    def __init__(
        self, values: Mapping[str, object], columns: Mapping[str, str], canonical: Mapping[str, str]
    ) -> None:
        self.values = values
        self.columns = columns
        self.canonical = canonical

    def header(self, name: str) -> str:
        return self.columns.get(name) or self.canonical.get(name, name)

    def get(self, name: str) -> object:
        header = self.columns.get(name)
        return None if header is None else self.values.get(header)

    def text(self, name: str) -> str:
        value = self.get(name)
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell: 123.0 is the id "123"
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        return str(value).strip()

    def parse(self, name: str, parser: Callable[[Any], _V]) -> _V | None:
        """``parser(value)`` for a non-empty cell, None for an empty one."""
        value = self.get(name)
        if is_blank(value):
            return None
        try:
            return parser(value)
        except InputError as exc:
            self.fail(name, value, exc.message)

    def fail(self, name: str, value: object, message: str) -> NoReturn:
        """Reject the row, blaming ``name``'s column; ``message`` is "中文 / English"."""
        raise _RowProblem(self.header(name), value, *_split_message(message))


def _district_name(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    for prefix in ("天津市", "天津"):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
    try:
        return divisions.get(text).name
    except KeyError:
        raise InputError(
            f"“{text}”不是天津市的16个区之一 / {text!r} is not one of Tianjin's 16 districts"
        ) from None


def _district_location(name: str) -> Location:
    d = divisions.BY_NAME[name]
    return Location(district=d.name, district_code=d.code, lat=d.lat, lon=d.lon)


def _location(text: str) -> Location | None:
    if not text:
        return None
    from matching.understand.location import parse_location

    try:
        return parse_location(text)
    except InputError:
        return None


def _pydantic_problem(row: _Row, exc: ValidationError, sources: Mapping[str, str]) -> NoReturn:
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else ""
    source = sources.get(name, name)
    value = row.get(source) if source in row.columns else err.get("input")
    msg = err["msg"]
    header = row.header(source) if source else None
    raise _RowProblem(header, value, f"“{header}”的值不符合要求：{msg}", f"invalid {name}: {msg}")


def _load(
    path: str | Path,
    *,
    sheet: str | None,
    header_map: Mapping[str, tuple[str, ...]],
    required: Sequence[str],
    build: Callable[[_Row, int], T],
) -> LoadResult[T]:
    path = Path(path)
    table = read_table(path, sheet=sheet, header_map=header_map, required=required)
    columns = _map_columns(table.headers, _header_index(header_map))
    canonical = {name: accepted[0] for name, accepted in header_map.items()}
    missing = [canonical[name] for name in required if name not in columns]
    if missing:
        raise MissingColumnsError(missing, file=str(path))
    result: LoadResult[T] = LoadResult(
        file=str(path), rows_read=len(table.rows), headers=table.headers
    )
    for number, values in table.rows:
        try:
            result.items.append((number, build(_Row(values, columns, canonical), number)))
        except _RowProblem as p:
            result.errors.append(RowError(number, p.column, p.value, p.zh, p.en, values))
    return result


# ---------------------------------------------------------------------------- persons

# model field → the source field whose column to blame when pydantic refuses the value
_PERSON_SOURCES = {"birth_date": "id_number", "residence": "residential_address"}
_SAME_AS_HOUSEHOLD = frozenset({"同上", "同户籍地址", "同户籍地", "同户籍", "同户籍住址", "同左"})
_NO_CATEGORY = frozenset({"无", "不限", "均可", "都可以", "都行", "任意"})


def _person_district(row: _Row, residence: Location | None) -> str:
    name = row.parse("district", _district_name)
    if name is not None:
        return name
    if residence is not None and residence.district in divisions.BY_NAME:
        return residence.district
    row.fail(
        "district",
        None,
        "所属区为空，且无法从常住住址中识别所在区 / "
        "district is empty and none can be read from the residential address",
    )


def _check_date(row: _Row, name: str, day: dt.date | None, birth: dt.date, today: dt.date) -> None:
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


def _wanted_categories(row: _Row) -> tuple[Category, ...]:
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


def _education(value: object) -> Education:
    from matching.understand.requirements import parse_education

    text = str(value).strip()
    level = parse_education(text)
    if level is None:
        raise InputError(f"无法识别的学历：{text!r} / unknown education level {text!r}")
    return level


def _expected_pay(value: object) -> SalaryRange | None:
    from matching.understand.salary import parse_expected_pay

    try:
        return parse_expected_pay(value)
    except InputError:
        return None  # kept as text; a caseworker can still read it


def _status(row: _Row) -> tuple[PersonStatus, int | None]:
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


def _build_person(row: _Row, number: int, seen: dict[str, int], today: dt.date) -> Person:
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
    residence = _location(residential)
    district = _person_district(row, residence)
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
        "education": row.parse("education", _education) or Education.NONE,
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
        _pydantic_problem(row, exc, _PERSON_SOURCES)


def read_persons(
    path: str | Path, *, sheet: str | None = None, today: dt.date | None = None
) -> LoadResult[Person]:
    """Read registered unemployed persons (附件2 columns) from an .xlsx or .csv file.

    Each row is checked: ID number (GB 11643, birth date and gender read from it), gender
    column against the ID, district (所属区, or else the residential address's), phone,
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
        ``items`` as ``(row_number, Person)``, ``errors`` one :class:`RowError` per bad row.

    Raises
    ------
    MissingColumnsError
        When 姓名, 身份证号码 or 所属区 has no column; nothing is read.
    InputError
        When the file cannot be read at all.
    """
    seen: dict[str, int] = {}
    day = today or dt.date.today()
    return _load(
        path,
        sheet=sheet,
        header_map=PERSON_HEADERS,
        required=PERSON_REQUIRED,
        build=lambda row, number: _build_person(row, number, seen, day),
    )


# ---------------------------------------------------------------------------- postings

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


def _requirements(row: _Row, description: str) -> dict[str, Any]:
    """Education, age and experience from their columns, else from the description."""
    from matching.understand.requirements import (
        extract_requirements,
        parse_age_range,
        parse_experience_years,
    )

    extracted: Mapping[str, Any] = extract_requirements(description) if description else {}
    education = row.parse("education_min", _education)
    if education is None:
        education = extracted.get("education_min") or Education.NONE
    ages = row.parse("age_text", lambda v: parse_age_range(str(v).strip()))
    if ages is None:
        ages = (extracted.get("age_min"), extracted.get("age_max"))
    experience = row.parse("experience_text", lambda v: parse_experience_years(str(v).strip()))
    if is_blank(row.get("experience_text")):
        experience = extracted.get("experience_years")
    return {
        "education_min": education,
        "age_min": ages[0],
        "age_max": ages[1],
        "experience_years": experience,
    }


def _build_posting(row: _Row, number: int) -> Posting:
    title = row.text("title")
    if not title:
        row.fail("title", None, "岗位名称为空 / job title is empty")
    address = row.text("address")
    location = _location(address)
    district = row.parse("district", _district_name)
    if district is None and location is not None and location.district in divisions.BY_NAME:
        district = location.district
    if district is not None and (location is None or location.district != district):
        location = _district_location(district)
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
        _pydantic_problem(row, exc, _POSTING_SOURCES)


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
    return _load(
        path,
        sheet=sheet,
        header_map=POSTING_HEADERS,
        required=POSTING_REQUIRED,
        build=_build_posting,
    )


# ---------------------------------------------------------------------------- writing


def _cell_text(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_rejects(result: LoadResult[Any], path: Path | None = None) -> Path | None:
    """Write the rejected rows to ``<input stem>.rejects.csv`` next to the input.

    The file is UTF-8 with BOM (so Excel opens it) and holds the original columns, then
    行号, 列, 值, 原因 (Chinese) and reason (English).

    Parameters
    ----------
    result : LoadResult
        What :func:`read_persons` or :func:`read_postings` returned.
    path : Path, optional
        Where to write instead.

    Returns
    -------
    Path or None
        The file written, or None when there are no rejects (nothing is written).
    """
    if not result.errors:
        return None
    source = Path(result.file)
    target = Path(path) if path is not None else source.with_name(f"{source.stem}.rejects.csv")
    headers = list(result.headers)
    for error in result.errors:  # a caller-built result may lack headers
        headers += [h for h in error.original if h not in headers]
    rows = (
        [_cell_text(e.original.get(h)) for h in headers]
        + [str(e.row), e.column or "", _cell_text(e.value), e.reason_zh, e.reason_en]
        for e in result.errors
    )
    write_table(target, [*headers, *REJECT_COLUMNS], rows)
    return target


def write_table(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
) -> Path:
    """Write a header row and rows to .xlsx or .csv (UTF-8 with BOM).

    Parameters
    ----------
    path : str or Path
        Target file; the suffix picks the format.
    headers : sequence of str
        The header row.
    rows : iterable of sequences
        Data rows, written as given (dates stay dates in .xlsx).
    title : str, optional
        A title line above the headers, merged across them in .xlsx, followed by a blank
        row, as on the bureau's printed forms.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For a suffix other than .xlsx or .csv.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            if title is not None:
                writer.writerows([[title], []])
            writer.writerow(headers)
            writer.writerows([_cell_text(v) for v in row] for row in rows)
        return path
    if suffix != ".xlsx":
        raise InputError(
            f"不支持的文件类型“{suffix}”，请使用.xlsx或.csv / "
            f"unsupported file type {suffix!r}; use .xlsx or .csv"
        )
    _write_xlsx(path, headers, rows, title)
    return path


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], title: str | None
) -> None:
    from openpyxl import Workbook

    if title is None:  # write-only: fast and lean for big files
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
        wb.save(path)
        return
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    wb.save(path)
