"""Statutory retirement age under the 2025 rules (全国人大常委会关于渐进式延迟法定退休年龄的决定).

From 2025-01-01 the age rises gradually over 15 years, by birth month:

======================  ========  ============================  =============  ===========
group                   baseline  first affected birth month    step           target
======================  ========  ============================  =============  ===========
men                     60        1965-01                       +1 month / 4   63 (+36 m)
women, cadre-type (55)  55        1970-01                       +1 month / 4   58 (+36 m)
women, worker-type (50) 50        1975-01                       +1 month / 2   55 (+60 m)
======================  ========  ============================  =============  ===========

So a man born 1965-01…1965-04 retires at 60 years 1 month, one born 1976-09 or later at 63.
The form does not say which baseline a woman has: it is a setting (``female_baseline``,
default :data:`FEMALE_BASELINE`).

This module is the one place the rule lives: the flags (reason 1), the nightly push list and
the engine's recommendations all ask :func:`of_working_age` / :func:`past_retirement`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

__all__ = [
    "FEMALE_BASELINE",
    "RetirementAge",
    "add_months",
    "of_working_age",
    "past_retirement",
    "retirement_age",
    "retirement_date",
]

# The women's baseline when nobody says which (worker-type posts, the larger group among
# registered unemployed persons); 55 for cadre-type posts.
FEMALE_BASELINE = 50

# (baseline years, first affected birth year, months of birth per one-month step, max months)
_RULES: dict[tuple[str, int], tuple[int, int, int, int]] = {
    ("男", 60): (60, 1965, 4, 36),
    ("女", 55): (55, 1970, 4, 36),
    ("女", 50): (50, 1975, 2, 60),
}


@dataclass(frozen=True, slots=True)
class RetirementAge:
    """An age as whole years plus months."""

    years: int
    months: int

    @property
    def total_months(self) -> int:
        """The age in months."""
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years}岁{self.months}个月" if self.months else f"{self.years}岁"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the day clamped to the month's end).

    Examples
    --------
    >>> add_months(dt.date(2024, 8, 31), 6)
    datetime.date(2025, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def retirement_age(
    birth: dt.date, gender: str, *, female_baseline: int = FEMALE_BASELINE
) -> RetirementAge:
    """The statutory retirement age of a person born on ``birth``.

    Parameters
    ----------
    birth : date
        Birth date (from the ID number).
    gender : str
        ``"男"`` or ``"女"``.
    female_baseline : int
        50 (worker-type posts) or 55 (cadre-type posts); ignored for men.

    Raises
    ------
    ValueError
        For an unknown gender or baseline.

    Examples
    --------
    >>> str(retirement_age(dt.date(1965, 4, 30), "男"))
    '60岁1个月'
    >>> str(retirement_age(dt.date(1984, 11, 1), "女", female_baseline=50))
    '55岁'
    """
    key = (gender, 60 if gender == "男" else female_baseline)
    if key not in _RULES:
        raise ValueError(
            f"未知的性别或退休基准：{gender}/{female_baseline} / "
            f"unknown gender or retirement baseline {gender!r}/{female_baseline!r}"
        )
    base, first_year, step, cap = _RULES[key]
    offset = (birth.year - first_year) * 12 + birth.month - 1
    extra = 0 if offset < 0 else min(cap, offset // step + 1)
    return RetirementAge(base + extra // 12, extra % 12)


def retirement_date(
    birth: dt.date, gender: str, *, female_baseline: int = FEMALE_BASELINE
) -> dt.date:
    """The day the person reaches the statutory retirement age."""
    age = retirement_age(birth, gender, female_baseline=female_baseline)
    return add_months(birth, age.total_months)


def past_retirement(
    birth: dt.date, gender: str, day: dt.date, *, female_baseline: int = FEMALE_BASELINE
) -> bool:
    """True when the person has reached the statutory retirement age on or before ``day``.

    Examples
    --------
    >>> past_retirement(dt.date(1972, 3, 1), "女", dt.date(2024, 10, 21))  # 52, baseline 50
    True
    >>> past_retirement(dt.date(1972, 3, 1), "女", dt.date(2024, 10, 21), female_baseline=55)
    False
    """
    return retirement_date(birth, gender, female_baseline=female_baseline) <= day


def of_working_age(
    birth: dt.date,
    gender: str,
    day: dt.date,
    *,
    min_age: int = 16,
    female_baseline: int = FEMALE_BASELINE,
) -> bool:
    """At least ``min_age`` whole years old on ``day`` and not past the retirement age."""
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return age >= min_age and not past_retirement(
        birth, gender, day, female_baseline=female_baseline
    )
