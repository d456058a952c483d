"""Cell-level parsers for the bureau's spreadsheets: dates, phones, ticked boxes, statuses.

Each parser takes whatever a cell holds (``str``, ``int``, ``float``, ``datetime``, ``None``),
returns a normalised value, and raises :class:`~matching.exceptions.InputError` with a
bilingual message (Chinese, then " / ", then English) when the value cannot be read.
Empty cells give ``None`` (or an empty tuple); whether a value is required is decided
by the caller (:mod:`matching.ingest.io`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import TypeVar

from matching.exceptions import InputError
from matching.schemas import Gender, OtherNeed, PersonStatus, WorkForm, WorkHistoryEntry

__all__ = [
    "is_blank",
    "normalize_phone",
    "parse_bool",
    "parse_date",
    "parse_deregistration_reason",
    "parse_gender",
    "parse_headcount",
    "parse_other_needs",
    "parse_status",
    "parse_work_forms",
    "parse_work_history",
]

_T = TypeVar("_T")

# Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is accounted for; serials
# below 61 are off by one but name dates in 1900, which no registration record holds.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
# Numbers below this are more likely a year ("2024") or a typo than an Excel date.
_EXCEL_MIN_SERIAL = 10_000  # 1927-05-18


def is_blank(value: object) -> bool:
    """True for ``None``, NaN/NaT, and strings holding only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    """The cell as NFKC text (full-width digits and brackets made half-width), stripped."""
    return unicodedata.normalize("NFKC", str(value)).strip()


# ---------------------------------------------------------------------------- dates

_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+\d{1,2}[:时]\d{1,2}(?:[:分]\d{1,2}(?:\.\d+)?秒?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")


def _make_date(year: int, month: int, day: int, original: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(
            f"日期不存在：{year}年{month}月{day}日 / no such date: {year}-{month:02d}-{day:02d}",
            value=original,
        ) from None


def _from_serial(number: float, original: object) -> dt.date:
    if not math.isfinite(number) or not _EXCEL_MIN_SERIAL <= number <= _EXCEL_MAX_SERIAL:
        raise InputError(
            f"数值{original!r}不是可识别的日期，请写成2024-10-01 / "
            f"number {original!r} is not a date we can read; write it as 2024-10-01",
            value=original,
        )
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def _from_number(number: float, original: object) -> dt.date:
    # 20241001 typed into a number cell: read as YYYYMMDD, not as a serial in year 57000.
    if number.is_integer() and 10_000_000 <= number <= 99_999_999:
        n = int(number)
        return _make_date(n // 10_000, n // 100 % 100, n % 100, original)
    return _from_serial(number, original)


def parse_date(value: object) -> dt.date | None:
    """Read a date as bureaus write it.

    Accepts ``2024-10-01``, ``2024/10/1``, ``20241001``, ``2024年10月1日``, ``2024.10.01``
    (optionally followed by a time), ``date``/``datetime``/pandas ``Timestamp`` cells and
    Excel serial numbers (``45566`` → 2024-10-01). Empty cells give ``None``.

    Parameters
    ----------
    value : object
        The cell's value.

    Returns
    -------
    datetime.date or None

    Raises
    ------
    InputError
        For text that is not a date and for impossible dates (2024-02-30).

    Examples
    --------
    >>> parse_date("2024年10月1日")
    datetime.date(2024, 10, 1)
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamp is a datetime subclass
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise InputError(f"不是日期：{value!r} / not a date: {value!r}", value=value)
    if isinstance(value, int | float):
        if isinstance(value, int) and abs(value) > _EXCEL_MAX_SERIAL * 100:
            return _from_serial(float("inf"), value)  # too big to be a date; avoids overflow
        return _from_number(float(value), value)
    s = _text(value)
    m = _DATE_RE.match(s) or _COMPACT_DATE_RE.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), value)
    if _NUMBER_RE.match(s):
        return _from_number(float(s), value)
    raise InputError(
        f"无法识别的日期：{s!r}，请写成2024-10-01 / cannot read date {s!r}; write it as 2024-10-01",
        value=value,
    )


# ---------------------------------------------------------------------------- phones

_PHONE_JUNK_RE = re.compile(r"[\s\-—–_()（）.·]")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_CN_PREFIX_RE = re.compile(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)")
# Area codes: 010 and 02x have 3 digits (Tianjin is 022); all others have 4.
_LANDLINE_RE = re.compile(r"^(0(?:10|2\d)|0[3-9]\d{2})(\d{7,8})$")
_DASHED_LANDLINE_RE = re.compile(r"^(0\d{2,3})[-—–](\d{7,8})$")
TIANJIN_AREA_CODE = "022"


def normalize_phone(value: object) -> str:
    """Normalise a phone number: mobiles to 11 digits, landlines to ``"022-12345678"``.

    Mobiles (``1[3-9]`` + 9 digits) may carry ``+86``/``86``; spaces, dashes and brackets
    are removed. An 8-digit number without area code is a Tianjin local number and gets
    ``022``. Number cells (``13812345678.0``) are accepted.

    Parameters
    ----------
    value : object
        The cell's value; must not be empty (the caller decides whether a phone is needed).

    Returns
    -------
    str

    Raises
    ------
    InputError
        When the value is empty or is neither a mainland mobile nor a landline number.

    Examples
    --------
    >>> normalize_phone("+86 138-1234-5678"), normalize_phone("23456789")
    ('13812345678', '022-23456789')
    """
    original = value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or is_blank(value):
        raise InputError("电话号码为空 / phone number is empty", value=original)
    s = _text(value)
    dashed = _DASHED_LANDLINE_RE.match(s.replace(" ", ""))
    if dashed:
        return f"{dashed[1]}-{dashed[2]}"
    digits = _PHONE_JUNK_RE.sub("", s)
    digits = _CN_PREFIX_RE.sub("", digits)
    if _MOBILE_RE.match(digits):
        return digits
    landline = _LANDLINE_RE.match(digits)
    if landline:
        return f"{landline[1]}-{landline[2]}"
    if len(digits) == 8 and digits.isdigit() and digits[0] != "0":
        return f"{TIANJIN_AREA_CODE}-{digits}"
    raise InputError(
        f"电话号码无效：{s!r}（应为11位手机号或带区号的固话） / "
        f"invalid phone number {s!r} (expected an 11-digit mobile or a landline)",
        value=original,
    )


# ---------------------------------------------------------------------------- choices

_GENDERS: dict[str, Gender] = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "1": Gender.MALE,  # GB/T 2261.1: 1 = male, 2 = female
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "2": Gender.FEMALE,
}


def _lookup(value: object, table: Mapping[str, _T], what_zh: str, what_en: str) -> _T | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = _text(value).lower()
    if key in table:
        return table[key]
    raise InputError(
        f"无法识别的{what_zh}：{key!r} / unknown {what_en}: {key!r}",
        value=value,
    )


def parse_gender(value: object) -> Gender | None:
    """``男``/``女`` (also 男性, M/F, male/female, GB/T 2261.1 codes 1/2); empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_gender("女性")
    <Gender.FEMALE: '女'>
    """
    return _lookup(value, _GENDERS, "性别", "gender")


_STATUSES: dict[str, PersonStatus] = {
    "登记失业": PersonStatus.REGISTERED,
    "失业登记": PersonStatus.REGISTERED,
    "失业": PersonStatus.REGISTERED,
    "在册": PersonStatus.REGISTERED,
    "登记": PersonStatus.REGISTERED,
    "registered": PersonStatus.REGISTERED,
    "已注销": PersonStatus.DEREGISTERED,
    "注销": PersonStatus.DEREGISTERED,
    "deregistered": PersonStatus.DEREGISTERED,
    "已就业": PersonStatus.EMPLOYED,
    "就业": PersonStatus.EMPLOYED,
    "employed": PersonStatus.EMPLOYED,
}


def parse_status(value: object) -> PersonStatus | None:
    """登记失业/在册 → registered; 已注销 → deregistered; 已就业 → employed; empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_status("在册")
    <PersonStatus.REGISTERED: 'registered'>
    """
    return _lookup(value, _STATUSES, "人员状态", "status")


_TRUE = ("是", "y", "yes", "true", "1", "√", "✓", "✔", "☑", "有", "对", "同意", "接收")
_FALSE = ("否", "n", "no", "false", "0", "×", "✗", "✘", "无", "不", "错", "不同意", "不接收")
_BOOLS: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def parse_bool(value: object) -> bool | None:
    """是/否, Y/N, yes/no, true/false, 1/0, √/× ; empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_bool("√"), parse_bool("否")
    (True, False)
    """
    if isinstance(value, bool):
        return value
    return _lookup(value, _BOOLS, "是/否值", "yes/no value")


# ---------------------------------------------------------------------------- ticked boxes

_TICKED = "☑✓✔√■☒▣●"
_UNTICKED = "□☐○"
_MARKS = _TICKED + _UNTICKED
_BRACKETS_RE = re.compile(r"[\[\]【】()]")
_ITEM_SPLIT_RE = re.compile(r"[\s,，、;；/|+]+")
_NOTHING = frozenset({"无", "没有", "暂无", "不需要", "否", "none", "-"})

_WORK_FORMS: dict[str, WorkForm] = {
    "稳定就业": WorkForm.STABLE,
    "稳定": WorkForm.STABLE,
    "stable": WorkForm.STABLE,
    "灵活就业": WorkForm.FLEXIBLE,
    "灵活": WorkForm.FLEXIBLE,
    "flexible": WorkForm.FLEXIBLE,
    "自主创业": WorkForm.SELF_EMPLOYED,
    "创业": WorkForm.SELF_EMPLOYED,
    "self-employed": WorkForm.SELF_EMPLOYED,
    "self_employed": WorkForm.SELF_EMPLOYED,
}

_OTHER_NEEDS: dict[str, OtherNeed] = {
    "补贴申领": OtherNeed.SUBSIDY,
    "申领补贴": OtherNeed.SUBSIDY,
    "补贴": OtherNeed.SUBSIDY,
    "subsidy": OtherNeed.SUBSIDY,
    "职业指导": OtherNeed.GUIDANCE,
    "就业指导": OtherNeed.GUIDANCE,
    "guidance": OtherNeed.GUIDANCE,
    "技能培训": OtherNeed.SKILLS_TRAINING,
    "职业技能培训": OtherNeed.SKILLS_TRAINING,
    "skills_training": OtherNeed.SKILLS_TRAINING,
    "创业培训": OtherNeed.STARTUP_TRAINING,
    "startup_training": OtherNeed.STARTUP_TRAINING,
}


def _ticked_words(text: str) -> list[str]:
    """The words of a cell that are chosen.

    Without box marks every word is chosen. With marks (``☑稳定就业 □灵活就业`` or
    ``稳定就业√ 灵活就业``) only the word next to a tick is: a mark belongs to the word
    after it when the cell starts with a mark, else to the word before it.
    """
    s = _BRACKETS_RE.sub(" ", text)
    if not any(c in _MARKS for c in s):
        return [w for w in _ITEM_SPLIT_RE.split(s) if w]
    s = s.strip()
    prefix = s[:1] in _MARKS
    parts = re.split(f"([{_MARKS}])", s)
    chosen: list[str] = []
    for i, part in enumerate(parts):
        if len(part) != 1 or part not in _TICKED:
            continue
        neighbour = parts[i + 1] if prefix else parts[i - 1]
        words = [w for w in _ITEM_SPLIT_RE.split(neighbour) if w]
        if words:
            chosen.append(words[0] if prefix else words[-1])
    return chosen


def _parse_choices(
    value: object, table: Mapping[str, _T], what_zh: str, what_en: str
) -> tuple[_T, ...]:
    if is_blank(value):
        return ()
    s = _text(value)
    if s.lower() in _NOTHING:
        return ()
    found: dict[_T, None] = {}
    for word in _ticked_words(s):
        key = word.lower()
        if key not in table:
            options = "、".join(dict.fromkeys(str(v) for v in table.values()))
            raise InputError(
                f"无法识别的{what_zh}：{word!r}（可选：{options}） / "
                f"unknown {what_en} {word!r} (choose from: {options})",
                value=value,
            )
        found[table[key]] = None
    return tuple(found)


def parse_work_forms(value: object) -> tuple[WorkForm, ...]:
    """就业形式: ``"稳定就业、灵活就业"`` or ticked boxes ``"☑稳定就业 □灵活就业"``.

    Order is kept, duplicates dropped; empty or 无 gives ``()``.

    Raises
    ------
    InputError
        When a chosen word is not one of 稳定就业 / 灵活就业 / 自主创业.

    Examples
    --------
    >>> parse_work_forms("☑稳定就业 □灵活就业 ☑自主创业")
    (<WorkForm.STABLE: '稳定就业'>, <WorkForm.SELF_EMPLOYED: '自主创业'>)
    """
    return _parse_choices(value, _WORK_FORMS, "就业形式", "form of work")


def parse_other_needs(value: object) -> tuple[OtherNeed, ...]:
    """其他需求: 补贴申领 / 职业指导 / 技能培训 / 创业培训, listed or ticked.

    Raises
    ------
    InputError
        When a chosen word is none of the four.

    Examples
    --------
    >>> parse_other_needs("技能培训；补贴申领")
    (<OtherNeed.SKILLS_TRAINING: '技能培训'>, <OtherNeed.SUBSIDY: '补贴申领'>)
    """
    return _parse_choices(value, _OTHER_NEEDS, "其他需求", "other need")


# ---------------------------------------------------------------------------- deregistration

# Keywords for the 12 reasons of DOMAIN.md, checked in this order: the specific ones
# first, so that "灵活就业并缴纳社保" is 5 (not 2) and "超过6个月未联系" is 10 (not 11).
_REASON_KEYWORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (12, ("死亡", "去世", "身故", "病故")),
    (8, ("服刑", "判刑", "收监", "羁押")),
    (7, ("丧失劳动能力",)),
    (1, ("退休", "养老金", "养老保险待遇")),
    (6, ("入学", "升学", "就学", "服兵役", "参军", "入伍", "移居境外", "出国", "定居国外")),
    (9, ("拒绝",)),
    (10, ("6个月", "六个月", "半年")),
    (11, ("迁移", "迁往", "外省", "迁出", "无法联系", "联系不上", "联系不到", "缺失", "不全")),
    (4, ("非全日制", "新就业形态", "最低工资")),
    (5, ("灵活就业", "社会保险", "社保", "个人所得税", "个税")),
    (3, ("个体", "营业执照", "创业", "开办", "创办", "经营")),
    (2, ("录用", "公益性岗位", "就业", "入职", "上岗", "签订劳动合同")),
)
# "2", "(2)被录用", "第2项", "2. 被录用" — but not "6个月未联系" (a keyword, reason 10).
_REASON_NUMBER_RE = re.compile(
    r"^(?:\(\s*(\d{1,2})\s*\)|第\s*(\d{1,2})\s*[项条种]|(\d{1,2})(?=$|\s|[.、:)]))"
)


def parse_deregistration_reason(value: object) -> int | None:
    """注销原因 as its number 1–12 (DOMAIN.md), from ``"2"``, ``"(2)被录用"`` or text keywords.

    Raises
    ------
    InputError
        For a number outside 1–12 or text that names none of the reasons.

    Examples
    --------
    >>> parse_deregistration_reason("已办理退休"), parse_deregistration_reason(3)
    (1, 3)
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        raise InputError(
            f"无法识别的注销原因：{value!r} / unknown deregistration reason", value=value
        )
    s = _text(value)
    m = _REASON_NUMBER_RE.match(s)
    if m:
        number = int(m[1] or m[2] or m[3])
        if 1 <= number <= 12:
            return number
        raise InputError(
            f"注销原因编号应为1–12，实为{number} / deregistration reason must be 1–12, got {number}",
            value=value,
        )
    for number, keywords in _REASON_KEYWORDS:
        if any(k in s for k in keywords):
            return number
    raise InputError(
        f"无法识别的注销原因：{s!r}（请填1–12或原因文字） / "
        f"unknown deregistration reason {s!r} (write 1–12 or the reason's text)",
        value=value,
    )


# ---------------------------------------------------------------------------- numbers

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNSPECIFIED = frozenset({"若干", "不限", "多名", "数名", "面议", "待定"})
_HEADCOUNT_RE = re.compile(r"^(\d+)(?:\s*[-~至到]\s*(\d+))?\s*(?:人|名|个)?$")


def _cn_number(s: str) -> int | None:
    """一..九十九 as written in headcounts ("十人", "二十"), else None."""
    if not s or any(c not in _CN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_headcount(value: object) -> int | None:
    """招聘人数: ``3``, ``"3人"``, ``"十名"``, ``"3-5人"`` (→ 5); ``"若干"``/empty → None.

    Raises
    ------
    InputError
        For anything else (negative numbers included).

    Examples
    --------
    >>> parse_headcount("3人"), parse_headcount("若干")
    (3, None)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InputError(f"无法识别的招聘人数：{value!r} / unknown headcount", value=value)
    if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
        return int(value)
    s = _text(value)
    if s in _UNSPECIFIED or s.rstrip("人名") in _UNSPECIFIED:
        return None
    m = _HEADCOUNT_RE.match(s)
    if m:
        return int(m[2] or m[1])
    n = _cn_number(s.rstrip("人名个"))
    if n is not None:
        return n
    raise InputError(
        f"无法识别的招聘人数：{s!r}（请填数字或“若干”） / "
        f"cannot read headcount {s!r} (write a number or 若干)",
        value=value,
    )


# ---------------------------------------------------------------------------- work history

_HISTORY_ROW_RE = re.compile(r"[\n\r;；]+")
_HISTORY_FIELD_RE = re.compile(r"\s*[|｜,，\t]\s*")
_PERIOD_RE = re.compile(r"^(?:\d{4}|至今)")
_PERIOD_SPACE_RE = re.compile(r"^(\S*\d{4}\S*)\s+(.+)$")
_EMPLOYER_SUFFIXES = (
    "公司", "厂", "店", "中心", "医院", "学校", "酒店", "宾馆", "集团", "超市", "单位",
    "银行", "局", "院", "所", "社", "馆", "站", "场", "部", "处", "会", "园",
)  # fmt: skip


def _history_fields(row: str) -> list[str]:
    fields = [f for f in _HISTORY_FIELD_RE.split(row) if f]
    if len(fields) == 1:
        # "2019.03-2022.06 某物业公司 保洁员": fields separated by spaces only
        m = _PERIOD_SPACE_RE.match(fields[0])
        if m:
            fields = [m[1], *m[2].split()]
    return fields


def _history_entry(fields: list[str]) -> WorkHistoryEntry:
    period = fields.pop(0) if _PERIOD_RE.match(fields[0]) else ""
    if not fields:
        return WorkHistoryEntry(period=period)
    if len(fields) == 1:
        # One text besides the period: an employer if it sounds like one, else the job.
        if fields[0].endswith(_EMPLOYER_SUFFIXES):
            return WorkHistoryEntry(period=period, employer=fields[0])
        return WorkHistoryEntry(period=period, position=fields[0])
    return WorkHistoryEntry(period=period, employer=fields[0], position="，".join(fields[1:]))


def parse_work_history(value: object) -> tuple[WorkHistoryEntry, ...]:
    """工作经历: several rows in one cell, one per line (or split by ；).

    Each row is ``period，employer，position`` (also with ``|`` or tabs). A row with one
    text besides the period reads it as the employer when it ends like one (公司, 厂, 店 …),
    else as the position. Empty → ``()``.

    Examples
    --------
    >>> parse_work_history("2019.03-2022.06|某物业公司|保洁员")
    (WorkHistoryEntry(period='2019.03-2022.06', employer='某物业公司', position='保洁员'),)
    """
    if is_blank(value):
        return ()
    s = str(value).strip()
    if s in _NOTHING:
        return ()
    entries = []
    for row in _HISTORY_ROW_RE.split(s):
        fields = _history_fields(row.strip())
        if fields:
            entries.append(_history_entry(fields))
    return tuple(entries)
