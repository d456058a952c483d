from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.domain import categories, divisions
from matching.domain.categories import LABELS, Category, display, parse_categories


def test_tables_are_consistent() -> None:
    categories.check_table()
    divisions.check_table()
    assert len(Category) == 18 and Category.R.value == "R" and LABELS[Category.R] == "其他"
    assert len(divisions.DISTRICTS) == 16 and divisions.NAMES[0] == "滨海新区"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A", "A"),
        ("A,B", "AB"),
        ("a、i", "AI"),
        ("A家政/保洁；I餐饮/厨师/服务员", "AI"),
        ("家政/保洁、快递", "AC"),
        ("普工", "J"),
        ("B B A", "BA"),
        ("", ""),
        (None, ""),
        ("随便", ""),
        ("☑A.家政/保洁 ☑L.旅游/免税/酒店", "AL"),
    ],
)
def test_parse_categories(text: str | None, expected: str) -> None:
    assert "".join(parse_categories(text)) == expected


@given(st.text())
def test_parse_categories_never_raises(text: str) -> None:
    assert all(isinstance(c, Category) for c in parse_categories(text))


def test_display_and_district_lookup() -> None:
    assert display("A") == "A 家政/保洁"
    assert divisions.get("塘沽").name == "滨海新区"
    assert divisions.get("120103").name == "河西区"
    assert divisions.get("河西").code == "120103"
    with pytest.raises(KeyError):
        divisions.get("朝阳区")
