"""What the reasons say about one posting whoever reads them (:class:`ReasonParts`).

Built once per posting. :meth:`ReasonParts.of` reads the posting's text;
:meth:`ReasonParts.from_table` reads what the engine's :class:`~matching.rank.tables.PostingTable`
already holds from reading it when the engine was fitted (the shift, the demands, the pay
period, the certificates, the trades), and reads the text again only for the words a reason
quotes (the shift's, the demands', the street's) of the postings that have them. Both give the
same parts for the same posting.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.config import MatchingConfig
from matching.domain.categories import Category, display
from matching.rank.tables import PAY_DAY, PAY_HOUR, PostingTable, fit_pay
from matching.schemas import EDUCATION_LABELS, Education, Posting, SalaryRange

_PERIOD_NAMES = {PAY_DAY: "day", PAY_HOUR: "hour"}


@dataclass(frozen=True, slots=True)
class ReasonParts:
    """What the reasons say about one posting whoever reads them (built once per posting)."""

    category: Category | None
    salary_text: str | None  # None: no pay stated
    midpoint_yuan: float | None
    below_min_wage_flag: str | None
    where: str
    education_reason: str | None
    valid_from: dt.date | None
    category_texts: tuple[str, str, str, str] = ("", "", "", "")  # ticked, inferred, near, neither
    same_place: str = ""  # the location reason when the person lives in the same district
    place: str = ""  # … when the distance is unknown
    shift: str = ""  # the words that say the posting works nights/evenings/rotating shifts
    start_h: float | None = None  # the shift's hours: both, or neither
    end_h: float | None = None
    demands: tuple[tuple[int, str], ...] = ()  # what the posting demands (understand.limits)
    pay_period: str | None = None  # "hour" / "day" when the pay line is hourly or daily
    rate_yuan: float | None = None  # … and its rate (the middle of the range)
    part_time_ok: bool = False  # offers part of a day ("可兼职", "半天", hourly pay)
    day_hours: float | None = None  # the shortest day it states ("每次约8小时")
    certificates: tuple[int, int] = (0, 0)  # required: all of, one of (understand.certificates)
    commission: bool = False  # base + commission with no typical income stated
    street_only: str | None = None  # a 公益性岗位 for the people of this street only
    trades: int = 0  # the trades it asks years of experience in (understand.experience)
    experience_years: int | None = None

    @classmethod
    def of(cls, posting: Posting, config: MatchingConfig) -> ReasonParts:
        """The parts of ``posting``, read from its text."""
        from matching.understand.certificates import required
        from matching.understand.community import street_only
        from matching.understand.experience import wanted_trades
        from matching.understand.limits import find_demands
        from matching.understand.salary import salary_period
        from matching.understand.schedule import parse_shift
        from matching.understand.workload import offers_part_time, stated_day_hours

        text = _text(posting)
        shift = parse_shift(text)
        start, end = _both(shift.start_h, shift.end_h)
        period = salary_period(posting.salary_text) if posting.salary is not None else None
        loc = posting.location
        return cls(
            **_common(posting, config, period),
            shift=shift.what if shift.off_day else "",
            start_h=start,
            end_h=end,
            demands=tuple(find_demands(text).items()),
            part_time_ok=offers_part_time(f"{text} {posting.salary_text}", period),
            day_hours=stated_day_hours(text),
            certificates=required(text),
            street_only=street_only(text, loc.street if loc else None),
            trades=wanted_trades(posting.title, posting.description, posting.experience_years),
        )

    @classmethod
    def from_table(
        cls, posting: Posting, table: PostingTable, row: int, config: MatchingConfig
    ) -> ReasonParts:
        """The parts of ``posting``, row ``row`` of ``table`` (the engine's table, filled by
        :meth:`PostingTable.set_shifts` from the same posting): equal to :meth:`of`, reading
        the text only for the words a reason quotes, of the postings whose row has them."""
        from matching.understand.community import street_only
        from matching.understand.limits import find_demands
        from matching.understand.schedule import parse_shift
        from matching.understand.workload import offers_part_time, stated_day_hours

        s = posting.salary
        period = _PERIOD_NAMES.get(int(table.pay_period[row])) if s is not None else None
        hours = (table.start_h[row], table.end_h[row])
        start, end = (_hour_of(h) for h in hours)
        shift_words = ""
        unread = any(
            h is None and not math.isnan(v) for h, v in zip((start, end), hours, strict=True)
        )
        if table.off_day[row] or unread:
            shift = parse_shift(_text(posting))  # the words, or hours the table cannot give
            shift_words = shift.what if shift.off_day else ""
            start, end = _both(shift.start_h, shift.end_h)
        if s is None and table.pay_period[row] in _PERIOD_NAMES:
            # the table read the pay line's period although no pay was parsed: parts do not
            part_time = offers_part_time(f"{_text(posting)} {posting.salary_text}", None)
        else:
            part_time = bool(table.part_time_ok[row])
        stated = table.day_hours[row]
        day = None if math.isnan(stated) else _given_back(stated)
        if day is None and not math.isnan(stated):
            day = stated_day_hours(_text(posting))
        loc = posting.location
        return cls(
            **_common(posting, config, period),
            shift=shift_words,
            start_h=start,
            end_h=end,
            demands=tuple(find_demands(_text(posting)).items()) if table.demands[row] else (),
            part_time_ok=part_time,
            day_hours=day,
            certificates=(int(table.certificates[row]), int(table.certificates_any[row])),
            street_only=(
                street_only(_text(posting), loc.street if loc else None)
                if table.street_only[row]
                else None
            ),
            trades=int(table.experience[row]),
        )


def _text(posting: Posting) -> str:
    return f"{posting.title} {posting.description}"


def _both(start: float | None, end: float | None) -> tuple[float | None, float | None]:
    """A shift's hours when both are known (one alone says nothing: see the reasons)."""
    return (start, end) if start is not None and end is not None else (None, None)


def _hour_of(value: np.float32) -> float | None:
    """The hour of the day ``parse_shift`` read (``h + minutes / 60``) from its float32 copy in
    the table; None when the table has none, or when it is not such an hour (read the text)."""
    if math.isnan(value):
        return None
    h = int(math.floor(value))
    minutes = round((float(value) - h) * 60)
    hour = h + minutes / 60
    return hour if np.float32(hour) == value else None


def _given_back(value: np.float32) -> float | None:
    """The hours ``stated_day_hours`` read (not NaN) from their float32 copy, when the copy
    gives them back exactly (one or two decimals do); None: read the text."""
    for digits in (0, 1, 2):
        candidate = round(float(value), digits)
        if np.float32(candidate) == value:
            return candidate
    return None


def _common(posting: Posting, config: MatchingConfig, period: str | None) -> dict[str, Any]:
    """The parts read from the posting's fields and pay line, not from its text."""
    from matching.understand.salary import format_salary

    s = posting.salary
    flag = None
    if s is not None:
        top = s.monthly_max_yuan if s.monthly_max_yuan is not None else s.monthly_min_yuan
        if top is not None and top < config.min_wage_monthly_yuan:
            flag = f"月薪低于本市最低工资标准{config.min_wage_monthly_yuan}元"
    loc = posting.location
    cat = None if posting.category is None else Category(posting.category)
    label = "" if cat is None else display(cat)
    where = posting.district or (loc.district if loc else None) or "地点未注明"
    fit = fit_pay(posting)
    rate = _rate(s, period)
    said = None if s is None else format_salary(s)
    if fit is not None and fit != s:  # base + commission with a stated typical income
        said = (said + "，" if said else "") + f"综合月收入约{_typical_text(fit)}"
    return {
        "category": cat,
        "salary_text": said,
        "midpoint_yuan": None if fit is None else fit.midpoint_yuan,
        "below_min_wage_flag": flag,
        "where": where,
        "education_reason": (
            f"学历要求{EDUCATION_LABELS[posting.education_min]}及以上，符合"
            if posting.education_min > Education.NONE
            else None
        ),
        "valid_from": posting.valid_from,
        "category_texts": (
            f"意向类别：{label}（本人勾选）",
            f"意向类别：{label}（根据技能和工作经历推断）",
            f"岗位类别：{label}（与本人勾选的类别相近）",
            f"岗位类别：{label}",
        ),
        "same_place": f"与常住地同在{where}",
        "place": f"工作地点：{where}",
        "pay_period": period if rate is not None else None,
        "rate_yuan": rate,
        "commission": fit is not None and fit.commission,
        "experience_years": posting.experience_years,
    }


def _rate(s: SalaryRange | None, period: str | None) -> float | None:
    """The hourly or daily rate of an hourly or daily pay line (the middle of its range)."""
    from matching.understand.salary import DAYS_PER_MONTH, HOURS_PER_MONTH

    mid = None if s is None else s.midpoint_yuan
    if mid is None or period not in ("hour", "day"):
        return None
    return round(mid / (HOURS_PER_MONTH if period == "hour" else DAYS_PER_MONTH), 1)


def _typical_text(fit: SalaryRange) -> str:
    lo, hi = fit.monthly_min_yuan, fit.monthly_max_yuan
    if hi is None:
        return f"{lo}元以上"
    return f"{lo}元" if lo == hi else f"{lo}-{hi}元"
