"""Tests for matching.text: normalisation, jieba tokens with the domain dictionary, n-grams."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.text import char_ngrams, normalize_text, tokenize, user_words

REQUIRED_WHOLE = ["育儿嫂", "月嫂", "网约配送员", "叉车工", "保洁员"]


@pytest.mark.parametrize("word", REQUIRED_WHOLE)
def test_required_words_stay_whole(word: str) -> None:
    assert word in tokenize(f"招聘{word}，待遇优厚")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("急招保洁员，包吃住，4000起", ["保洁员", "包吃住"]),
        ("育儿嫂 月嫂 网约配送员 叉车工", ["育儿嫂", "月嫂", "网约配送员", "叉车工"]),
        ("Ｃ１驾照　货车司机", ["c1驾照", "货车司机"]),
        ("招聘普工 长白班 月入6000+", ["普工", "长白班", "月入"]),
        ("餐廳服務員", ["餐厅服务员"]),
        ("南开区 保安员", ["南开区", "保安员"]),
    ],
)
def test_tokenize_table(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", None, "！！！。。。", "12345 6000+ 35岁", "😀😀", "\x00\x01"]
)
def test_tokenize_empty_and_garbage(text: str | None) -> None:
    assert tokenize(text) == []


def test_numbers_and_units_are_dropped_but_licence_classes_kept() -> None:
    toks = tokenize("月薪4000-6000元 年龄18-45岁 a2驾照 b2")
    assert not any(ch.isdigit() for t in toks for ch in t if t not in {"a2驾照", "b2"})
    assert "a2驾照" in toks and "b2" in toks


def test_district_and_street_names_from_tables_are_words() -> None:
    words = set(user_words())
    assert {"滨海新区", "河西区", "塘沽"} <= words
    assert "万兴街道" in words  # from the street table
    assert "万兴街道" in tokenize("住南开区万兴街道附近")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ｃ１駕駛證　保潔員", "c1驾驶证 保洁员"),
        ("ＡＢＣ　ｄｅｆ", "abc def"),
        (None, ""),
        ("  多个   空格 ", "多个 空格"),
    ],
)
def test_normalize_text(text: str | None, expected: str) -> None:
    assert normalize_text(text) == expected


def test_char_ngrams() -> None:
    assert char_ngrams("叉车工 8000", n=(2, 3)) == ["叉车", "车工", "叉车工"]
    assert char_ngrams("") == []
    with pytest.raises(ValueError):
        char_ngrams("保洁", n=(3, 2))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_tokenize_never_raises_and_is_deterministic(text: str) -> None:
    first = tokenize(text)
    assert first == tokenize(text)
    assert all(t and t == t.strip() for t in first)
