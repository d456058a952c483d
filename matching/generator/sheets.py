"""Write generated rows as bureau-style spreadsheets (xlsx + csv) with optional bad rows.

The xlsx files carry a merged title row above the header, as the bureau's own lists do;
the csv files start with the header. Bad rows are realistic mistakes (a mistyped ID check
digit, an impossible date, a district outside Tianjin, a 10-digit phone, a gender that
contradicts the ID) so an import can show its rejects file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from matching.domain import divisions
from matching.domain.columns import PERSON_HEADERS, POSTING_HEADERS
from matching.generator import persons as _persons
from matching.generator import postings as _postings

PERSON_BAD_KINDS = (
    "wrong_check_digit",
    "bad_date",
    "unknown_district",
    "phone_10_digits",
    "gender_mismatch",
)
POSTING_BAD_KINDS = (
    "empty_title",
    "bad_date",
    "unknown_district",
    "phone_10_digits",
    "dates_reversed",
)
_NOT_TIANJIN = ("朝阳区", "海淀区", "浦东新区", "天河区", "城关区", "鼓楼区")
_BAD_DATES = ("2024-13-05", "2023-02-30", "2024年2月31日", "2024/00/12", "2023-11-31")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERSON_DATE_COLUMNS = (PERSON_HEADERS["registered_on"][0], PERSON_HEADERS["unemployed_since"][0])
_POSTING_DATE_COLUMNS = (POSTING_HEADERS["valid_from"][0], POSTING_HEADERS["valid_until"][0])
PERSONS_TITLE = "天津市登记失业人员名单（第一批）"
POSTINGS_TITLE = "天津市社区及灵活就业岗位、重点企业急需岗位信息汇总表"
POSTINGS_SUBTITLE = "填报单位：各区公共就业服务机构        汇总日期：2024年10月20日"


def _break_person(rng: random.Random, row: dict[str, Any], kind: str) -> None:
    hp = _persons.H
    if kind == "wrong_check_digit":
        idn = row[hp["id_number"]]
        row[hp["id_number"]] = idn[:17] + rng.choice([c for c in "0123456789X" if c != idn[17]])
    elif kind == "bad_date":
        row[hp["registered_on"]] = rng.choice(_BAD_DATES)
    elif kind == "unknown_district":
        row[hp["district"]] = rng.choice(_NOT_TIANJIN)
    elif kind == "phone_10_digits":
        row[hp["phone"]] = f"1{rng.choice('3589')}{rng.randint(0, 99999999):08d}"
    elif kind == "gender_mismatch":
        row[hp["gender"]] = "女" if row[hp["gender"]] == "男" else "男"
    else:
        raise ValueError(f"未知错误类型 {kind!r} / unknown bad-row kind {kind!r}")


def _break_posting(rng: random.Random, row: dict[str, Any], kind: str) -> None:
    hp = _postings.H
    if kind == "empty_title":
        row[hp["title"]] = ""
    elif kind == "bad_date":
        row[hp["valid_until"]] = rng.choice(_BAD_DATES)
    elif kind == "unknown_district":
        row[hp["district"]] = rng.choice(_NOT_TIANJIN)
    elif kind == "phone_10_digits":
        row[hp["contact_phone"]] = f"1{rng.choice('3589')}{rng.randint(0, 99999999):08d}"
    elif kind == "dates_reversed":
        row[hp["valid_from"]], row[hp["valid_until"]] = (
            row[hp["valid_until"]],
            row[hp["valid_from"]],
        )
    else:
        raise ValueError(f"未知错误类型 {kind!r} / unknown bad-row kind {kind!r}")


def _with_bad_rows(
    rows: list[dict[str, Any]],
    truth: list[dict[str, Any]],
    bad: list[tuple[dict[str, Any], dict[str, Any]]],
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Insert the bad rows at random places; truth entries get ``bad`` (kind or None)."""
    total = len(rows) + len(bad)
    slots = set(rng.sample(range(total), len(bad)))
    good_it = iter(zip(rows, truth, strict=True))
    bad_it = iter(bad)
    out_rows, out_truth = [], []
    for i in range(total):
        row, t = next(bad_it) if i in slots else next(good_it)
        out_rows.append(row)
        out_truth.append({"bad": None, **t})
    return out_rows, out_truth


def _bad_persons(n: int, seed: int, taken: set[str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(f"bad-persons-{seed}")
    out = []
    while len(out) < n:
        row, t = _persons.make_person(rng)
        if t["id_number"] in taken:
            continue
        taken.add(t["id_number"])
        kind = PERSON_BAD_KINDS[len(out) % len(PERSON_BAD_KINDS)]
        _break_person(rng, row, kind)
        out.append((row, {**t, "bad": kind}))
    return out


def _bad_postings(n: int, seed: int, start: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(f"bad-postings-{seed}")
    cats = list(_postings._CATEGORY_WEIGHTS)
    out = []
    for i in range(n):
        cat, district = rng.choice(cats), rng.choice(divisions.DISTRICTS)
        row, t = _postings.make_posting(rng, start + i, seed, cat, district)
        kind = POSTING_BAD_KINDS[i % len(POSTING_BAD_KINDS)]
        _break_posting(rng, row, kind)
        out.append((row, {**t, "bad": kind}))
    return out


def _xlsx_value(ws: Any, header: str, value: Any, date_columns: Sequence[str]) -> Any:
    if header in date_columns and isinstance(value, str) and _ISO_DATE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        cell = WriteOnlyCell(ws, value=day)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def write_xlsx(
    path: Path,
    rows: Sequence[dict[str, Any]],
    headers: Sequence[str],
    *,
    title: str,
    subtitle: str = "",
    sheet: str = "Sheet1",
    date_columns: Sequence[str] = (),
) -> int:
    """Write ``rows`` under a merged title row (and optional subtitle row); return the header's
    1-based row number."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    last = get_column_letter(len(headers))
    header_row = 2
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center")
    ws.append([title_cell])
    if subtitle:
        ws.merged_cells.add(CellRange(f"A2:{last}2"))
        ws.append([subtitle])
        header_row = 3
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_xlsx_value(ws, h, row.get(h, ""), date_columns) for h in headers])
    wb.save(path)
    return header_row


def write_csv(path: Path, rows: Sequence[dict[str, Any]], headers: Sequence[str]) -> None:
    """UTF-8 with BOM (so Excel opens it right), header on the first line."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else str(row.get(h, "")) for h in headers])


def write_sample(
    out_dir: Path, *, persons: int, postings: int, seed: int, bad_rows: int = 0
) -> dict[str, Any]:
    """Write the sample data set: persons.xlsx/.csv, postings.xlsx/.csv and truth.json.

    Parameters
    ----------
    out_dir : Path
        Created if missing; existing files of the same names are replaced.
    persons, postings : int
        Number of valid rows in each file. 0 leaves that kind out: its files are neither
        written nor replaced, and truth.json has no entry for it (both 0 is an error).
    seed : int
        Same seed, same files.
    bad_rows : int, default 0
        Invalid rows added to each file (on top of the valid ones), cycling through
        :data:`PERSON_BAD_KINDS` / :data:`POSTING_BAD_KINDS`.

    Returns
    -------
    dict
        ``persons_xlsx``, ``persons_csv``, ``postings_xlsx``, ``postings_csv``, ``truth`` (paths);
        ``persons``, ``postings`` (valid rows), ``bad_rows`` (per file), ``persons_header_row``,
        ``postings_header_row`` (1-based xlsx row of the header). The paths and header row of a
        kind left out are absent.
    """
    if bad_rows < 0:
        raise ValueError(f"bad_rows 不能为负数 / bad_rows must be ≥ 0, got {bad_rows}")
    if persons < 0 or postings < 0 or persons == postings == 0:
        raise ValueError(
            f"persons 与 postings 须非负且不全为 0 / persons and postings must be ≥ 0 and not "
            f"both 0, got {persons} and {postings}"
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"sheets-{seed}")
    p_rows, p_truth = _persons.generate_persons_with_truth(persons, seed)
    bad_p = _bad_persons(bad_rows, seed, {t["id_number"] for t in p_truth})
    p_rows, p_truth = _with_bad_rows(p_rows, p_truth, bad_p, rng)
    j_rows, j_truth = _postings.generate_postings_with_truth(postings, seed)
    j_rows, j_truth = _with_bad_rows(j_rows, j_truth, _bad_postings(bad_rows, seed, postings), rng)

    truth: dict[str, Any] = {"seed": seed, "reference_date": _persons.REFERENCE_DATE.isoformat()}
    info: dict[str, Any] = {}
    if persons:
        info["persons_xlsx"], info["persons_csv"] = (
            out_dir / "persons.xlsx",
            out_dir / "persons.csv",
        )
        person_headers = [h[0] for h in PERSON_HEADERS.values()]
        p_header = write_xlsx(
            info["persons_xlsx"], p_rows, person_headers, title=PERSONS_TITLE, sheet="登记失业人员",
            date_columns=_PERSON_DATE_COLUMNS,
        )  # fmt: skip
        write_csv(info["persons_csv"], p_rows, person_headers)
        for i, t in enumerate(p_truth):
            t["xlsx_row"], t["csv_line"] = p_header + 1 + i, 2 + i
        truth["persons"] = {"header_row": p_header, "rows": p_truth}
    if postings:
        info["postings_xlsx"] = out_dir / "postings.xlsx"
        info["postings_csv"] = out_dir / "postings.csv"
        posting_headers = [h[0] for h in POSTING_HEADERS.values()]
        j_header = write_xlsx(
            info["postings_xlsx"], j_rows, posting_headers, title=POSTINGS_TITLE, subtitle=POSTINGS_SUBTITLE,
            sheet="岗位信息", date_columns=_POSTING_DATE_COLUMNS,
        )  # fmt: skip
        write_csv(info["postings_csv"], j_rows, posting_headers)
        for i, t in enumerate(j_truth):
            t["xlsx_row"], t["csv_line"] = j_header + 1 + i, 2 + i
        truth["postings"] = {"header_row": j_header, "rows": j_truth}
    info["truth"] = out_dir / "truth.json"
    with info["truth"].open("w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False)
    info.update(persons=persons, postings=postings, bad_rows=bad_rows)
    if persons:
        info["persons_header_row"] = p_header
    if postings:
        info["postings_header_row"] = j_header
    return info
