"""One spreadsheet row → one model or one :class:`RowError`: what persons and postings share.

:func:`load_records` reads the table (:func:`~matching.ingest.readers.read_table`), refuses a
file missing required columns (:class:`~matching.exceptions.MissingColumnsError`), and builds
each row with the given function; a :class:`Row` hands that function its cells by field and
turns the first problem found into a :class:`RowError` (column, value, reason in Chinese and
English) instead of stopping the import. Row numbers are the ones a person sees in Excel
(1-based, title and header rows counted).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

from pydantic import ValidationError

from matching.domain import divisions
from matching.exceptions import InputError, MissingColumnsError
from matching.ingest.cells import is_blank
from matching.ingest.readers import MAX_CELL_CHARS, header_index, map_columns, read_table
from matching.schemas import Education, Location

__all__ = [
    "LoadResult",
    "Row",
    "RowError",
    "district_cell",
    "district_location",
    "education_cell",
    "load_records",
    "location_of",
    "reject_invalid",
]

T = TypeVar("T")
_V = TypeVar("_V")


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


# ---------------------------------------------------------------------------- rows


class _RowProblem(Exception):
    """The first problem of a row; becomes a RowError."""

    def __init__(self, column: str | None, value: object, zh: str, en: str) -> None:
        super().__init__(zh)
        self.column, self.value, self.zh, self.en = column, value, zh, en


def _split_message(message: str) -> tuple[str, str]:
    zh, sep, en = message.partition(" / ")
    return (zh, en) if sep else (message, message)


# (parser, field, cell type, cell) → (parsed, value or the error message)
_MemoKey = tuple[object, str, type, object]


class Row:
    """One row's cells by field, and the headers to name in errors."""

    def __init__(
        self,
        values: Mapping[str, object],
        columns: Mapping[str, str],
        canonical: Mapping[str, str],
        memo: dict[_MemoKey, tuple[bool, Any]] | None = None,
    ) -> None:
        self.values = values
        self.columns = columns
        self.canonical = canonical
        self.memo = memo

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
        key = _memo_key(parser, name, value) if self.memo is not None else None
        if key is None:
            return self._parse_cell(name, value, parser)
        found = self.memo.get(key)  # type: ignore[union-attr]
        if found is None:
            try:
                found = (True, parser(value))
            except InputError as exc:
                found = (False, exc.message)
            self.memo[key] = found  # type: ignore[index]
        ok, out = found
        if not ok:
            self.fail(name, value, out)
        return out  # type: ignore[no-any-return]

    def _parse_cell(self, name: str, value: object, parser: Callable[[Any], _V]) -> _V | None:
        try:
            return parser(value)
        except InputError as exc:
            self.fail(name, value, exc.message)

    def fail(self, name: str, value: object, message: str) -> NoReturn:
        """Reject the row, blaming ``name``'s column; ``message`` is "中文 / English"."""
        raise _RowProblem(self.header(name), value, *_split_message(message))


def _memo_key(parser: Callable[..., object], name: str, value: object) -> _MemoKey | None:
    """The key of ``parser(value)`` in a load's memo, or None when it must not be remembered.

    Real sheets repeat their cells (salary lines, dates, head counts, education, age ranges):
    within one file each distinct cell of a column is parsed once. Only plain functions (a
    lambda too: the same code each row) qualify; a closure may read more than the cell.
    """
    if getattr(parser, "__closure__", None) is not None:
        return None
    try:
        hash(value)
    except TypeError:
        return None
    # the type too: 1, 1.0 and True are equal keys, but not the same cell
    return (getattr(parser, "__code__", parser), name, type(value), value)


# ---------------------------------------------------------------------------- cells of both kinds


def district_cell(value: object) -> str:
    """所属区 as one of the 16 district names (天津市 prefix, aliases, codes accepted)."""
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


def education_cell(value: object) -> Education:
    """文化程度 / 学历要求 as an :class:`~matching.schemas.Education` level."""
    from matching.understand.requirements import parse_education

    text = str(value).strip()
    level = parse_education(text)
    if level is None:
        raise InputError(f"无法识别的学历：{text!r} / unknown education level {text!r}")
    return level


def district_location(name: str) -> Location:
    """The district's centre as a :class:`~matching.schemas.Location`."""
    d = divisions.BY_NAME[name]
    return Location(district=d.name, district_code=d.code, lat=d.lat, lon=d.lon)


def location_of(text: str) -> Location | None:
    """The address parsed, or None when it is empty or cannot be read."""
    if not text:
        return None
    from matching.understand.location import parse_location

    try:
        return parse_location(text)
    except InputError:
        return None


def reject_invalid(row: Row, exc: ValidationError, sources: Mapping[str, str]) -> NoReturn:
    """Reject the row for the model's first validation error, blaming the source column.

    ``sources`` maps a model field to the field whose column holds its input.
    """
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else ""
    source = sources.get(name, name)
    value = row.get(source) if source in row.columns else err.get("input")
    msg = err["msg"]
    header = row.header(source) if source else None
    raise _RowProblem(header, value, f"“{header}”的值不符合要求：{msg}", f"invalid {name}: {msg}")


def load_records(
    path: str | Path,
    *,
    sheet: str | None,
    header_map: Mapping[str, tuple[str, ...]],
    required: Sequence[str],
    build: Callable[[Row, int], T],
) -> LoadResult[T]:
    """Read ``path`` and ``build(row, row_number)`` each row; a problem rejects that row only.

    Raises
    ------
    MissingColumnsError
        When a ``required`` field has no column; nothing is read.
    """
    path = Path(path)
    table = read_table(path, sheet=sheet, header_map=header_map, required=required)
    columns = map_columns(table.headers, header_index(header_map))
    canonical = {name: accepted[0] for name, accepted in header_map.items()}
    missing = [canonical[name] for name in required if name not in columns]
    if missing:
        raise MissingColumnsError(missing, file=str(path))
    result: LoadResult[T] = LoadResult(
        file=str(path), rows_read=len(table.rows), headers=table.headers
    )
    memo: dict[_MemoKey, tuple[bool, Any]] = {}
    for number, values in table.rows:
        try:
            _check_lengths(values)
            result.items.append((number, build(Row(values, columns, canonical, memo), number)))
        except _RowProblem as p:
            result.errors.append(
                RowError(number, p.column, _shorten(p.value), p.zh, p.en, _shortened(values))
            )
    return result


def _check_lengths(values: Mapping[str, object]) -> None:
    """Reject the row at its first cell over :data:`MAX_CELL_CHARS` characters."""
    for header, value in values.items():
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _RowProblem(
                header,
                value,
                f"单元格有{len(value)}个字符，超过上限{MAX_CELL_CHARS}",
                f"the cell holds {len(value)} characters, over the limit of {MAX_CELL_CHARS}",
            )


def _shorten(value: object) -> object:
    """An over-long cell cut to its first characters, so the rejects file stays readable."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return f"{value[:50]}…（共{len(value)}字 / {len(value)} characters）"
    return value


def _shortened(values: Mapping[str, object]) -> dict[str, object]:
    return {header: _shorten(value) for header, value in values.items()}
