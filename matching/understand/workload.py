"""How much a person can work, and hourly or daily pay as a monthly figure for that person.

A posting paying "20元/小时", "150元/天" or "日结200" is compared with a monthly expectation.
:func:`parse_salary` converts it at a full-time month (8 hours × 21.75 days = 174 hours, the
figures of 劳社部发〔2008〕3号); for someone who can only work part of the day that overstates
what they would earn. :func:`parse_workload` reads from 备注/其他需求 (and the 期望薪酬 line) the
hours a day and the days a month a person can work:

* hours a day: "每天4小时", "每天4-5小时" (the middle, 4.5), "一天干五个小时", a window of the
  day ("九点到三点" = 6, "下午有空" = 5, see :func:`~matching.understand.schedule.parse_availability`),
  "半天" = 4;
* days a month: "周末" / "双休日" (2 days a week), "每周3天" / "一周干三天" (× 52 ÷ 12);
* a part-time seeker ("兼职", "小时工", "钟点工", "半天", "弹性", an hourly 期望薪酬) whose hours are
  not said works :data:`PART_TIME_HOURS_PER_DAY` = 4 hours a day (the half-day shift most part-time
  postings offer, "每天4小时"), 21.75 days a month;
* anyone else works a full-time month, :data:`FULL_TIME_HOURS_PER_DAY` = 8 × 21.75 days.

:func:`monthly_equivalent` then turns an hourly or daily rate into what that person would earn a
month ("时薪20元，按每天4小时约1,740元/月").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.understand.numerals import parse_chinese_number
from matching.understand.salary import DAYS_PER_MONTH, HOURS_PER_MONTH
from matching.understand.text import nfkc_prefix

__all__ = [
    "DAY_HOURS_HINT",
    "FULL_TIME_HOURS_PER_DAY",
    "OFFERS_HINT",
    "PART_TIME_HOURS_PER_DAY",
    "Workload",
    "describe_equivalent",
    "monthly_equivalent",
    "offers_part_time",
    "parse_workload",
    "stated_day_hours",
]

FULL_TIME_HOURS_PER_DAY = HOURS_PER_MONTH / DAYS_PER_MONTH  # 8
PART_TIME_HOURS_PER_DAY = 4.0  # a part-time seeker who does not say: the common half-day shift
WEEKS_PER_MONTH = 52 / 12

_N = r"(\d{1,2}(?:\.5)?|[一二两三四五六七八九十]{1,2})"
_HOURS_RE = re.compile(
    r"(?:每天|一天|每日|日均|一日)(?:只|就)?(?:能|可以|可|想|打算)?(?:干|做|工作|上班|上)?\s*"
    + _N + r"(?:\s*(?:-|~|到|至|—|或)\s*" + _N + r")?\s*个?(?:小时|钟头|钟)"
)  # fmt: skip
_SPAN_RE = re.compile(
    _N + r"(?:\s*(?:-|~|到|至|—)\s*" + _N + r")?\s*个?(?:小时|钟头)(?:左右)?/?(?:天|日)"
)
_WEEK_DAYS_RE = re.compile(
    r"(?:每周|一周|每星期|一星期|一个星期|每礼拜|一礼拜)(?:只)?(?:能|可以|可|想)?(?:干|做|工作|上班|上)?\s*"
    + _N + r"\s*(?:天|日)"
)  # fmt: skip
_WEEKEND_RE = re.compile(
    r"(?:只有|只能|仅)?(?:周末|双休日|星期六日|周六日|周六周日)(?:有空|能干|可以|上班|干|做)"
)
_HALF_DAY_RE = re.compile(r"半天|半日")
_HOURLY_HINT = re.compile(r"时")  # an hourly 期望薪酬 says 小时 or 时薪
_PART_TIME_RE = re.compile(r"兼职|小时工|钟点工?|半天|半日|弹性|零工|临时工|短期工")
# A posting that offers part of a day: "可兼职", "可只做上午", "时间灵活", "每天可排4-6小时".
_OFFERS_RE = re.compile(
    r"兼职|小时工|钟点|半天|半日|弹性|时间灵活|时间自由|灵活安排|自由安排|可只做|"
    r"(?:每天|一天|每日)(?:可排|工作)?\d(?:\s*-\s*\d)?\s*个?小时"
)

# A word of each offer above (小时 for the hours): a text in NFKC without any offers no part of a
# day by its words (offers_part_time then reads the pay period alone).
OFFERS_HINT = re.compile(
    r"兼职|小时|钟点|半天|半日|弹性|时间灵活|时间自由|灵活安排|自由安排|可只做"
)


@dataclass(frozen=True, slots=True)
class Workload:
    """What a person can work: ``hours_per_day`` and ``days_per_month``; ``part_time`` when the
    person seeks part-time work; ``said`` the words that told it ("" = the default)."""

    hours_per_day: float = FULL_TIME_HOURS_PER_DAY
    days_per_month: float = DAYS_PER_MONTH
    part_time: bool = False
    said: str = ""

    @property
    def hours_per_month(self) -> float:
        return self.hours_per_day * self.days_per_month


def _number(raw: str | None) -> float | None:
    if not raw:
        return None
    if re.fullmatch(r"\d+(?:\.5)?", raw):
        return float(raw)
    n = parse_chinese_number(raw)
    return None if n is None else float(n)


def _clean(text: object) -> str:
    return nfkc_prefix(text, 500)


def _hours_a_day(s: str) -> tuple[float | None, str]:
    from matching.understand.schedule import parse_availability

    if not s:
        return None, ""
    for pattern in (_HOURS_RE, _SPAN_RE):
        m = pattern.search(s)
        lo = _number(m.group(1)) if m else None
        if m and lo is not None and 0 < lo <= 12:
            hi = _number(m.group(2))
            return (lo + hi) / 2 if hi is not None and lo < hi <= 12 else lo, m.group()
    window = parse_availability(s)
    if window.start_h is not None and window.end_h is not None:
        span = window.end_h - window.start_h
        if 0 < span < FULL_TIME_HOURS_PER_DAY:
            return span, window.said
    m = _HALF_DAY_RE.search(s)
    return (PART_TIME_HOURS_PER_DAY, m.group()) if m else (None, "")


def _days_a_month(s: str) -> tuple[float | None, str]:
    m = _WEEK_DAYS_RE.search(s)
    n = _number(m.group(1)) if m else None
    if m and n is not None and 0 < n <= 7:
        return n * WEEKS_PER_MONTH, m.group()
    m = _WEEKEND_RE.search(s)
    return (2 * WEEKS_PER_MONTH, m.group()) if m else (None, "")


def parse_workload(note: object, expected_pay_text: object = "") -> Workload:
    """The hours a day and days a month a person can work (see the module doc for the rules).

    Parameters
    ----------
    note : object
        备注 / 其他需求 as written.
    expected_pay_text : object
        期望薪酬 as written: an hourly or daily figure ("兼职每小时25以上") marks a part-time or
        day-rate seeker.

    Examples
    --------
    >>> parse_workload("孩子小，只能做兼职，每天4小时").hours_per_month
    87.0
    >>> parse_workload("").hours_per_day
    8.0
    """
    from matching.understand.salary import salary_period

    s = _clean(note)
    pay = _clean(expected_pay_text)
    hours, said_h = _hours_a_day(s)
    days, said_d = _days_a_month(s)
    hourly = bool(_HOURLY_HINT.search(pay)) and salary_period(pay) == "hour"
    part_time = bool(
        _PART_TIME_RE.search(s) or _PART_TIME_RE.search(pay) or hourly
        or (hours is not None and hours < FULL_TIME_HOURS_PER_DAY)
    )  # fmt: skip
    default_hours = PART_TIME_HOURS_PER_DAY if part_time else FULL_TIME_HOURS_PER_DAY
    if hours is None and part_time:
        found = _PART_TIME_RE.search(s) or _PART_TIME_RE.search(pay)
        said_h = found.group() if found else pay
    return Workload(
        hours_per_day=hours if hours is not None else default_hours,
        days_per_month=days if days is not None else DAYS_PER_MONTH,
        part_time=part_time,
        said="，".join(w for w in (said_h, said_d) if w),
    )


def offers_part_time(text: object, period: str | None = None) -> bool:
    """Whether a posting offers less than a full working day: it says so ("可兼职", "半天",
    "时间灵活", "每天可排4-6小时") or pays by the hour or the day.

    Examples
    --------
    >>> offers_part_time("超市收银员，早班7:00-15:00"), offers_part_time("可只做上午或下午")
    (False, True)
    """
    return period in ("hour", "day") or bool(_OFFERS_RE.search(_clean(text)))


_DAY_HOURS_RE = re.compile(
    r"(?:每天|每日|每次|每班|一天|一次|一班)(?:约|大约|工作|可排|上班|干)?\s*"
    + _N + r"(?:\s*(?:-|~|到|至)\s*" + _N + r")?\s*个?(?:小时|钟头)"
)  # fmt: skip
DAY_HOURS_HINT = re.compile(r"小时|钟头")  # a text in NFKC without it states no working day


def stated_day_hours(text: object) -> float | None:
    """The shortest working day a posting states ("每天工作8小时", "每次约8小时", "也接受半天兼职
    （每天4小时）", "每天可排4-6小时" = 4), or None when it states none.

    Examples
    --------
    >>> stated_day_hours("全职9:00-17:30，也接受半天兼职（每天4小时）")
    4.0
    >>> stated_day_hours("周末婚宴，每次约8小时"), stated_day_hours("每天加班3小时")
    (8.0, None)
    """
    found = [_number(m.group(1)) for m in _DAY_HOURS_RE.finditer(_clean(text))]
    hours = [h for h in found if h is not None and 0 < h <= 16]
    return min(hours) if hours else None


def monthly_equivalent(monthly_yuan: float, period: str | None, workload: Workload) -> float:
    """What pay read as ``monthly_yuan`` (converted at a full-time month by ``parse_salary``)
    comes to a month for someone with ``workload``.

    An hourly rate is scaled by the person's hours a month over 174, a daily rate by the
    person's days a month over 21.75; a monthly (or unstated) period is left as it is.

    Examples
    --------
    >>> round(monthly_equivalent(20 * 174, "hour", parse_workload("每天4小时")))
    1740
    """
    if period == "hour":
        return monthly_yuan * workload.hours_per_month / HOURS_PER_MONTH
    if period == "day":
        return monthly_yuan * workload.days_per_month / DAYS_PER_MONTH
    return monthly_yuan


def describe_equivalent(rate_yuan: float, period: str | None, workload: Workload) -> str:
    """The reason's words for an hourly or daily rate as a monthly figure, or "".

    Examples
    --------
    >>> describe_equivalent(20, "hour", parse_workload("每天4小时"))
    '时薪20元，按每天4小时约1,740元/月'
    >>> describe_equivalent(150, "day", parse_workload("只有周末有空"))
    '日薪150元，按每月约8.7天约1,300元/月'
    """
    if period not in ("hour", "day"):
        return ""
    h, d = workload.hours_per_day, workload.days_per_month
    if period == "hour":
        month = rate_yuan * h * d
        basis = f"每天{h:g}小时" if d == DAYS_PER_MONTH else f"每天{h:g}小时、每月约{d:.1f}天"
        head = f"时薪{rate_yuan:g}元"
    else:
        month = rate_yuan * d
        basis = "每月21.75个工作日" if d == DAYS_PER_MONTH else f"每月约{d:.1f}天"
        head = f"日薪{rate_yuan:g}元"
    return f"{head}，按{basis}约{_round_to(month, 10):,}元/月"


def _round_to(value: float, step: int) -> int:
    return int(value / step + 0.5) * step
