"""Texts and sheets of the nightly lists: SMS, WeChat, the caseworker's call sheet.

Nothing here ever writes a full ID number: call sheets carry the masked one
(:func:`matching.domain.idcard.mask_id_number`), messages carry none at all. An SMS segment holds
at most 70 characters (GSM 03.38 / UCS-2: Chinese text counts by character), so every SMS is
built to fit one segment, shortening the title when it must.

Who gets texts (:func:`contact_channel`): SMS and WeChat go only to persons who accept messages
and whose phone is a valid mainland mobile number (:func:`matching.domain.phone.is_mobile`);
everyone else is on the call sheet with 电话 as the channel and the reason. Every call-sheet,
SMS and WeChat row names the posting id (岗位编号, the id of ``songgang recommend`` and the API)
and the reply code of each posting.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matching.domain.idcard import mask_id_number, mask_name
from matching.domain.phone import mobile_number
from matching.domain.spreadsheet import neutralise_cell, neutralise_row
from matching.schemas import Posting

SMS_SEGMENT = 70
SMS_PREFIX = "【送岗】"
CALL_SHEET_COLUMNS = ("序号", "姓名", "身份证号", "联系电话", "联系方式", "推荐岗位", "跟进结果")
SMS_COLUMNS = ("手机号", "岗位编号", "回复码", "短信内容")
WECHAT_COLUMNS = ("手机号", "岗位编号", "回复码", "微信内容")
MESSAGED = "短信+微信"
# Why a person is called rather than messaged (run report key → call-sheet 联系方式).
CALL_REASONS = {
    "opted_out": "电话（本人不接收短信）",
    "not_mobile": "电话（非手机号码，不能发短信）",
    "no_phone": "电话（无联系电话，请核实号码或上门）",
}
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
assert len(_CODE_ALPHABET) == 32  # reply_code reads five bits per character
_ALPHABET_BYTES = np.frombuffer(_CODE_ALPHABET.encode("ascii"), np.uint8)


@dataclass(frozen=True, slots=True)
class PushItem:
    """One posting allocated to one person (what the texts and sheets are made of)."""

    posting_id: str
    rank: int  # 1-based, best first
    score: float
    code: str
    title: str
    employer: str
    district: str
    pay: str
    reasons: tuple[str, ...]
    # How the slot was filled (issue 19): by the engine or by exploration, with the exact
    # probability the posting was pushed (the term values are stored from the columns,
    # :class:`~matching.nightly.push_columns.StoredPushes`).
    placed_by: str = "engine"
    propensity: float = 1.0


@dataclass(frozen=True, slots=True)
class PersonPush:
    """A person's list for the night: contact data and the allocated postings."""

    id_number: str
    name: str
    phone: str
    district: str
    accepts_messages: bool
    items: tuple[PushItem, ...]
    # :func:`contact_channel` of this person, and their 11-digit mobile number when messaged
    # (else ""): the phone is checked once, here, not again by each sheet and file.
    channel: str = field(init=False)
    mobile: str = field(init=False)

    def __post_init__(self) -> None:
        channel, mobile = _contact(self.accepts_messages, self.phone)
        object.__setattr__(self, "channel", channel)
        object.__setattr__(self, "mobile", mobile)

    @property
    def messaged(self) -> bool:
        """Sent SMS and WeChat texts (else only on the call sheet)."""
        return self.channel == "message"


def contact_channel(accepts_messages: bool, phone: str | None) -> str:
    """``"message"`` (SMS + WeChat) or why the person is called instead (:data:`CALL_REASONS`).

    Examples
    --------
    >>> contact_channel(True, "13812345678"), contact_channel(True, "022-23456789")
    ('message', 'not_mobile')
    """
    return _contact(accepts_messages, phone)[0]


def _contact(accepts_messages: bool, phone: str | None) -> tuple[str, str]:
    """:func:`contact_channel` and the mobile number texts go to ("" when not messaged)."""
    if not accepts_messages:
        return "opted_out", ""
    if not (phone or "").strip():
        return "no_phone", ""
    mobile = mobile_number(phone)
    return ("not_mobile", "") if mobile is None else ("message", mobile)


def reply_code(day: dt.date, id_number: str, posting_id: str, length: int = 5) -> str:
    """Short reply code of one push: the same inputs always give the same code.

    A person replies with it (or quotes it to the caseworker); ``pushes.code`` finds the push.
    It is a hash, so it does not reveal the ID number.
    """
    return reply_codes(day, [id_number], [posting_id], length)[0]


def reply_codes(
    day: dt.date, id_numbers: Sequence[str], posting_ids: Sequence[str], length: int = 5
) -> list[str]:
    """:func:`reply_code` of many pushes: the hashes one by one, the digits all at once.

    The code is the first 64 bits of ``sha256("day|id number|posting id")`` in base 32, least
    significant digit first (at most 13 digits).
    """
    if not 1 <= length <= 13:
        raise ValueError(f"a reply code has 1 to 13 characters, not {length}")
    prefix = f"{day.isoformat()}|"
    sha = hashlib.sha256
    digests = b"".join(
        [sha(f"{prefix}{i}|{p}".encode()).digest()[:8] for i, p in zip(id_numbers, posting_ids,
                                                                          strict=True)]
    )  # fmt: skip
    values = np.frombuffer(digests, dtype=">u8").astype(np.uint64)
    shifts = np.arange(0, 5 * length, 5, dtype=np.uint64)
    digits = (values[:, None] >> shifts) & np.uint64(31)
    chars = _ALPHABET_BYTES[digits.astype(np.intp)]
    return [code.decode("ascii") for code in chars.view(f"S{length}").ravel().tolist()]


def posting_pay(posting: Posting) -> str:
    """The pay shown in texts: the parsed range in standard words, else the raw text, else 面议."""
    from matching.understand.salary import format_salary

    if posting.salary is not None:
        return format_salary(posting.salary)
    return posting.salary_text.strip() or "面议"


def sms_text(item: PushItem, limit: int = SMS_SEGMENT) -> str:
    """One SMS (one segment) for one posting: title, pay, district, reply code.

    Examples
    --------
    >>> item = PushItem("7", 1, 0.8, "K7F2Q", "小区保洁员", "某物业", "河西区", "月薪4000-5000元", ())
    >>> sms_text(item)
    '【送岗】小区保洁员（河西区），月薪4000-5000元。有意向请回复K7F2Q，或告知社区工作人员。'
    """
    head = SMS_PREFIX
    tail = f"（{item.district}），{item.pay}。有意向请回复{item.code}，或告知社区工作人员。"
    if len(head) + len(item.title) + len(tail) > limit:
        tail = f"（{item.district}），{item.pay}。回复{item.code}咨询"
    room = limit - len(head) - len(tail)
    if room < 4:  # a very long pay text: drop it rather than exceed one segment
        tail = f"（{item.district}）。回复{item.code}咨询"
        room = limit - len(head) - len(tail)
    title = item.title if len(item.title) <= room else item.title[: room - 1] + "…"
    return head + title + tail


def wechat_text(push: PersonPush) -> str:
    """The WeChat message of one person: every posting with pay, place, reasons and code."""
    lines = [f"{mask_name(push.name)}您好！根据您的求职意向，今天为您推荐{len(push.items)}个岗位："]
    for item in push.items:
        lines.append(f"{item.rank}. {item.title}（{item.employer}，{item.district}），{item.pay}")
        if item.reasons:
            lines.append("   推荐理由：" + "；".join(item.reasons))
        lines.append(f"   岗位编号：{item.posting_id}，回复码：{item.code}")
    lines.append("有意向请回复对应的回复码，或联系所在社区的就业服务人员。")
    return "\n".join(lines)


def _postings_cell(push: PersonPush) -> str:
    parts = []
    for item in push.items:
        reasons = "；".join(item.reasons[:3])
        parts.append(
            f"{item.rank}. 岗位编号{item.posting_id}｜{item.title}｜{item.employer}"
            f"｜{item.district}｜{item.pay}｜回复码{item.code}"
            + (f"｜{reasons}" if reasons else "")
        )
    return "\n".join(parts)


def call_sheet_rows(pushes: Sequence[PersonPush]) -> list[list[str]]:
    """Rows of the call sheet: persons to call (not messaged, see :func:`contact_channel`)
    first, then the others; every posting with its id and reply code."""
    channels = [p.channel for p in pushes]
    order = sorted(
        range(len(pushes)), key=lambda i: (channels[i] == "message", pushes[i].id_number)
    )
    rows = []
    for n, i in enumerate(order, start=1):
        p, channel = pushes[i], channels[i]
        how = MESSAGED if channel == "message" else CALL_REASONS[channel]
        rows.append(
            [str(n), p.name, mask_id_number(p.id_number), p.phone, how, _postings_cell(p), ""]
        )
    return rows


def sms_rows(pushes: Sequence[PersonPush]) -> list[list[str]]:
    """Rows of ``sms.csv``: one per posting of each messaged person (mobile, id, code, text)."""
    return [
        [p.mobile, it.posting_id, it.code, sms_text(it)]
        for p in pushes
        if p.messaged
        for it in p.items
    ]


def wechat_rows(pushes: Sequence[PersonPush]) -> list[list[str]]:
    """Rows of ``wechat.csv``: one per messaged person, with every posting id and reply code."""
    return [
        [p.mobile, "、".join(it.posting_id for it in p.items),
         "、".join(it.code for it in p.items), wechat_text(p)]
        for p in pushes
        if p.messaged
    ]  # fmt: skip


def write_call_sheet(path: Path, title: str, rows: Sequence[Sequence[str]]) -> None:
    """The xlsx call sheet (a title row, then the header and one row per person).

    Streamed with XlsxWriter's constant-memory mode: a district's tens of thousands of rows
    at about half openpyxl's cost (the nightly run writes 180k of them). Every value is
    written as text, so ID numbers and phone numbers keep their digits, and text a
    spreadsheet would take for a formula is quoted (:func:`neutralise_row`).
    """
    import xlsxwriter

    def save(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        ws = wb.add_worksheet("电话跟进")
        for col, width in enumerate((6, 10, 20, 14, 22, 80, 24)):
            ws.set_column(col, col, width)
        ws.freeze_panes(2, 0)
        ws.write_string(
            0, 0, neutralise_cell(title), wb.add_format({"bold": True, "font_size": 13})
        )
        ws.write_row(1, 0, CALL_SHEET_COLUMNS, wb.add_format({"bold": True}))
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        write = ws.write_string
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(neutralise_row(row)):
                if c == 5:
                    write(r, c, value, wrap)
                elif value:
                    write(r, c, value)
        wb.close()

    _atomic(path, save)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """UTF-8 with BOM (Excel opens it without mojibake), written atomically; text a
    spreadsheet would take for a formula is quoted (:func:`neutralise_row`)."""

    def save(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(neutralise_row(header))
            writer.writerows(neutralise_row(row) for row in rows)

    _atomic(path, save)


def _atomic(path: Path, save: object) -> None:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    save(tmp)  # type: ignore[operator]
    os.replace(tmp, path)
