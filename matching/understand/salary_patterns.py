"""The patterns and word tables :mod:`matching.understand.salary` reads pay strings with.

Normalisation (``WAVES``, ``THOUSANDS``, ``SPACES``, ``MONTHS`` for ``·13薪``), Chinese numeral
runs next to 千/万/元 (``CN_RUN``), the amount-or-range expression ``EXPR`` with its
multiplier, period and open end, and the words around an amount that say it is pay
(``PAY_WORDS``, ``PREFIX_*``) or that it is not (``NOT_PAY_AFTER``, ``CHAIN_*``).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "CHAIN_AFTER",
    "CHAIN_BEFORE",
    "CN_HAS_DIGIT",
    "CN_RUN",
    "COMMISSION",
    "EXPR",
    "MIN_WAGE_WORDS",
    "MONTHS",
    "MULTIPLIER",
    "NEGOTIABLE",
    "NOT_PAY_AFTER",
    "NO_PREFERENCE",
    "PAY_WORDS",
    "PER_WORDS",
    "PREFIX_MAX",
    "PREFIX_MIN",
    "PREFIX_PAY",
    "PREFIX_PERIOD",
    "SPACES",
    "THOUSANDS",
    "WAVES",
    "Period",
]

Period = Literal["month", "year", "day", "hour", "week"]

# 千, k, 万, w after a number: what it is multiplied by.
MULTIPLIER: dict[str, int] = {"千": 1_000, "k": 1_000, "万": 10_000, "w": 10_000}

# A run of Chinese numerals worth turning into digits: before 元/块, or holding a unit.
CN_RUN = re.compile(
    r"(?<![0-9.零〇一二两三四五六七八九十百千万])(?:[零〇一二两三四五六七八九十百千万]+(?=[元块])"
    r"|[零〇一二两三四五六七八九十百千万]*[十百千万][零〇一二两三四五六七八九]?)"
)
CN_HAS_DIGIT = re.compile(r"[一二两三四五六七八九十]")

# Normalisation: dashes and tildes, ·13薪, thousands separators, runs of whitespace.
WAVES = str.maketrans({"〜": "~", "～": "~", "∼": "~", "—": "-", "–": "-", "−": "-", "―": "-",
                        "﹣": "-", "‐": "-", "‑": "-", "ー": "-"})  # fmt: skip
MONTHS = re.compile(
    r"(?<![0-9.])(1[0-9]|2[0-4]|[1-9]|十[一二三四五六七八九]?|二十[一二三四]?)\s*薪(?![资酬水金])"
)
THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
SPACES = re.compile(r"\s+")

# One amount or a range of two, with multiplier, open end and period.
_NUM = r"(?<![0-9.])[0-9]{1,9}(?:\.[0-9]{1,4})?(?![0-9])"
_MUL = r"(?:千|k(?![a-z])|万|w(?![a-z]))"
# 4千5 = 4500, 1万2 = 12000, 3千五 = 3500: one digit after 千/万 counts in the next lower unit.
_TAIL = r"[0-9一二两三四五六七八九](?![0-9.])"
_SEP = r"(?:-+|~+|至|到)"
_PER = r"(?:(?:/|每|一个|一)\s*(?:个)?(?P<per>月|年|天|日|晚|班|小时|时|h|周|星期)|(?P<per_word>月|年|日|时|周)薪)"
EXPR = re.compile(
    rf"""
    (?P<lo>{_NUM})\s*(?:(?P<lo_mul>{_MUL})(?P<lo_tail>{_TAIL})?)?(?P<more>多|余)?\s*(?:元|块)?
    (?:\s*/\s*(?P<lo_per>月|年|天|日|小时|时|h|周)(?=\s*{_SEP}\s*[0-9]))?
    (?:\s*{_SEP}\s*(?P<hi>{_NUM})\s*(?:(?P<hi_mul>{_MUL})(?P<hi_tail>{_TAIL})?)?)?
    \s*(?P<yuan>元|块|rmb|人民币)?
    \s*(?P<open>以上|起|\+|左右|上下|以下|以内|封顶)?
    \s*(?P<yuan2>元|块)?
    \s*{_PER}?
    """,
    re.VERBOSE,
)
# A number directly followed by one of these is a count, an age, a date or a size, not pay.
NOT_PAY_AFTER = re.compile(
    r"\s*(?:多|余)?\s*(?:人|名|位|岁|周岁|年|个月|月(?!薪)|天|日|号|楼|层|栋|室|路|米|cm|mm|斤|公斤|kg|g\b|"
    r"公里|km|%|点|分|期|届|级|次|单|件|小时|h\b|平|㎡|个|台|套|间|张|岗)"
)
CHAIN_AFTER = re.compile(rf"\s*(?:{_SEP}|[:/.])\s*[0-9]")
CHAIN_BEFORE = re.compile(rf"[0-9]\s*(?:{_SEP}|[:/.])\s*$")

# Words around an amount that say it is pay, and which pay.
PAY_WORDS = re.compile(
    r"工资|薪|待遇|收入|月入|年入|底薪|保底|提成|试用期|转正|元|块|rmb|人民币|补贴|补助|津贴|"
    r"绩效|全勤|奖金"
)
PREFIX_PERIOD: tuple[tuple[re.Pattern[str], Period], ...] = (
    (re.compile(r"(?:年薪|年收入|年入|每年|一年)[^,;，；。0-9]*$"), "year"),
    (re.compile(r"(?:日薪|日结|日工资|天薪|每天|一天|每日)[^,;，；。0-9]*$"), "day"),
    (re.compile(r"(?:时薪|每小时|一小时|小时工资|小时工)[^,;，；。0-9]*$"), "hour"),
    (re.compile(r"(?:周薪|每周)[^,;，；。0-9]*$"), "week"),
)
PREFIX_MIN = re.compile(r"(?:保底|底薪|不低于|最低|至少|≥|>=|>|过)\s*$")
PREFIX_MAX = re.compile(r"(?:最高|不超过|不高于|≤|<=|<)\s*$")
PREFIX_PAY = re.compile(
    r"(?:工资|薪资|薪酬|薪水|月薪|年薪|日薪|时薪|周薪|底薪|保底|收入|月入|待遇|日结|综合|试用期|转正|"
    r"补贴|补助|津贴|月均|平均)"
    r"[^,;，；。0-9]{0,4}$"
)
COMMISSION = re.compile(r"提成|佣金|绩效提成|业绩提成|奖金提成")
NEGOTIABLE = re.compile(r"面议|面谈|商议|协商|详谈|面洽|议定")
PER_WORDS: dict[str, Period] = {
    "月": "month", "年": "year", "天": "day", "日": "day", "晚": "day", "班": "day",
    "小时": "hour", "时": "hour",
    "h": "hour", "周": "week", "星期": "week",
}  # fmt: skip

# A person's 期望薪酬 cell that states no figure on purpose.
NO_PREFERENCE = re.compile(
    r"^\s*(?:不限|无|无要求|没有要求|都行|均可|随便|随意|可议|不清楚|-+|/|无所谓)\s*$"
)
# A 期望薪酬 that names the statutory minimum instead of a figure ("不低于最低工资", "够最低标准就行").
MIN_WAGE_WORDS = re.compile(r"最低工资|最低标准|保底工资就行")
