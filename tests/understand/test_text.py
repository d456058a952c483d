"""Tests for matching.understand.text: normalisation, jieba tokens with the domain dictionary, n-grams."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.understand.text import char_ngrams, normalize_text, tokenize, user_words

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


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["保洁员", "包吃住", "的", "4000", "，", "c1驾照", " ", "😀"]))
       .map("".join) | st.text(max_size=40))  # fmt: skip
def test_tokenize_keeps_each_cut_word_that_is_no_noise(text: str) -> None:
    """The words a text is cut into, less punctuation, stop words and numbers: each word is
    judged once and remembered, the same the first time and after."""
    from matching.understand.text import _is_noise, _segmenter

    want = [t for t in _segmenter()(normalize_text(text)) if not _is_noise(t)]
    assert tokenize(text) == want and tokenize(text) == want


def _reference_cut(text: str) -> list[str]:
    from matching.understand.text import _tokenizer

    return _tokenizer().lcut(text, HMM=False)


@functools.cache
def _rjieba_cut() -> Callable[[str], list[str]]:
    from matching.understand.text import _rjieba

    cut = _rjieba()
    assert cut is not None, "rjieba is a dependency; it must import"
    return cut


def _differences(texts: Iterable[str]) -> tuple[int, list[tuple[str, list[str], list[str]]]]:
    cut = _rjieba_cut()
    n, bad = 0, []
    for raw in texts:
        text = normalize_text(raw)
        n += 1
        a, b = _reference_cut(text), cut(text)
        if a != b:
            bad.append((text[:60], a, b))
    return n, bad


def test_tokenize_uses_the_fast_segmenter_by_default() -> None:
    from matching.understand.text import _segmenter

    assert _segmenter()("急招保洁员包吃住") == _rjieba_cut()("急招保洁员包吃住")


def test_rjieba_cuts_generated_texts_exactly_like_jieba() -> None:
    from matching.generator import generate_persons, generate_postings

    texts = [
        f"{r['岗位名称']} {r['岗位描述']} {r.get('工作地点', '')}"
        for r in generate_postings(1500, seed=11)
    ]
    texts += [" ".join(str(v) for v in r.values()) for r in generate_persons(500, seed=12)]
    n, bad = _differences(texts)
    assert n == 2000 and not bad, bad[:5]


def test_rjieba_cuts_dictionary_and_user_words_exactly_like_jieba() -> None:
    # Pairs of dictionary words side by side are where a different word cost or total shows.
    import jieba

    from matching.understand.text import user_words

    words = []
    with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 40 == 0:
                words.append(line.split()[0])
    words += list(user_words())[::5]
    pairs = [a + b for a, b in zip(words, words[1:], strict=False)]
    n, bad = _differences(words + pairs)
    assert not bad, bad[:5]


def test_rjieba_cuts_all_real_shared_texts_exactly_like_jieba(shared_data: Path) -> None:
    # Every line of every text file of ../shared/data: real postings (1dagong, 51job),
    # labelled dev sets, place names.
    texts: list[str] = []
    for path in sorted(shared_data.rglob("*")):
        if path.suffix in {".csv", ".jsonl", ".tsv", ".txt"}:
            texts.extend(path.read_text(encoding="utf-8", errors="ignore").splitlines())
    n, bad = _differences(texts)
    assert n > 10_000 and not bad, bad[:5]


def test_segmenter_setting_selects_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    from matching.understand import text

    monkeypatch.setenv("SONGGANG_SEGMENTER", "jieba")
    text._segmenter.cache_clear()
    text._tokens.cache_clear()
    try:
        ref = text._segmenter()
        assert getattr(ref, "__self__", None) is None  # not rjieba's bound method
        assert ref("负责网络产品") == _reference_cut("负责网络产品")
    finally:
        monkeypatch.delenv("SONGGANG_SEGMENTER")
        text._segmenter.cache_clear()
        text._tokens.cache_clear()


def _normalized_translating_every_text(text: str) -> str:
    """normalize_text as it was before the traditional characters were looked for first."""
    import re
    import unicodedata

    from matching.understand.text import _T2S

    s = unicodedata.normalize("NFKC", text).lower().translate(_T2S)
    return re.sub(r"\s+", " ", s).strip()


def _check_normalized(texts: list[str]) -> None:
    from matching.understand.text import normalize_text

    for text in texts:
        assert normalize_text(text) == _normalized_translating_every_text(text), text


def test_normalize_text_translates_only_texts_with_traditional_characters() -> None:
    from matching.evaluate.generated import generated_postings
    from matching.understand.text import _TRAD

    postings, _ = generated_postings(800, 3)
    texts = [t for p in postings for t in (p.title, p.description)]
    _check_normalized(texts + [_TRAD, "Ｃ１駕駛證　保潔員", "招聘職員（兼職）", "ΣΑΣ 員工", ""])


def test_normalize_text_on_real_postings(shared_data: Path) -> None:
    from tests.conftest import real_postings

    _check_normalized([t for p in real_postings(shared_data) for t in (p.title, p.description)])
