"""Hours a person can work, and hourly or daily pay as a monthly figure for them."""

from __future__ import annotations

import pytest

from matching.understand.salary import salary_period
from matching.understand.workload import (
    describe_equivalent,
    monthly_equivalent,
    offers_part_time,
    parse_workload,
    stated_day_hours,
)


@pytest.mark.parametrize(
    "text, period",
    [
        ("20元/小时", "hour"), ("时薪20元", "hour"), ("兼职每小时30以上", "hour"),
        ("28元一小时左右", "hour"), ("150元/天", "day"), ("日结200", "day"),
        ("按天结，一天280以上", "day"), ("180元/晚", "day"), ("4000-5000元/月", "month"),
        ("4000-5000", None), ("底薪3000+提成", None), ("面议", None), ("", None),
    ],
)  # fmt: skip
def test_salary_period_says_how_the_pay_line_is_written(text: str, period: str | None) -> None:
    assert salary_period(text) == period


@pytest.mark.parametrize(
    "note, pay, hours, days, part_time",
    [
        ("孩子小，只能做兼职，每天4小时", "", 4.0, 21.75, True),
        ("每天能干4-5个小时", "", 4.5, 21.75, True),
        ("一天干五个小时就行", "", 5.0, 21.75, True),
        ("孩子上学，九点到三点能上班", "", 6.0, 21.75, True),
        ("下午有空", "", 5.0, 21.75, True),
        ("想找半天的活", "", 4.0, 21.75, True),
        ("只有周末有空，每天8小时", "", 8.0, 52 / 6, False),
        ("每周3天，每天6小时", "", 6.0, 13.0, True),
        ("想干兼职", "", 4.0, 21.75, True),  # the part-time default
        ("", "兼职每小时25以上", 4.0, 21.75, True),  # an hourly expectation: part-time
        ("企业关停后失业，想找长白班", "5000以上", 8.0, 21.75, False),
        ("", "", 8.0, 21.75, False),  # the full-time default: 8 h × 21.75 days = 174 h
    ],
)  # fmt: skip
def test_parse_workload_reads_hours_and_days_from_the_note(
    note: str, pay: str, hours: float, days: float, part_time: bool
) -> None:
    got = parse_workload(note, pay)
    assert got.hours_per_day == pytest.approx(hours)
    assert got.days_per_month == pytest.approx(days)
    assert got.part_time is part_time


@pytest.mark.parametrize(
    "monthly, period, note, expected",
    [
        (20 * 174, "hour", "每天4小时", 1740.0),  # 20 × 4 × 21.75
        (25 * 174, "hour", "九点到三点", 3262.5),  # 25 × 6 × 21.75
        (150 * 21.75, "day", "只有周末有空", 1300.0),  # 150 × 2 days × 52/12 weeks
        (150 * 21.75, "day", "每天4小时", 3262.5),  # a day's pay is a day's pay
        (20 * 174, "hour", "", 3480.0),  # full time: as parse_salary read it
        (4500, "month", "每天4小时", 4500.0),  # a monthly figure is not scaled
        (4500, None, "每天4小时", 4500.0),
    ],
)  # fmt: skip
def test_monthly_equivalent_scales_hourly_and_daily_pay_to_the_persons_hours(
    monthly: float, period: str | None, note: str, expected: float
) -> None:
    assert monthly_equivalent(monthly, period, parse_workload(note)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "rate, period, note, text",
    [
        (20, "hour", "每天4小时", "时薪20元，按每天4小时约1,740元/月"),
        (22, "hour", "", "时薪22元，按每天8小时约3,830元/月"),
        (150, "day", "", "日薪150元，按每月21.75个工作日约3,260元/月"),
        (200, "day", "只有周末有空", "日薪200元，按每月约8.7天约1,730元/月"),
        (4000, "month", "每天4小时", ""),
    ],
)  # fmt: skip
def test_describe_equivalent_says_the_monthly_figure(
    rate: float, period: str, note: str, text: str
) -> None:
    assert describe_equivalent(rate, period, parse_workload(note)) == text


@pytest.mark.parametrize(
    "text, period, offers",
    [
        ("电话客服，全职9:00-17:30，也接受半天兼职", None, True),
        ("家政保洁，时间灵活，可只做上午或下午", None, True),
        ("奶茶店，每天可排4-6小时", None, True),
        ("便利店店员", "hour", True),
        ("宴会服务员", "day", True),
        ("超市收银员，早班7:00-15:00，做六休一", None, False),
        ("仓库管理员，五险一金", "month", False),
    ],
)  # fmt: skip
def test_offers_part_time(text: str, period: str | None, offers: bool) -> None:
    assert offers_part_time(text, period) is offers


@pytest.mark.parametrize(
    "text, hours",
    [
        ("每天工作8小时，做六休一", 8.0),
        ("周末婚宴，每次约8小时，150元/天", 8.0),
        ("全职9:00-17:30，也接受半天兼职（每天4小时）", 4.0),
        ("每天可排4-6小时", 4.0),
        ("每天工作7.5小时", 7.5),
        ("每天加班3小时", None),  # overtime is not the working day
        ("早班7:00-15:00", None),  # a shift, read by parse_shift
        ("", None),
    ],
)  # fmt: skip
def test_stated_day_hours(text: str, hours: float | None) -> None:
    assert stated_day_hours(text) == hours
