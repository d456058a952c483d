"""The monthly report (附件1), the campaign page and one person's service record (附件2).

As-of semantics
---------------
A month's report shows each person's state as of the 20th of that month (the note on the form:
各区于每月25日前上报截至当月20日的情况):

- col 1 (下发人数): persons handed to the district in a batch issued on or before the 20th;
- col 3 (联系服务人数): of those, persons reached by a contact dated on or before the 20th, or
  whose employment was registered by then (employment registration implies contact);
- col 4 (已就业人数): of col 3, persons employed as of the 20th: the latest status event dated
  on or before the 20th (undone events ignored) is an employment registration or a
  deregistration for reasons 2–5;
- col 2 = col 1 − col 3, col 5 = col 3 − col 4.

Contacts and status changes dated after the 20th count in the next month. The identities
1 = 2 + 3 and 3 = 4 + 5, per district and in the total row, and the total row = the sum of the
districts are checked before anything is written (:class:`ReportIdentityError`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.campaign.workflow import EMPLOYED_REASONS
from matching.domain import divisions
from matching.domain.categories import LABELS, Category
from matching.exceptions import InputError, MatchingError
from matching.ingest.writers import write_table
from matching.schemas import EDUCATION_LABELS, Education, OtherNeed, WorkForm
from matching.store.campaign_tables import CampaignBatchRow, ContactRow, StatusEventRow

__all__ = [
    "CONTACT_TARGET",
    "COLUMNS",
    "REEMPLOYMENT_TARGET",
    "CampaignPage",
    "DistrictRow",
    "MonthlyReport",
    "ReportIdentityError",
    "check_identities",
    "export_record",
    "monthly_report",
    "parse_month",
    "write_campaign_page",
    "write_monthly_report",
]

CONTACT_TARGET = 0.5
REEMPLOYMENT_TARGET = 30_000
COLUMNS = ("登记失业人员下发人数", "联系不到人数", "联系服务人数", "已就业人数", "未就业人数")
SERIALS = ("1=2+3", "2", "3=4+5", "4", "5")
NOTE = "备注：各区于每月25日前上报截至当月20日的情况。"
TOTAL = "合计"
AS_OF_DAY = 20


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


def _employed(event: StatusEventRow | None) -> bool:
    if event is None:
        return False
    return event.kind == "employment" or event.reason_code in EMPLOYED_REASONS


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
    latest: dict[int, StatusEventRow] = {}
    for event in session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.effective_on <= as_of, StatusEventRow.undone_at.is_(None))
        .order_by(StatusEventRow.effective_on, StatusEventRow.id)
    ):
        latest[event.person_id] = event  # later events overwrite earlier ones
    counts = {name: [0, 0, 0, 0] for name in divisions.NAMES}  # handed, served, employed, rec
    for person_id, district in handed:
        c = counts.setdefault(district, [0, 0, 0, 0])
        c[0] += 1
        event = latest.get(person_id)
        employed = _employed(event)
        if person_id in reached or employed:
            c[1] += 1
        if employed:
            c[2] += 1
            c[3] += int(event is not None and event.outcome_id is not None)
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
    ws.append([report.title])
    ws.merge_cells("A1:F1")
    ws.append(["所属区", COLUMNS[0], COLUMNS[1], COLUMNS[2], None, None])
    ws.append([None, None, None, None, COLUMNS[3], COLUMNS[4]])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:F2"):
        ws.merge_cells(cells)
    ws.append(["序号", *SERIALS])
    for row in (*report.rows, report.total):
        ws.append([row.district, *row.cells])
    ws.append([NOTE])
    last = ws.max_row
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=6)
    thin = Side(style="thin")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for line in ws.iter_rows(min_row=2, max_row=last - 1, max_col=6):
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
    """Check the identities, then write ``<YYYY-MM>月报.xlsx`` (附件1 layout) and a .csv.

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


# ---------------------------------------------------------------------------- campaign page


@dataclass(frozen=True, slots=True)
class CampaignPage:
    """The files of the campaign page."""

    markdown: Path
    chart: Path


def _chart(report: MonthlyReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = next(
        (f.name for f in font_manager.fontManager.ttflist
         if any(k in f.name for k in ("CJK", "WenQuanYi", "SimHei", "Hei", "Song"))),
        None,
    )  # fmt: skip
    labels = [
        divisions.get(r.district).short if cjk else divisions.get(r.district).code
        for r in report.rows
    ]
    labels.append("全市" if cjk else "city")
    rates = [r.contact_rate * 100 for r in (*report.rows, report.total)]
    with (
        warnings.catch_warnings(),
        plt.rc_context({"font.family": [cjk] if cjk else ["DejaVu Sans"]}),
    ):
        warnings.simplefilter("ignore")  # missing-glyph warnings must not break a report
        fig, ax = plt.subplots(figsize=(10, 4.5))
        ax.bar(labels, rates, color=["#4c72b0"] * len(report.rows) + ["#dd8452"])
        ax.axhline(CONTACT_TARGET * 100, color="red", linestyle="--", label="50%")
        ax.set_ylabel("contact-service rate %")
        ax.set_ylim(0, 100)
        ax.set_title(f"{report.year}-{report.month:02d} (as of {report.as_of})")
        ax.legend()
        ax.tick_params(axis="x", rotation=45)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)


def write_campaign_page(report: MonthlyReport, out_dir: Path | str) -> CampaignPage:
    """A markdown page and a png chart: contact-service rate vs 50% and re-employed vs 30,000,
    per district and city-wide, and how many re-employments followed a recommendation."""
    check_identities(report)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"campaign_{report.year}-{report.month:02d}"
    chart = out / f"{stem}.png"
    _chart(report, chart)
    t = report.total
    lines = [
        f"# 失业人员就业服务攻坚行动 {report.year}年{report.month}月（截至{report.as_of}）",
        "",
        f"- 联系服务率 contact-service rate: **{t.contact_rate:.1%}** "
        f"({t.served}/{t.handed}), 目标 target ≥ {CONTACT_TARGET:.0%} "
        f"{'✔' if t.contact_rate >= CONTACT_TARGET else '✘'}",
        f"- 实现再就业 re-employed: **{t.employed}** / {REEMPLOYMENT_TARGET:,} "
        f"({t.employed / REEMPLOYMENT_TARGET:.1%})",
        f"- 其中经岗位推荐/推送后就业 following a recommendation or push: "
        f"**{t.followed_recommendation}**",
        "",
        f"![contact-service rate]({chart.name})",
        "",
        "| 所属区 | 下发 | 联系服务 | 联系服务率 | 达标50% | 已就业 | 推荐后就业 |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: |",
    ]
    for r in (*report.rows, t):
        ok = "✔" if r.contact_rate >= CONTACT_TARGET else "✘"
        lines.append(
            f"| {r.district} | {r.handed} | {r.served} | {r.contact_rate:.1%} | {ok} | "
            f"{r.employed} | {r.followed_recommendation} |"
        )
    markdown = out / f"{stem}.md"
    markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CampaignPage(markdown, chart)


# ---------------------------------------------------------------------------- 附件2

_REASON_TEXTS = (
    "已达到法定退休年龄办理退休或已依法享受基本养老保险待遇",
    "被各类用人单位录用或聘用（含公益性岗位安置）",
    "从事个体经营或创办企业，并领取营业执照",
    "已从事非全日制就业或新就业形态就业等有收入的劳动且月收入不低于本市最低工资标准",
    "实现灵活就业且参加社会保险或缴纳个人所得税",
    "入学、服兵役、移居境外",
    "完全丧失劳动能力",
    "被判刑收监执行",
    "拒绝接受公共就业服务达3次",
    "超过6个月未与公共就业服务机构联系",
    "常住地发生跨省迁移或者因身份证号、联系方式、户籍地址、常住地址等信息缺失无法取得联系",
    "死亡",
)
CONTACT_ROWS = 9
HISTORY_ROWS = 4


def _ticks(options: list[str], chosen: set[str]) -> str:
    return "   ".join(f"{o}{'☑' if o in chosen else '□'}" for o in options)


def export_record(
    session: Session,
    id_number: str,
    path: Path | str,
    *,
    by: str = "",
    filled_on: dt.date | None = None,
) -> Path:
    """Write one person's service record in the layout of 附件2 (xlsx); the read is audited."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from matching.campaign.workflow import _audit, _person

    person = _person(session, id_number)
    contacts = session.scalars(
        select(ContactRow).where(ContactRow.person_id == person.id)
        .order_by(ContactRow.contacted_on, ContactRow.id)
    ).all()  # fmt: skip
    dereg = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.person_id == person.id, StatusEventRow.kind == "deregistration",
               StatusEventRow.undone_at.is_(None))
        .order_by(StatusEventRow.effective_on.desc(), StatusEventRow.id.desc())
    ).first()  # fmt: skip
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "登记表"

    def line(*cells: object, merge: tuple[int, int] | None = None) -> int:
        ws.append(list(cells))
        r = ws.max_row
        if merge:
            ws.merge_cells(start_row=r, start_column=merge[0], end_row=r, end_column=merge[1])
        return r

    def day(d: dt.date | None) -> str:
        return d.isoformat() if d else ""

    line("失业人员联系服务登记表", merge=(1, 4))
    ws["A1"].font = Font(bold=True, size=14)
    line("姓名", person.name, "身份证号码", person.id_number)
    line("性别", person.gender, "联系电话", person.phone or "")
    line("文化程度", EDUCATION_LABELS[Education(person.education)], "专业/技能", person.skills)
    line("失业登记时间", day(person.registered_on), "失业时间", day(person.unemployed_since))
    line("户籍地址", person.household_address, merge=(2, 4))
    line("常住住址", person.residential_address, merge=(2, 4))
    line("就业创业意愿", merge=(1, 4))
    line("就业形式", _ticks([w.value for w in WorkForm], set(person.work_forms)), merge=(2, 4))
    wanted = set(person.wanted_categories)
    line("岗位意愿（请勾选）",
         "  ".join(f"{c.value}.{LABELS[c]}{'☑' if c.value in wanted else '□'}" for c in Category),
         merge=(2, 4))  # fmt: skip
    line("期望薪酬", person.expected_pay_text, "地点要求", person.location_requirement)
    line("其他需求", _ticks([n.value for n in OtherNeed], set(person.other_needs)), merge=(2, 4))
    line("备注", person.note, merge=(2, 4))
    line("工作经历", merge=(1, 4))
    line("工作时间", "工作单位", "所任职务", merge=(3, 4))
    history = list(person.work_history)
    for i in range(max(HISTORY_ROWS, len(history))):
        h = history[i] if i < len(history) else {}
        line(h.get("period", ""), h.get("employer", ""), h.get("position", ""), merge=(3, 4))
    line("联系服务记录", merge=(1, 4))
    line(
        "联系服务时间（如20241001）",
        "联系服务方式（电话、短信、微信、上门等）",
        "联系服务内容",
        "工作人员姓名",
    )
    for i in range(max(CONTACT_ROWS, len(contacts))):
        if i < len(contacts):
            c = contacts[i]
            content = c.content if c.reached else f"{c.content}（未联系上）".lstrip()
            line(c.contacted_on.strftime("%Y%m%d"), c.method, content, c.caseworker)
        else:
            line("", "", "", "")
    if dereg is not None:
        d = dereg.effective_on
        when = f"{d.year}年{d.month}月{d.day}日"
    else:
        when = "      年    月    日"
    reasons = "\n".join(
        f"{'☑' if dereg is not None and dereg.reason_code == i else '□'}{text}"
        for i, text in enumerate(_REASON_TEXTS, start=1)
    )
    r = line("备注", f"经系统比对及核实情况，符合失业登记注销以下情形，已于{when}注销失业登记：\n{reasons}",
             merge=(2, 4))  # fmt: skip
    ws.row_dimensions[r].height = 220
    filled = filled_on or dt.date.today()
    line(f"填写单位：{person.district}", f"填表时间：{filled.year}年{filled.month}月{filled.day}日",
         f"编号：{person.id}号", merge=(3, 4))  # fmt: skip
    wrap = Alignment(wrap_text=True, vertical="center")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for col, width in zip("ABCD", (18, 40, 30, 24), strict=True):
        ws.column_dimensions[col].width = width
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    _audit(session, by, person.id_number, "export_record", "campaign.record.export")
    return target
