"""Writing sheets: :func:`write_table` (.xlsx or .csv, optionally under a title line) and
:func:`write_rejects`, the ``<stem>.rejects.csv`` of an import's rejected rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from matching.domain.spreadsheet import neutralise_cell, neutralise_row
from matching.exceptions import InputError
from matching.ingest.cells import is_blank
from matching.ingest.rows import LoadResult

__all__ = [
    "REJECT_COLUMNS",
    "write_rejects",
    "write_table",
]

REJECT_COLUMNS = ("行号", "列", "值", "原因", "reason")


def _cell_text(value: object) -> str:
    """The cell as CSV text (formulas neutralised, see :mod:`matching.domain.spreadsheet`)."""
    if isinstance(value, str):
        return str(neutralise_cell(value))
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
        What :func:`~matching.ingest.read_persons` or
        :func:`~matching.ingest.read_postings` returned.
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
        Data rows, written as given (dates stay dates in .xlsx), except that text a
        spreadsheet would take for a formula is quoted (:func:`neutralise_cell`).
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
                writer.writerows([[neutralise_cell(title)], []])
            writer.writerow(neutralise_row(headers))
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
        ws.append(neutralise_row(headers))
        for row in rows:
            ws.append(neutralise_row(row))
        wb.save(path)
        return
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append([neutralise_cell(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    sheet.append([])
    sheet.append(neutralise_row(headers))
    for row in rows:
        sheet.append(neutralise_row(row))
    wb.save(path)
