"""One person's service record (附件2, 失业人员联系服务登记表) as xlsx; each export is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.campaign.caseworker import audit_action, person_by_id_number
from matching.campaign.contact import contact_log
from matching.domain.categories import LABELS, Category
from matching.domain.spreadsheet import neutralise_row
from matching.schemas import EDUCATION_LABELS, Education, OtherNeed, WorkForm
from matching.store.campaign_tables import StatusEventRow

__all__ = ["export_record"]

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

    person = person_by_id_number(session, id_number)
    contacts = contact_log(session, person.id)
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
        ws.append(neutralise_row(cells))  # typed text never becomes a live formula
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
    audit_action(session, by, person.id_number, "export_record", "campaign.record.export")
    return target
