"""The monthly report (附件1): counted as of the 20th, checked, and written as xlsx + csv.

As-of semantics
---------------
A month's report shows each person's state as of the 20th of that month (the note on the form:
各区于每月25日前上报截至当月20日的情况); the rules in Chinese are
:data:`matching.domain.monthly_columns.COLUMN_RULES` (also in the xlsx's notes):

- col 1 (下发人数): persons handed to the district in a batch issued on or before the 20th;
- col 3 (联系服务人数): of those, persons reached by a contact dated on or before the 20th, or
  whose employment was registered by then (employment registration implies contact). Once
  served, always served: a later deregistration (retirement, death) does not take it back;
- col 4 (已就业人数): of col 3, persons with an employment registration, or a deregistration
  for reasons 2–5, dated on or before the 20th and not undone. Once employed, always counted:
  a later deregistration for another reason does not take it back;
- col 2 = col 1 − col 3 (persons never reached, not the failed attempts),
  col 5 = col 3 − col 4.

Contacts and status changes dated after the 20th count in the next month; an undone status
change (a mistake) never counts. So every column but 5 only grows from one month to the next.
The identities 1 = 2 + 3 and 3 = 4 + 5, per district and in the total row, and the total row =
the sum of the districts are checked before anything is written (:class:`ReportIdentityError`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.campaign.status import EMPLOYED_REASONS
from matching.domain import divisions
from matching.domain.monthly_columns import AS_OF_DAY, COLUMN_RULES, COLUMNS, SERIALS
from matching.domain.spreadsheet import neutralise_row
from matching.exceptions import InputError, MatchingError
from matching.ingest.writers import write_table
from matching.store.campaign_tables import CampaignBatchRow, ContactRow, StatusEventRow

__all__ = [
    "COLUMNS",
    "DistrictRow",
    "MonthlyReport",
    "ReportIdentityError",
    "check_identities",
    "monthly_report",
    "parse_month",
    "write_monthly_report",
]

NOTE = "备注：各区于每月25日前上报截至当月20日的情况。"
TOTAL = "合计"


class ReportIdentityError(MatchingError):
    """A report whose columns break 1=2+3, 3=4+5 or total = sum of districts."""


@dataclass(frozen=True, slots=True)
class DistrictRow:
    """One line of 附件1; ``followed_recommendation`` counts employments attributed to a push."""

    district: str
    handed: int
    unreachable: int
    served: int
    employed: int
    not_employed: int
    followed_recommendation: int = 0

    @property
    def cells(self) -> tuple[int, int, int, int, int]:
        """Columns 1–5."""
        return (self.handed, self.unreachable, self.served, self.employed, self.not_employed)

    @property
    def contact_rate(self) -> float:
        """联系服务率: served / handed (0 when nobody was handed)."""
        return self.served / self.handed if self.handed else 0.0


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """附件1 for one month: the 16 districts in the form's order and the total row."""

    year: int
    month: int
    rows: tuple[DistrictRow, ...]
    total: DistrictRow

    @property
    def as_of(self) -> dt.date:
        """The 20th of the month."""
        return dt.date(self.year, self.month, AS_OF_DAY)

    @property
    def title(self) -> str:
        """``失业人员就业服务攻坚行动统计表（11月）``."""
        return f"失业人员就业服务攻坚行动统计表（{self.month}月）"


def parse_month(text: str) -> tuple[int, int]:
    """``"2024-11"`` → ``(2024, 11)``."""
    m = re.fullmatch(r"\s*(\d{4})[-/.年]?(\d{1,2})月?\s*", text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise InputError(f"月份格式应为YYYY-MM，实为“{text}” / month must be YYYY-MM, got {text!r}")
    return int(m[1]), int(m[2])


def _employments(session: Session, as_of: dt.date) -> dict[int, bool]:
    """Person id → employed by ``as_of`` (value: the employment followed a push).

    Every employment registration, and every deregistration for reasons 2–5, dated on or
    before ``as_of`` and not undone, whatever came after it.
    """
    found: dict[int, bool] = {}
    for person_id, outcome_id in session.execute(
        select(StatusEventRow.person_id, StatusEventRow.outcome_id).where(
            StatusEventRow.effective_on <= as_of,
            StatusEventRow.undone_at.is_(None),
            (StatusEventRow.kind == "employment")
            | StatusEventRow.reason_code.in_(sorted(EMPLOYED_REASONS)),
        )
    ):
        found[person_id] = found.get(person_id, False) or outcome_id is not None
    return found


def monthly_report(session: Session, year: int, month: int) -> MonthlyReport:
    """Count 附件1 for ``year``-``month`` as of its 20th (see the module docstring)."""
    as_of = dt.date(year, month, AS_OF_DAY)
    handed = session.execute(
        select(CampaignBatchRow.person_id, CampaignBatchRow.district).where(
            CampaignBatchRow.issued_on <= as_of
        )
    ).all()
    reached = set(
        session.scalars(
            select(ContactRow.person_id).where(
                ContactRow.reached.is_(True), ContactRow.contacted_on <= as_of
            )
        ).all()
    )
    employed = _employments(session, as_of)
    counts = {name: [0, 0, 0, 0] for name in divisions.NAMES}  # handed, served, employed, rec
    for person_id, district in handed:
        c = counts.setdefault(district, [0, 0, 0, 0])
        c[0] += 1
        if person_id in reached or person_id in employed:
            c[1] += 1
        if person_id in employed:
            c[2] += 1
            c[3] += int(employed[person_id])
    unknown = set(counts) - set(divisions.NAMES)
    if unknown:
        raise InputError(f"未知的区：{'、'.join(sorted(unknown))} / unknown districts: {unknown}")
    rows = tuple(
        DistrictRow(name, h, h - s, s, e, s - e, r)
        for name, (h, s, e, r) in ((n, counts[n]) for n in divisions.NAMES)
    )
    total = DistrictRow(TOTAL, *(sum(r.cells[i] for r in rows) for i in range(5)),
                        sum(r.followed_recommendation for r in rows))  # fmt: skip
    report = MonthlyReport(year, month, rows, total)
    check_identities(report)
    return report


def check_identities(report: MonthlyReport) -> None:
    """Raise :class:`ReportIdentityError` unless 1=2+3, 3=4+5 (every row), the total row is the
    sum of the districts, all 16 districts are there in order and no cell is negative."""
    problems: list[str] = []
    if tuple(r.district for r in report.rows) != divisions.NAMES:
        problems.append("区的顺序或数目不对 / districts missing or out of order")
    for row in (*report.rows, report.total):
        one, two, three, four, five = row.cells
        if one != two + three:
            problems.append(f"{row.district}: 1≠2+3 ({one}≠{two}+{three})")
        if three != four + five:
            problems.append(f"{row.district}: 3≠4+5 ({three}≠{four}+{five})")
        if min(row.cells) < 0:
            problems.append(f"{row.district}: 负数 / negative cell")
    for i, name in enumerate(COLUMNS):
        column_sum = sum(r.cells[i] for r in report.rows)
        if report.total.cells[i] != column_sum:
            problems.append(f"{TOTAL} {name}: {report.total.cells[i]}≠{column_sum}")
    if problems:
        raise ReportIdentityError(
            "报表校验不通过，未写出 / report identities do not hold, nothing written: "
            + "; ".join(problems)
        )


def _write_report_xlsx(report: MonthlyReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{report.month}月"
    ws.append(neutralise_row([report.title]))
    ws.merge_cells("A1:F1")
    ws.append(["所属区", COLUMNS[0], COLUMNS[1], COLUMNS[2], None, None])
    ws.append([None, None, None, None, COLUMNS[3], COLUMNS[4]])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:F2"):
        ws.merge_cells(cells)
    ws.append(["序号", *SERIALS])
    for row in (*report.rows, report.total):
        ws.append(neutralise_row([row.district, *row.cells]))
    table_end = ws.max_row
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for n, text in enumerate((NOTE, "各列统计口径：", *COLUMN_RULES)):
        ws.append([text])
        at = ws.max_row
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=6)
        ws.cell(at, 1).alignment = left
        if n > 1:  # a rule: room for its wrapped lines
            ws.row_dimensions[at].height = 15 * (1 + len(text) // 45)
    thin = Side(style="thin")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for line in ws.iter_rows(min_row=2, max_row=table_end, max_col=6):
        for cell in line:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = centre
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = centre
    ws.column_dimensions["A"].width = 12
    for col in "BCDEF":
        ws.column_dimensions[col].width = 20
    wb.save(path)


def write_monthly_report(report: MonthlyReport, out_dir: Path | str) -> tuple[Path, Path]:
    """Check the identities, then write ``<YYYY-MM>月报.xlsx`` (附件1 layout, with the form's
    note and every column's rule below the table) and a .csv.

    Returns
    -------
    (Path, Path)
        The xlsx and csv written. Nothing is written when a check fails.
    """
    check_identities(report)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"攻坚行动统计表_{report.year}-{report.month:02d}"
    xlsx, csv = out / f"{stem}.xlsx", out / f"{stem}.csv"
    _write_report_xlsx(report, xlsx)
    write_table(
        csv, ["所属区", *COLUMNS], [[r.district, *r.cells] for r in (*report.rows, report.total)]
    )
    return xlsx, csv
