"""Parse Chinese pay strings into monthly ranges in yuan, and write them back as plain text.

Postings write pay in many ways: ``4000-6000元/月``, ``4-6K``, ``0.8-1.2万/月``,
``1-1.5万·13薪``, ``8千-1.2万``, ``20-30万/年``, ``150元/天``, ``时薪20元``, ``底薪3000+提成``,
``8000以上元/月``, ``面议``. :func:`parse_salary` reads one such string into a
:class:`~matching.schemas.SalaryRange` (monthly yuan, integers); :func:`parse_expected_pay`
reads a person's 期望薪酬 cell; :func:`format_salary` writes a range as the short Chinese a
caseworker reads in a match's reasons.

How a string is read:

1. Normalise: NFKC (full-width digits and ``～`` become ASCII), lower case, thousands
   separators dropped, Chinese numerals next to 千/万/元 turned into digits (``五千`` → 5000,
   ``一万二`` → 12000), ``·13薪`` taken out as the number of salaries a year.
2. Find every amount or range of amounts, with its multiplier (千, k, 万, w), its period
   (``/月``, ``/年``, ``元/天``, ``/小时``; or a word before it: 年薪, 日结, 时薪, …) and an
   open end (以上, 起, +, 以下; or 保底/底薪 before it).
3. Drop numbers that are plainly something else: followed by 人, 岁, 年, 号, 小时, … (招3人,
   45岁以下, 2015年, 8小时), or part of a chain such as a date or phone number.
4. Keep the first candidate that carries a pay marker (元, 千/万/k, a period, a pay word
   just before it); a bare ``3000-5000`` counts only when a pay word is near or the text is
   little else.
5. Convert to monthly yuan (the official factors below) and check the sanity bounds.

Nothing here raises on any input: an unreadable string gives ``None``. Patterns and word tables:
:mod:`matching.understand.salary_patterns`; Chinese numerals: :mod:`matching.understand.numerals`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from numbers import Real

from matching.domain.wages import MIN_WAGE_MONTHLY_YUAN
from matching.schemas import SalaryRange
from matching.understand.numerals import CHINESE_DIGITS, parse_chinese_number
from matching.understand.salary_patterns import (
    CHAIN_AFTER,
    CHAIN_BEFORE,
    CN_HAS_DIGIT,
    CN_RUN,
    COMMISSION,
    EXPR,
    MIN_WAGE_WORDS,
    MONTHS,
    MULTIPLIER,
    NEGOTIABLE,
    NO_PREFERENCE,
    NOT_PAY_AFTER,
    PAY_WORDS,
    PER_WORDS,
    PREFIX_MAX,
    PREFIX_MIN,
    PREFIX_PAY,
    PREFIX_PERIOD,
    SPACES,
    THOUSANDS,
    WAVES,
    Period,
)

__all__ = [
    "DAYS_PER_MONTH",
    "HOURS_PER_MONTH",
    "MAX_MONTHLY_YUAN",
    "MIN_MONTHLY_YUAN",
    "MONTHS_PER_YEAR",
    "WEEKS_PER_MONTH",
    "format_salary",
    "parse_expected_pay",
    "parse_salary",
    "salary_period",
]

# Monthly-conversion figures of 劳社部发〔2008〕3号 (关于职工全年月平均工作时间和工资折算问题的
# 通知): 250 working days a year ÷ 12 = 20.83 days of work, but pay is converted with the paid
# days, (365 − 104 weekend days) ÷ 12 = 21.75 days and 21.75 × 8 = 174 hours a month.
DAYS_PER_MONTH = 21.75
HOURS_PER_MONTH = 174
MONTHS_PER_YEAR = 12
# 52 weeks ÷ 12 months; weekly pay (周薪) is rare but does occur.
WEEKS_PER_MONTH = 52 / 12

# A monthly figure outside these bounds is not pay: a headcount, a year, a phone number.
MIN_MONTHLY_YUAN = 100
MAX_MONTHLY_YUAN = 1_000_000

_PER_MONTH: dict[str, float] = {
    "month": 1.0,
    "year": 1.0 / MONTHS_PER_YEAR,
    "day": DAYS_PER_MONTH,
    "hour": float(HOURS_PER_MONTH),
    "week": WEEKS_PER_MONTH,
}


def _cn_to_digits(match: re.Match[str]) -> str:
    run = match.group()
    if not CN_HAS_DIGIT.search(run):
        return run  # 千万不要, 百货: no number
    value = parse_chinese_number(run)
    return run if value is None else str(value)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(WAVES).lower()
    text = SPACES.sub(" ", text)  # one space at most: keeps the patterns' \s* linear
    return THOUSANDS.sub("", text).replace("过万", "过1万")  # 月薪过万: at least 10000


def _take_months(text: str) -> tuple[str, int]:
    """Remove ``·13薪`` from ``text`` and return it with the number of salaries a year."""
    found = MONTHS.search(text)
    if found is None:
        return text, 12
    raw = found.group(1)
    months = int(raw) if raw.isdigit() else parse_chinese_number(raw)
    rest = text[: found.start()] + " " + text[found.end() :]
    return rest, months if months is not None and 1 <= months <= 24 else 12


@dataclass(frozen=True, slots=True)
class _Candidate:
    low: float | None
    high: float | None
    strong: bool  # carries a pay marker of its own
    span: tuple[int, int]
    period: Period | None = None  # as written: "20元/小时" hour, "日结200" day, else None


def _amount(raw: str, mul: str | None, tail: str | None = None) -> float:
    if mul is None:
        return float(raw)
    value = float(raw) * MULTIPLIER[mul]
    if tail and "." not in raw:
        value += (int(tail) if tail.isdigit() else CHINESE_DIGITS[tail]) * MULTIPLIER[mul] / 10
    return value


def _bounds(m: re.Match[str]) -> tuple[float, float | None]:
    """The two ends in yuan, the multiplier shared where only one side writes it (6-8千)."""
    lo_mul, hi_mul = m.group("lo_mul"), m.group("hi_mul")
    lo_tail, hi_tail = m.group("lo_tail"), m.group("hi_tail")
    if m.group("hi") is None:
        return _amount(m.group("lo"), lo_mul, lo_tail), None
    lo_raw, hi_raw = float(m.group("lo")), float(m.group("hi"))
    if lo_mul is None and hi_mul is not None and lo_raw <= hi_raw:
        lo_mul = hi_mul  # 6-8千, 0.8-1.2万 (but not 5000-1万)
    elif hi_mul is None and lo_mul is not None and hi_raw < lo_raw * MULTIPLIER[lo_mul]:
        hi_mul = lo_mul  # 1万-1.5 (but not 4千-6000)
    return _amount(m.group("lo"), lo_mul, lo_tail), _amount(m.group("hi"), hi_mul, hi_tail)


def _period(m: re.Match[str], before: str) -> Period | None:
    word = m.group("per") or m.group("per_word") or m.group("lo_per")
    if word:
        return PER_WORDS[word]
    for pattern, period in PREFIX_PERIOD:
        if pattern.search(before[-8:]):
            return period
    return None


def _is_not_pay(text: str, m: re.Match[str]) -> bool:
    """A count, age, date, size or a piece of a phone number rather than an amount."""
    marked = any(
        m.group(g) for g in ("lo_mul", "hi_mul", "yuan", "yuan2", "per", "per_word", "lo_per")
    )
    last_number_end = m.end("hi") if m.group("hi") else m.end("lo")
    if not marked and NOT_PAY_AFTER.match(text, last_number_end):
        return True  # 招3人, 45岁以下, 2015年, 8小时
    before = text[max(0, m.start() - 4) : m.start()]
    return bool(CHAIN_AFTER.match(text, m.end()) or CHAIN_BEFORE.search(before))


def _candidate(text: str, m: re.Match[str]) -> _Candidate | None:
    if _is_not_pay(text, m):
        return None
    before = text[max(0, m.start() - 16) : m.start()]  # the prefix words sit right before
    low, high = _bounds(m)
    period = _period(m, before)
    factor = _PER_MONTH[period or "month"]
    low *= factor
    high = None if high is None else high * factor
    if high is None:
        openness = m.group("open")
        if openness in ("以上", "起", "+") or m.group("more"):  # 3000多: a bit more
            high = None
        elif openness in ("以下", "以内", "封顶") or PREFIX_MAX.search(before):
            low, high = None, low  # type: ignore[assignment]  # 不超过 before 过
        elif not PREFIX_MIN.search(before):
            high = low
    elif low > high:
        low, high = high, low  # written backwards: 6000-4000
    strong = bool(
        m.group("lo_mul")
        or m.group("hi_mul")
        or m.group("yuan")
        or m.group("yuan2")
        or period
        or PREFIX_PAY.search(before[-10:])
        or PREFIX_MIN.search(before)
    )
    return _Candidate(low, high, strong, m.span(), period)


def _in_bounds(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and MIN_MONTHLY_YUAN <= value <= MAX_MONTHLY_YUAN)


def _round(value: float | None) -> int | None:
    # Half up, as pay is rounded (Python's round() would give 3262 for 3262.5).
    return None if value is None else math.floor(value + 0.5)


def _little_else(text: str, span: tuple[int, int]) -> bool:
    """True when the text is hardly more than the amount itself (``3000-5000``, ``4500左右``)."""
    if len(text) - (span[1] - span[0]) > 40:
        return False
    rest = text[: span[0]] + text[span[1] :]
    return len(re.sub(r"[\s,.;:!?，。；：！？、·()（）\[\]【】\"'“”]", "", rest)) <= 4


def _pick(text: str) -> _Candidate | None:
    candidates = [c for m in EXPR.finditer(text) if (c := _candidate(text, m)) is not None]
    candidates = [c for c in candidates if _in_bounds(c.low) and _in_bounds(c.high)]
    for c in candidates:
        if c.strong:
            return c
    for c in candidates:
        start, end = c.span
        near = text[max(0, start - 12) : start] + text[end : end + 4]
        if PAY_WORDS.search(near) or _little_else(text, c.span):
            return c
    return None


# ------------------------------------------------------------------ public API


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def parse_salary(text: object) -> SalaryRange | None:
    """Parse a Chinese pay string into a monthly range in yuan.

    Daily, hourly, weekly and yearly pay are converted with :data:`DAYS_PER_MONTH`,
    :data:`HOURS_PER_MONTH`, :data:`WEEKS_PER_MONTH` and :data:`MONTHS_PER_YEAR`. An
    open-ended figure (``5000以上``, ``月薪5000起``, ``保底4000``) has no maximum; a single
    figure (``4500左右``, ``日结200``) is both ends.

    Parameters
    ----------
    text : object
        A posting's 薪资 cell; numbers are read as yuan a month; other objects give None.

    Returns
    -------
    SalaryRange or None
        ``negotiable=True`` with no figures for 面议; ``commission=True`` when 提成 is
        mentioned; None when the text holds no pay (``包吃住``, ``招3人``, a phone number,
        a monthly figure outside [100, 1,000,000] yuan). Piece-rate pay (``计件``) without a
        figure is None: there is nothing to compare.

    Examples
    --------
    >>> parse_salary("1-1.5万·13薪")
    SalaryRange(monthly_min_yuan=10000, monthly_max_yuan=15000, months=13, negotiable=False, commission=False)
    """
    raw = _as_text(text)
    if raw is None or not raw.strip() or len(raw) > 10_000:
        return None
    return _parse_text(raw)


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(raw: str) -> SalaryRange | None:
    # A board repeats its pay strings (4,400 distinct among 20,000 generated postings): each is
    # parsed once. SalaryRange is frozen, so the postings that share one cannot change it.
    norm, months = _take_months(_normalise(raw))
    norm = CN_RUN.sub(_cn_to_digits, norm)
    negotiable = bool(NEGOTIABLE.search(norm))
    found = _pick(norm)
    if found is None:
        return SalaryRange(negotiable=True, months=months) if negotiable else None
    low, high = _round(found.low), _round(found.high)
    return SalaryRange(
        monthly_min_yuan=low,
        monthly_max_yuan=high,
        months=months,
        negotiable=negotiable,
        commission=bool(COMMISSION.search(norm)),
    )


def salary_period(text: object) -> Period | None:
    """The period the pay figure :func:`parse_salary` reads is written in, or None.

    "hour" for ``20元/小时`` / ``时薪20``, "day" for ``150元/天`` / ``日结200``, "month" for an
    explicit month, None when the figure has no period (a bare monthly figure) or no figure.

    Examples
    --------
    >>> salary_period("日结200"), salary_period("20元/小时"), salary_period("4000-5000")
    ('day', 'hour', None)
    """
    raw = _as_text(text)
    if raw is None or not raw.strip() or len(raw) > 10_000:
        return None
    norm, _ = _take_months(_normalise(raw))
    found = _pick(CN_RUN.sub(_cn_to_digits, norm))
    return None if found is None else found.period


def parse_expected_pay(value: object) -> SalaryRange | None:
    """Parse a person's 期望薪酬 cell: the least monthly pay they would take.

    A single figure (``4000``, ``"4000元"``, ``4千左右``; Excel may give an int or a float) is
    a minimum with no maximum; a range (``4000-5000``) stays a range; ``面议`` is negotiable.

    Parameters
    ----------
    value : object
        The cell as the spreadsheet reader hands it over.

    Returns
    -------
    SalaryRange or None
        None for blanks, ``不限`` and anything without a figure in the sanity bounds.

    Examples
    --------
    >>> parse_expected_pay(4000.0).monthly_min_yuan, parse_expected_pay("4000").monthly_max_yuan
    (4000, None)
    """
    text = _as_text(value)
    if text is None or not text.strip() or NO_PREFERENCE.match(text):
        return None
    if MIN_WAGE_WORDS.search(text) and not re.search(r"\d", text):
        return SalaryRange(monthly_min_yuan=MIN_WAGE_MONTHLY_YUAN)  # "不低于最低工资"
    found = parse_salary(text)
    if found is None:
        return None
    lo, hi = found.monthly_min_yuan, found.monthly_max_yuan
    if lo is not None and lo == hi:
        return found.model_copy(update={"monthly_max_yuan": None})
    return found


def _yuan(value: int) -> str:
    return f"{value}元"


def format_salary(s: SalaryRange) -> str:
    """Write a pay range as the short Chinese shown to caseworkers.

    Parameters
    ----------
    s : SalaryRange
        A parsed range.

    Returns
    -------
    str
        ``月薪4500-6000元``, ``月薪5000元以上``, ``月薪5000元以下``, ``面议``,
        ``底薪3000元+提成``; ``，13薪`` is added when a year has other than 12 salaries.

    Examples
    --------
    >>> format_salary(SalaryRange(monthly_min_yuan=4500, monthly_max_yuan=6000))
    '月薪4500-6000元'
    """
    lo, hi = s.monthly_min_yuan, s.monthly_max_yuan
    if lo is None and hi is None:
        text = "面议" if s.negotiable else ("提成制" if s.commission else "薪资未注明")
    elif s.commission and lo is not None:
        text = (
            f"底薪{lo}-{_yuan(hi)}+提成" if hi is not None and hi != lo else f"底薪{_yuan(lo)}+提成"
        )
    elif lo is None:
        text = f"月薪{_yuan(hi)}以下"  # type: ignore[arg-type]
    elif hi is None:
        text = f"月薪{_yuan(lo)}以上"
    elif lo == hi:
        text = f"月薪{_yuan(lo)}"
    else:
        text = f"月薪{lo}-{_yuan(hi)}"
    return text if s.months == 12 else f"{text}，{s.months}薪"
