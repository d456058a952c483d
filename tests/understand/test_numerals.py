"""Tests for matching.understand.numerals: Chinese numerals as written in pay and requirements."""

from __future__ import annotations

import pytest

from matching.understand.numerals import parse_chinese_number


@pytest.mark.parametrize(
    "text, expected",
    [("一", 1), ("十", 10), ("十三", 13), ("二十", 20), ("二十五", 25), ("三百", 300),
     ("两千", 2000), ("三千五", 3500), ("一万二", 12000), ("十万", 100000), ("一万零五百", 10500),
     ("", None), ("五险", None), ("4千", None)],
)  # fmt: skip
def test_parse_chinese_number(text: str, expected: int | None) -> None:
    assert parse_chinese_number(text) == expected
