"""Pay as an employer means it: the stated typical figure of commission pay, used for fit.

"底薪2500+提成，综合6000-9000" is base pay plus commission with a typical monthly income the
employer states (综合/月均/平均/月入/到手). :func:`parse_salary` keeps the base (the posting's own
pay line); :func:`typical_pay` finds the stated figure, and :func:`pay_for_fit` picks what a
person's expected pay is compared with: the stated typical figure when the pay line is base plus
commission, open-ended ("3000起") or missing, else the pay line.
"""

from __future__ import annotations

import re

from matching.schemas import SalaryRange
from matching.understand.salary import parse_salary

__all__ = ["pay_for_fit", "typical_pay"]

# The words that introduce a typical income, and the stretch after them that states it.
_TYPICAL_RE = re.compile(
    r"(?:(?P<year>年收入|年入|年综合收入)|综合|月均|平均|月入|到手|实发|一般|熟练(?:工|者|技师|骑手)?)"
    r"(?:月薪|月入|收入|工资|薪资|到手|每月|月|能拿|可达|可拿)*"
    r"(?P<figure>[^，。；;,!！]{1,16})"
)

# A best case is not a typical income: "优秀者月入过万", "旺季月入过万", "干得好月入过万".
_BEST_CASE_RE = re.compile(r"优秀|干得好|做得好|业绩好|旺季|最高|高者|多劳多得|顶尖|好的")


def typical_pay(text: object) -> SalaryRange | None:
    """The typical monthly income a text states (综合/月均/平均/月入/到手), or None.

    A best case ("优秀者月入过万", "旺季月入过万") is not a typical income and is skipped.

    Examples
    --------
    >>> typical_pay("底薪2500+提成，综合6000-9000").monthly_min_yuan
    6000
    """
    if not isinstance(text, str):
        return None
    for m in _TYPICAL_RE.finditer(text[:2000]):
        if _BEST_CASE_RE.search(text[max(0, m.start() - 6) : m.start()]):
            continue
        # "年收入10-20万" is a year's income: read the figure as such
        found = parse_salary(("年薪" if m["year"] else "") + m["figure"])
        if found is not None and found.monthly_min_yuan is not None:
            return found.model_copy(update={"commission": False, "negotiable": False})
    return None


def pay_for_fit(
    salary: SalaryRange | None, salary_text: str = "", description: str = ""
) -> SalaryRange | None:
    """The pay a person's expectation is compared with.

    The stated typical figure (in the pay line first, then the description) when the pay line
    is base plus commission, open-ended or missing; otherwise the pay line itself.

    Examples
    --------
    >>> pay_for_fit(parse_salary("底薪3000+提成"), "底薪3000+提成", "月均7000-10000").monthly_max_yuan
    10000
    """
    plain = salary is not None and not salary.commission and salary.monthly_max_yuan is not None
    if plain:
        return salary
    return typical_pay(salary_text) or typical_pay(description) or salary
