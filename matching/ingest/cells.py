"""Cell parsers for free-form values: blanks, dates, phones, headcounts, work history.

Each parser takes whatever a cell holds (``str``, ``int``, ``float``, ``datetime``, ``None``),
returns a normalised value, and raises :class:`~matching.exceptions.InputError` with a
bilingual message (Chinese, then " / ", then English) when the value cannot be read.
Empty cells give ``None`` (or an empty tuple); whether a value is required is decided
by the caller (:mod:`matching.ingest.persons`, :mod:`matching.ingest.postings`). Cells that
pick from a fixed list (gender, status, yes/no, ticked boxes, deregistration reasons) are
read by :mod:`matching.ingest.choices`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata

from matching.exceptions import InputError
from matching.schemas import WorkHistoryEntry

__all__ = [
    "NOTHING_WORDS",
    "is_blank",
    "normalize_phone",
    "normalized_text",
    "parse_date",
    "parse_headcount",
    "parse_work_history",
]


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


def normalized_text(value: object) -> str:
    """The cell as NFKC text (full-width digits and brackets made half-width), stripped."""
    return unicodedata.normalize("NFKC", str(value)).strip()


# A cell holding one of these means "none" (no work history, none of the choices).
NOTHING_WORDS = frozenset({"无", "没有", "暂无", "不需要", "否", "none", "-"})


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
    if isinstance(value, str):
        return _date_of_text(value)
    return _date_of_text(str(value))


@functools.lru_cache(maxsize=1 << 12)
def _date_of_text(value: str) -> dt.date:
    # a sheet repeats its dates (one per day posted): each distinct cell is read once
    s = normalized_text(value)
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
    s = normalized_text(value)
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
    s = normalized_text(value)
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
    if s in NOTHING_WORDS:
        return ()
    entries = []
    for row in _HISTORY_ROW_RE.split(s):
        fields = _history_fields(row.strip())
        if fields:
            entries.append(_history_entry(fields))
    return tuple(entries)
