"""Salary strings in every way Chinese postings write them, with the numbers behind them.

Each format has a key; :data:`FORMATS` lists them with the example the issue gives. The
numbers come back with the text so an evaluation can check a salary parser.
"""

from __future__ import annotations

import random
from typing import Any

from matching.domain.categories import Category

# key -> example, in the order of the issue
FORMATS: dict[str, str] = {
    "yuan_month": "4000-6000元/月",
    "qian": "4千-6千",
    "K": "4-6K",
    "k_month": "4k-6k/月",
    "wan_month": "0.8-1.2万/月",
    "wan_months": "1-1.5万·13薪",
    "qian_wan": "8千-1.2万",
    "wan_year": "20-30万/年",
    "day": "150元/天",
    "hour": "25元/小时",
    "from": "月薪5000起",
    "above": "5000以上",
    "base_commission": "底薪3000+提成",
    "negotiable": "面议",
}
RANGE_FORMATS = (
    "yuan_month",
    "qian",
    "K",
    "k_month",
    "wan_month",
    "wan_months",
    "qian_wan",
    "wan_year",
)
_WEIGHTS: dict[str, float] = {
    "yuan_month": 24,
    "qian": 8,
    "K": 6,
    "k_month": 5,
    "wan_month": 4,
    "wan_months": 3,
    "qian_wan": 4,
    "wan_year": 2,
    "day": 5,
    "hour": 3,
    "from": 8,
    "above": 8,
    "base_commission": 5,
    "negotiable": 7,
}
# Formats employers of a category lean towards (weight multipliers). Pay written in 万 or per
# year belongs to better-paid office, medical, engineering and driving jobs.
_HIGH = {"wan_month": 0.05, "wan_months": 0.02, "qian_wan": 0.1, "wan_year": 0.02}
# Office and clinical jobs are rarely paid by the hour or day.
_OFFICE = {"hour": 0.15, "day": 0.2}
_LEAN: dict[Category, dict[str, float]] = {
    Category.A: {**_HIGH, "hour": 4, "day": 2, "from": 1.5},
    Category.B: {"wan_months": 0.1, "wan_year": 0.1},
    Category.C: {**_HIGH, "wan_month": 1.0, "day": 3, "above": 2, "from": 2},
    Category.D: {**_OFFICE, "wan_months": 0.3, "wan_year": 0.3, "K": 2, "k_month": 2},
    Category.G: {**_HIGH, "qian_wan": 1.0},
    Category.H: {**_HIGH},
    Category.I: {**_HIGH, "hour": 2, "day": 2},
    Category.J: {**_HIGH, "day": 2, "above": 2},
    Category.K: {**_HIGH, "base_commission": 3},
    Category.L: {**_HIGH},
    Category.M: {**_HIGH, "base_commission": 2, "hour": 1.5},
    Category.P: {**_HIGH, "day": 3},
    Category.O: {"day": 3, "wan_year": 3, "wan_months": 2},
    Category.E: {**_OFFICE, "wan_months": 3, "wan_year": 3, "base_commission": 3},
    Category.N: {**_OFFICE, "wan_months": 2, "wan_year": 2},
    Category.R: {**_OFFICE, "wan_months": 3, "wan_year": 3, "K": 2, "k_month": 2},
    Category.F: {**_OFFICE, "base_commission": 5, "K": 2},
    Category.Q: {**_HIGH, "negotiable": 2},
}
_SEPARATORS = ("-",) * 15 + ("〜", "~", "至", "到", "—")
_FULLWIDTH = str.maketrans("0123456789.kK", "０１２３４５６７８９．ｋＫ")


def _num(value: float) -> str:
    """``1.0`` → ``"1"``, ``1.5`` → ``"1.5"``."""
    return f"{value:g}"


def round_pay(yuan: float) -> int:
    """Round to 500 yuan, the way employers quote pay."""
    return int(round(yuan / 500) * 500)


def pick_format(rng: random.Random, category: Category) -> str:
    """A format key, leaning the way employers of ``category`` write pay."""
    lean = _LEAN.get(category, {})
    keys = list(_WEIGHTS)
    weights = [_WEIGHTS[k] * lean.get(k, 1.0) for k in keys]
    return rng.choices(keys, weights=weights)[0]


def _monthly(rng: random.Random, lo_range: tuple[int, int]) -> tuple[int, int]:
    lo = round_pay(rng.uniform(*lo_range))
    return lo, lo + rng.choice((500, 1000, 1000, 1500, 2000, 2000, 3000))


def render_salary(
    rng: random.Random, fmt: str, lo_range: tuple[int, int]
) -> tuple[str, dict[str, Any]]:
    """Write a salary in format ``fmt``; return ``(text, truth)``.

    ``truth`` has ``format``, ``unit`` ("month", "year", "day", "hour"), ``min`` and ``max`` in
    that unit (``max`` None when open-ended, both None for 面议), ``months`` (salaries a year),
    ``commission``.
    """
    unit, months, commission = "month", 12, False
    lo: int | float | None
    hi: int | float | None
    lo, hi = _monthly(rng, lo_range)
    if fmt == "yuan_month":
        text = rng.choice(("{a}-{b}元/月", "{a}-{b}元", "{a}-{b}", "月薪{a}-{b}元")).format(
            a=lo, b=hi
        )
    elif fmt == "qian":
        lo, hi = lo // 1000 * 1000, max(lo // 1000 * 1000 + 1000, hi // 1000 * 1000)
        text = f"{lo // 1000}千-{hi // 1000}千" + rng.choice(("", "", "/月"))
    elif fmt in ("K", "k_month"):
        k = "K" if fmt == "K" else "k"
        tail = "" if fmt == "K" else "/月"
        text = f"{_num(lo / 1000)}{k if fmt == 'k_month' else ''}-{_num(hi / 1000)}{k}{tail}"
    elif fmt == "wan_month":
        lo = rng.randrange(6000, 12001, 1000)
        hi = lo + rng.randrange(2000, 5001, 1000)
        text = f"{_num(lo / 10000)}-{_num(hi / 10000)}万/月"
    elif fmt == "wan_months":
        lo = rng.randrange(8000, 15001, 1000)
        hi = lo + rng.randrange(3000, 8001, 1000)
        months = rng.choice((13, 13, 14, 15, 16))
        text = f"{_num(lo / 10000)}-{_num(hi / 10000)}万·{months}薪"
    elif fmt == "qian_wan":
        lo = rng.randrange(6000, 9001, 1000)
        hi = rng.randrange(10000, 15001, 1000)
        text = f"{lo // 1000}千-{_num(hi / 10000)}万"
    elif fmt == "wan_year":
        unit = "year"
        lo = rng.randint(6, 25)
        hi = lo + rng.randint(2, 10)
        text = f"{lo}-{hi}万/年"
        lo, hi = lo * 10000, hi * 10000
    elif fmt == "day":
        unit = "day"
        lo = hi = rng.randrange(120, 301, 10)
        text = rng.choice(("{a}元/天", "{a}元/天", "日薪{a}元", "{a}元/日")).format(a=lo)
    elif fmt == "hour":
        unit = "hour"
        lo = hi = rng.randint(18, 40)
        text = rng.choice(("{a}元/小时", "{a}元/小时", "{a}元/时", "每小时{a}元")).format(a=lo)
    elif fmt == "from":
        hi = None
        text = rng.choice(("月薪{a}起", "月薪{a}起", "{a}起", "{a}元起")).format(a=lo)
    elif fmt == "above":
        hi = None
        text = rng.choice(("{a}以上", "{a}以上", "{a}元以上", "月入{a}以上")).format(a=lo)
    elif fmt == "base_commission":
        commission = True
        lo, hi = rng.randrange(2000, 4001, 500), None
        text = rng.choice(("底薪{a}+提成", "底薪{a}+提成", "底薪{a}+提成+奖金")).format(a=lo)
    elif fmt == "negotiable":
        lo = hi = None
        text = rng.choice(("面议", "面议", "面议", "薪资面议", "待遇面议"))
    else:
        raise ValueError(f"未知薪资格式 {fmt!r} / unknown salary format {fmt!r}")
    text = _add_noise(rng, text, fmt)
    truth = {
        "format": fmt,
        "unit": unit,
        "min": lo,
        "max": hi,
        "months": months,
        "commission": commission,
    }
    return text, truth


def _add_noise(rng: random.Random, text: str, fmt: str) -> str:
    """Other separators, stray spaces and full-width digits, as typed by hand."""
    if fmt in RANGE_FORMATS:
        sep = rng.choice(_SEPARATORS)
        text = text.replace("-", sep, 1)
    r = rng.random()
    if r < 0.05:
        text = f" {text}"
    elif r < 0.10:
        text = f"{text} "
    elif r < 0.14 and fmt != "negotiable":
        cut = rng.randint(1, len(text) - 1)
        text = text[:cut] + " " + text[cut:]
    if fmt != "negotiable" and rng.random() < 0.06:
        text = text.translate(_FULLWIDTH)
    return text
