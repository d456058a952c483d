"""Reading a sheet: .xlsx or .csv rows into a :class:`Table` keyed by header.

CSV may be UTF-8 (with or without BOM), GBK or GB18030, comma- or tab-separated. The header
row is looked for among the first rows (bureau sheets put a title line, maybe a blank row,
above it); headers are matched to fields after normalising them (:func:`normalize_header`),
through the maps of :mod:`matching.domain.columns`.

Limits, so that a hostile or broken file is refused quickly instead of stalling the service
(:class:`~matching.exceptions.FileTooLargeError`, nothing read): an .xlsx is a zip, and its
members' unpacked sizes are checked before anything is parsed (at most
:data:`MAX_UNPACKED_BYTES` in all, and no member over :data:`MAX_PACK_RATIO` times smaller
packed than unpacked, the mark of a "zip bomb"); rows are counted while streaming and a sheet
of more than :data:`MAX_ROWS` data rows is refused at the first row past the limit. Over-long
cells reject their row (:data:`MAX_CELL_CHARS`, see :mod:`matching.ingest.rows`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.domain.columns import PERSON_HEADERS, POSTING_HEADERS
from matching.exceptions import FileTooLargeError, InputError
from matching.ingest.cells import is_blank

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_CELL_CHARS",
    "MAX_PACK_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "Table",
    "check_xlsx",
    "header_index",
    "map_columns",
    "normalize_header",
    "read_table",
]

HEADER_SCAN_ROWS = 15  # the header row is looked for among this many first rows
# A city batch is a few tens of thousands of persons; 200,000 rows is 10x the sample.
MAX_ROWS = 200_000
# Free text of the form (skills, work history, addresses) is a few hundred characters; the
# contact log's content is limited to 2,000 too (api/routes/campaign.py).
MAX_CELL_CHARS = 2_000
# 200,000 persons of the sample unpack to ~150 MB of sheet XML; the limit leaves room.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
# Sheet XML packs 5-20x; a member packed 200x smaller holds one huge repeated value.
MAX_PACK_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked are never suspicious


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet's rows keyed by header.

    ``rows`` is a list of ``(row_number, {header: value})`` with the row number as Excel
    shows it; fully empty rows are left out. Strings are stripped, empty strings are None.
    """

    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]
    header_row: int = 1


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


def header_index(header_map: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
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


def map_columns(headers: Sequence[str], index: Mapping[str, str]) -> dict[str, str]:
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


def check_xlsx(path: Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse an .xlsx whose members unpack too large, before anything is parsed.

    Reads the zip's central directory only (sizes as declared; a member that unpacks past its
    declared size fails the zip's own check while it is read).

    Raises
    ------
    FileTooLargeError
        More than ``max_unpacked_bytes`` unpacked in all, or one member over
        :data:`MAX_PACK_RATIO` times its packed size.
    InputError
        Not a zip file at all.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            "无法打开Excel文件（不是有效的xlsx） / cannot open the Excel file (not a valid xlsx)",
            file=path.name,
        ) from exc
    total = sum(m.file_size for m in members)
    if total > max_unpacked_bytes:
        raise FileTooLargeError(
            f"Excel文件解压后有{total // 2**20}MB，超过上限{max_unpacked_bytes // 2**20}MB，"
            f"请拆分后再导入 / the Excel file unpacks to {total // 2**20} MB, over the "
            f"{max_unpacked_bytes // 2**20} MB limit; split it",
            file=path.name,
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_PACK_RATIO * max(m.compress_size, 1):
            raise FileTooLargeError(
                f"Excel文件中的{m.filename}压缩比异常（{m.compress_size}字节解压为{m.file_size}"
                f"字节），拒绝读取 / {m.filename} in the Excel file unpacks from "
                f"{m.compress_size} to {m.file_size} bytes, a suspicious ratio; refused",
                file=path.name,
            )


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(path)
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


# The csv module refuses a field over 131,072 characters and so the whole file; an over-long
# cell should reject its row only (MAX_CELL_CHARS), so the limit is the file's own size.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


def _csv_rows(path: Path) -> Iterator[tuple[object, ...]]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # process-wide, and only ever raised
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
    max_rows: int | None = None,
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
    max_rows : int, optional
        More data rows than this refuse the file (checked while reading); :data:`MAX_ROWS`
        by default.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        When the file is missing, of an unsupported type, or cannot be opened or decoded.
    FileTooLargeError
        More than ``max_rows`` data rows, or an .xlsx that unpacks too large (:func:`check_xlsx`).
    """
    path = Path(path)
    max_rows = MAX_ROWS if max_rows is None else max_rows
    index = header_index(header_map or {**POSTING_HEADERS, **PERSON_HEADERS})
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
        if len(table_rows) > max_rows:
            raise FileTooLargeError(
                f"文件超过{max_rows}行数据，请拆分后再导入 / the file has more than {max_rows} "
                "data rows; split it",
                file=path.name,
            )
    return Table(headers=headers, rows=table_rows, header_row=header_row)


def _chain(
    first: list[tuple[int, tuple[object, ...]]], rest: Iterator[tuple[object, ...]], start: int
) -> Iterator[tuple[int, tuple[object, ...]]]:
    yield from first
    yield from enumerate(rest, start=start)
