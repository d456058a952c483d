"""Pay as written: stated typical income of commission pay, chains, 见习补贴, 期望薪酬 as said."""

from __future__ import annotations

import pytest

from matching.config import MatchingConfig
from matching.domain.wages import MIN_WAGE_MONTHLY_YUAN
from matching.understand.pay import pay_for_fit, typical_pay
from matching.understand.salary import parse_expected_pay, parse_salary


@pytest.mark.parametrize(
    "text, expected",
    [
        ("底薪2500+提成，综合6000-9000", (6000, 9000)),
        ("底薪3200加提成，月均五千左右", (5000, 5000)),
        ("无责底薪3000，平均每月能拿7000", (7000, 7000)),
        ("保底4000+计件，熟练工月入6000以上", (6000, None)),
        ("月综合4500-5500，包住", (4500, 5500)),
        ("到手4000多", (4000, None)),
        ("底薪4000+提成，年收入10-20万", (8333, 16667)),  # a year's income, by the month
        ("年入12万以上", (10000, None)),
        # a best case is not what people usually earn
        ("底薪3000+高提成，优秀者月入过万", None),
        ("保底+按单提成，旺季月入过万", None),
        ("底薪3000+提成", None),
        ("包吃住，五险一金", None),
        (None, None),
    ],
)
def test_typical_pay(text: str | None, expected: tuple[int, int | None] | None) -> None:
    got = typical_pay(text)
    assert (None if got is None else (got.monthly_min_yuan, got.monthly_max_yuan)) == expected


@pytest.mark.parametrize(
    "line, description, expected",
    [
        ("底薪3000+提成", "门店销售，底薪3000+提成，月均7000-10000，五险", (7000, 10000)),
        ("底薪2500+提成，综合6000-9000", "", (6000, 9000)),
        ("3000元起", "熟练后月均4500", (4500, 4500)),  # open-ended line: the stated figure
        ("", "计件工资，综合月收入5000左右", (5000, 5000)),  # no pay line at all
        ("4500-5500元/月", "月综合可达8000", (4500, 5500)),  # a plain range is the pay
        ("底薪3000+提成", "做得好月入过万", (3000, None)),  # nothing typical stated: the base
    ],
)
def test_pay_for_fit(line: str, description: str, expected: tuple[int, int | None]) -> None:
    got = pay_for_fit(parse_salary(line), line, description)
    assert got is not None and (got.monthly_min_yuan, got.monthly_max_yuan) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4200+绩效+全勤", (4200, None)),  # a chain: the fixed part is the floor
        ("基本工资3800+绩效", (3800, None)),
        ("见习补贴2500+绩效", (2500, None)),
        ("见习期补贴每月2000元", (2000, 2000)),
        ("约4500元", (4500, 4500)),
        ("4000元左右", (4000, 4000)),
        ("5000以上", (5000, None)),
        ("月薪4000起", (4000, None)),
        ("200元/晚", (4350, 4350)),  # a night shift is a day's pay: × 21.75
        ("日结150", (3263, 3263)),
        ("时薪22元", (3828, 3828)),  # × 174 hours
    ],
)
def test_pay_lines(text: str, expected: tuple[int, int | None]) -> None:
    got = parse_salary(text)
    assert got is not None and (got.monthly_min_yuan, got.monthly_max_yuan) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("四千左右", (4000, None)),
        ("5千以上", (5000, None)),
        ("三千五", (3500, None)),
        ("不低于最低工资", (MIN_WAGE_MONTHLY_YUAN, None)),
        ("最低工资就行", (MIN_WAGE_MONTHLY_YUAN, None)),
        ("兼职每小时25以上", (4350, None)),  # hourly, as a full-time month (× 174)
        ("按天结，一天300以上", (6525, None)),  # daily (× 21.75)
        ("5000以上，底薪加提成也行", (5000, None)),
        ("面议", (None, None)),
    ],
)
def test_expected_pay_as_said(text: str, expected: tuple[int | None, int | None]) -> None:
    got = parse_expected_pay(text)
    assert got is not None and (got.monthly_min_yuan, got.monthly_max_yuan) == expected


def test_minimum_wage_is_one_figure() -> None:
    assert MatchingConfig().min_wage_monthly_yuan == MIN_WAGE_MONTHLY_YUAN
