"""The contact log (联系服务记录): one contact at a time, or a spreadsheet of them.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`). A contact's updated needs replace the person's 其他需求.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.campaign.caseworker import person_by_id_number
from matching.domain.idcard import parse_id_number
from matching.exceptions import InputError, NotFoundError
from matching.ingest.cells import is_blank, parse_date
from matching.ingest.choices import parse_bool, parse_other_needs
from matching.ingest.readers import read_table
from matching.ingest.rows import LoadResult, RowError
from matching.schemas import OtherNeed
from matching.store.campaign_tables import CONTACT_METHODS, ContactRow

__all__ = ["ContactInput", "add_contact", "import_contacts", "read_contacts"]


@dataclass(frozen=True, slots=True)
class ContactInput:
    """One 联系服务记录 row. ``reached`` False means the person could not be reached."""

    id_number: str
    contacted_on: dt.date
    method: str
    content: str = ""
    caseworker: str = ""
    reached: bool = True
    refused: bool = False
    needs: tuple[OtherNeed, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in CONTACT_METHODS:
            raise InputError(
                f"联系服务方式应为{'/'.join(CONTACT_METHODS)}之一，实为“{self.method}” / "
                f"contact method must be one of {', '.join(CONTACT_METHODS)}, got {self.method!r}",
                value=self.method,
            )


def add_contact(session: Session, contact: ContactInput) -> int:
    """Store one contact; updated needs replace the person's 其他需求. Returns its id."""
    person = person_by_id_number(session, contact.id_number)
    row = ContactRow(
        person_id=person.id,
        contacted_on=contact.contacted_on,
        method=contact.method,
        content=contact.content,
        caseworker=contact.caseworker,
        reached=contact.reached,
        refused=contact.refused,
        needs=[n.value for n in contact.needs],
    )
    session.add(row)
    if contact.needs:
        person.other_needs = [n.value for n in contact.needs]
    session.flush()
    return row.id


def contact_log(session: Session, person_id: int) -> list[ContactRow]:
    """A person's contacts, oldest first (the order of 附件2's 联系服务记录)."""
    stmt = select(ContactRow).where(ContactRow.person_id == person_id)
    return list(session.scalars(stmt.order_by(ContactRow.contacted_on, ContactRow.id)))


CONTACT_HEADERS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号码", "身份证号", "身份证"),
    "contacted_on": ("联系服务时间", "联系时间", "服务时间", "日期"),
    "method": ("联系服务方式", "联系方式", "方式"),
    "content": ("联系服务内容", "服务内容", "内容"),
    "caseworker": ("工作人员姓名", "工作人员", "经办人"),
    "reached": ("联系结果", "是否联系上", "结果"),
    "refused": ("是否拒绝服务", "拒绝服务"),
    "needs": ("更新需求", "其他需求", "需求"),
}
CONTACT_REQUIRED = ("id_number", "contacted_on", "method")
_REACHED = {"联系上": True, "已联系": True, "联系到": True, "reached": True, "已联系上": True}
_NOT_REACHED = {"联系不上": False, "联系不到": False, "未联系上": False, "not reached": False}
_METHOD_ALIASES = {"电话联系": "电话", "手机": "电话", "短信通知": "短信", "微信联系": "微信",
                   "入户": "上门", "走访": "上门", "上门走访": "上门"}  # fmt: skip


def _reached(value: object) -> bool:
    if is_blank(value):
        return True
    text = str(value).strip().lower()
    for table in (_NOT_REACHED, _REACHED):  # "联系不上" before "联系上"
        for key, result in table.items():
            if key in text:
                return result
    result = parse_bool(value)
    if result is None:
        raise InputError(f"无法识别的联系结果：{value} / unknown contact result {value!r}")
    return result


def _column_of(headers: Sequence[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        for header in headers:
            if header.startswith(name):
                return header
    return None


def read_contacts(path: Path | str) -> LoadResult[ContactInput]:
    """Read contact rows (身份证号码, 联系服务时间, 联系服务方式, 联系服务内容, 工作人员姓名,
    联系结果, optional 是否拒绝服务 and 更新需求) with one :class:`RowError` per bad row."""
    path = Path(path)
    table = read_table(path, header_map=CONTACT_HEADERS, required=CONTACT_REQUIRED)
    columns = {f: _column_of(table.headers, names) for f, names in CONTACT_HEADERS.items()}
    missing = [CONTACT_HEADERS[f][0] for f in CONTACT_REQUIRED if columns[f] is None]
    if missing:
        raise InputError(f"缺少列：{'、'.join(missing)} / missing columns: {', '.join(missing)}")
    result: LoadResult[ContactInput] = LoadResult(file=str(path), headers=table.headers)
    for number, values in table.rows:
        result.rows_read += 1
        field_name = "id_number"
        try:

            def cell(name: str, values: dict[str, object] = values) -> object:
                column = columns[name]
                return None if column is None else values.get(column)

            number_text = parse_id_number(cell("id_number")).number
            field_name = "contacted_on"
            day = parse_date(cell("contacted_on"))
            if day is None:
                raise InputError("联系服务时间为空 / contact date is empty")
            field_name = "method"
            method = str(cell("method") or "").strip()
            method = _METHOD_ALIASES.get(method, method)
            field_name = "reached"
            reached = _reached(cell("reached"))
            field_name = "refused"
            refused = bool(parse_bool(cell("refused")))
            field_name = "needs"
            needs = parse_other_needs(cell("needs"))
            field_name = "method"
            item = ContactInput(
                id_number=number_text,
                contacted_on=day,
                method=method,
                content=str(cell("content") or ""),
                caseworker=str(cell("caseworker") or ""),
                reached=reached,
                refused=refused,
                needs=needs,
            )
        except (InputError, ValueError) as exc:
            zh, _, en = str(exc).partition(" / ")
            column = columns[field_name]
            result.errors.append(
                RowError(
                    row=number,
                    column=column,
                    value=values.get(column) if column else None,
                    reason_zh=zh,
                    reason_en=en or zh,
                    original=dict(values),
                )
            )
            continue
        result.items.append((number, item))
    return result


def import_contacts(session: Session, path: Path | str) -> LoadResult[ContactInput]:
    """Read and store contact rows; a row naming an unknown person becomes a reject."""
    result = read_contacts(path)
    kept: list[tuple[int, ContactInput]] = []
    for number, item in result.items:
        try:
            add_contact(session, item)
        except NotFoundError as exc:
            zh, _, en = str(exc).partition(" / ")
            result.errors.append(
                RowError(
                    number, "身份证号码", item.id_number, zh, en, {"身份证号码": item.id_number}
                )
            )
            continue
        kept.append((number, item))
    result.items = kept
    result.errors.sort(key=lambda e: e.row)
    return result
