"""Tests for matching.understand.salary: a table of real-looking pay strings, properties, real data."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.schemas import SalaryRange
from matching.understand import salary
from matching.understand.salary import (
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    MONTHS_PER_YEAR,
    format_salary,
    parse_expected_pay,
    parse_salary,
)

CASES = Path(__file__).resolve().parents[1] / "data" / "salary_cases.csv"


def _int(cell: str) -> int | None:
    return int(cell) if cell else None


def _load_cases() -> list[object]:
    with CASES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    params = []
    for row in rows:
        if row["months"]:
            expected: SalaryRange | None = SalaryRange(
                monthly_min_yuan=_int(row["min"]),
                monthly_max_yuan=_int(row["max"]),
                months=int(row["months"]),
                negotiable=row["negotiable"] == "1",
                commission=row["commission"] == "1",
            )
        else:
            expected = None
        params.append(pytest.param(row["text"], expected, id=row["text"].strip() or "blank"))
    return params


@pytest.mark.parametrize("text, expected", _load_cases())
def test_parse_salary_table(text: str, expected: SalaryRange | None) -> None:
    assert parse_salary(text) == expected


def test_case_table_is_big_enough() -> None:
    # The table is the specification; guard against it being truncated by accident.
    assert len(_load_cases()) >= 80


@pytest.mark.parametrize("value", [None, "", "   ", b"4000", object(), [4000], {"a": 1},
                                   float("nan"), float("inf"), True])  # fmt: skip
def test_parse_salary_gives_none_for_non_pay_objects(value: object) -> None:
    assert parse_salary(value) is None


@pytest.mark.parametrize(
    "value, lo, hi",
    [(4500, 4500, 4500), (4500.0, 4500, 4500), (4500.4, 4500, 4500), (99, None, None)],
)
def test_parse_salary_reads_numbers_as_monthly_yuan(value: object, lo: int | None,
                                                    hi: int | None) -> None:  # fmt: skip
    got = parse_salary(value)
    if lo is None:
        assert got is None
    else:
        assert got is not None and (got.monthly_min_yuan, got.monthly_max_yuan) == (lo, hi)


def test_conversion_factors_are_the_official_ones() -> None:
    # 劳社部发〔2008〕3号: 21.75 paid days and 174 hours a month.
    assert (DAYS_PER_MONTH, HOURS_PER_MONTH, MONTHS_PER_YEAR) == (21.75, 174, 12)
    assert HOURS_PER_MONTH == DAYS_PER_MONTH * 8


@pytest.mark.parametrize(
    "value, lo, hi, negotiable",
    [
        (4000, 4000, None, False),
        (4000.0, 4000, None, False),
        ("4000", 4000, None, False),
        (" 4000元 ", 4000, None, False),
        ("4000元/月", 4000, None, False),
        ("4000-5000", 4000, 5000, False),
        ("4千左右", 4000, None, False),
        ("5000以上", 5000, None, False),
        ("3000以下", None, 3000, False),
        ("面议", None, None, True),
    ],
)
def test_parse_expected_pay(value: object, lo: int | None, hi: int | None,
                            negotiable: bool) -> None:  # fmt: skip
    got = parse_expected_pay(value)
    assert got is not None
    assert (got.monthly_min_yuan, got.monthly_max_yuan, got.negotiable) == (lo, hi, negotiable)


@pytest.mark.parametrize("value", ["不限", "无", " 无要求 ", "", None, float("nan"), 12, "看情况",
                                   "招3人", True])  # fmt: skip
def test_parse_expected_pay_none(value: object) -> None:
    assert parse_expected_pay(value) is None


@pytest.mark.parametrize(
    "s, text",
    [
        (SalaryRange(monthly_min_yuan=4500, monthly_max_yuan=6000), "月薪4500-6000元"),
        (SalaryRange(monthly_min_yuan=5000), "月薪5000元以上"),
        (SalaryRange(monthly_max_yuan=5000), "月薪5000元以下"),
        (SalaryRange(monthly_min_yuan=4350, monthly_max_yuan=4350), "月薪4350元"),
        (SalaryRange(negotiable=True), "面议"),
        (SalaryRange(monthly_min_yuan=3000, commission=True), "底薪3000元+提成"),
        (SalaryRange(monthly_min_yuan=3000, monthly_max_yuan=4000, commission=True),
         "底薪3000-4000元+提成"),
        (SalaryRange(monthly_min_yuan=10000, monthly_max_yuan=15000, months=13),
         "月薪10000-15000元，13薪"),
        (SalaryRange(), "薪资未注明"),
    ],
)  # fmt: skip
def test_format_salary(s: SalaryRange, text: str) -> None:
    assert format_salary(s) == text


@pytest.mark.parametrize("text", ["4000-6000元/月", "5000以上", "底薪3000+提成", "面议",
                                  "1-1.5万·13薪", "4500左右", "5000以下"])  # fmt: skip
def test_format_then_parse_round_trips(text: str) -> None:
    parsed = parse_salary(text)
    assert parsed is not None
    assert parse_salary(format_salary(parsed)) == parsed


# ---------------------------------------------------------------- properties

_PAYLIKE = st.text(alphabet="0123456789.-~至到千万kKw元块/月年天日小时薪以上下起+左右面议提成底保·　 ０１２３４５６７８９一二三四五六七八九十百",
                   max_size=30)  # fmt: skip


@given(st.one_of(st.text(max_size=200), _PAYLIKE))
def test_parse_salary_never_raises_and_keeps_min_le_max(text: str) -> None:
    got = parse_salary(text)
    if got is not None:
        lo, hi = got.monthly_min_yuan, got.monthly_max_yuan
        assert lo is None or hi is None or lo <= hi
        assert 1 <= got.months <= 24
        for v in (lo, hi):
            assert v is None or salary.MIN_MONTHLY_YUAN <= v <= salary.MAX_MONTHLY_YUAN
        assert isinstance(format_salary(got), str)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.binary(),
                 st.text(), _PAYLIKE, st.lists(st.integers())))  # fmt: skip
def test_parsers_never_raise_on_any_object(value: object) -> None:
    for parse in (parse_salary, parse_expected_pay):
        got = parse(value)
        assert got is None or isinstance(got, SalaryRange)


@given(st.integers(min_value=100, max_value=1_000_000), st.integers(min_value=0, max_value=50_000))
def test_any_written_range_is_read_back(lo: int, width: int) -> None:
    hi = min(lo + width, 1_000_000)
    got = parse_salary(f"{lo}-{hi}元/月")
    assert got is not None and (got.monthly_min_yuan, got.monthly_max_yuan) == (lo, hi)


@given(st.integers(min_value=5, max_value=40_000))
def test_daily_pay_uses_21_75_days(per_day: int) -> None:
    got = parse_salary(f"{per_day}元/天")
    expected = math.floor(per_day * DAYS_PER_MONTH + 0.5)
    if 100 <= expected <= 1_000_000:
        assert got is not None and got.monthly_min_yuan == expected
    else:
        assert got is None


# ---------------------------------------------------------------- real data


def _real_salary_strings(root: Path) -> list[str]:
    import pandas as pd

    texts: list[str] = []
    for path in sorted((root / "51job").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in ("薪酬", "薪资"):
            if column in frame.columns:
                texts.extend(frame[column])
    jsonl = root / "postings-1dagong" / "postings.jsonl"
    if jsonl.exists():
        with jsonl.open(encoding="utf-8") as f:
            texts.extend(
                str(json.loads(line).get("salary_text") or "") for line in f if line.strip()
            )
    return texts


@pytest.mark.shared
def test_real_salary_strings_parse(shared_data: Path) -> None:
    texts = _real_salary_strings(shared_data)
    assert len(texts) > 1000, "expected the 51job and 1dagong salary columns"
    results = [parse_salary(t) for t in texts]  # must not raise
    with_digit = [r for t, r in zip(texts, results, strict=True) if re.search(r"\d", t)]
    parsed = sum(r is not None for r in with_digit)
    assert parsed / len(with_digit) >= 0.98, f"{parsed}/{len(with_digit)} parsed"
    negotiable = [r for t, r in zip(texts, results, strict=True) if t.strip() == "面议"]
    assert negotiable and all(r is not None and r.negotiable for r in negotiable)
    for r in results:
        if r is not None and r.monthly_min_yuan is not None and r.monthly_max_yuan is not None:
            assert r.monthly_min_yuan <= r.monthly_max_yuan


def test_docstring_examples_hold() -> None:
    import doctest

    assert doctest.testmod(salary, optionflags=doctest.ELLIPSIS).failed == 0
