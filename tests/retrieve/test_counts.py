"""The vectorizer's fast TF-IDF fit equals scikit-learn's: vocabulary, IDF and rows, bit for bit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.retrieve.counts import fit_tfidf
from matching.retrieve.vectorize import _identity
from matching.understand.text import normalize_text, tokenize


def _pair(cap: int, min_df: int) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = {"analyzer": _identity, "max_features": cap, "sublinear_tf": True}
    chars = {"analyzer": "char", "ngram_range": (2, 3), "max_features": cap, "min_df": min_df}
    return (
        TfidfVectorizer(**words, dtype=np.float32),  # type: ignore[arg-type]
        TfidfVectorizer(**chars, sublinear_tf=True, dtype=np.float32),  # type: ignore[arg-type]
    )


def _same_fit(docs: list[str] | list[list[str]], vec: TfidfVectorizer) -> None:
    from sklearn.base import clone

    ref_vec = clone(vec)
    ref = ref_vec.fit_transform(docs)
    ref.sort_indices()
    got = fit_tfidf(vec, docs)
    assert got.shape == ref.shape and got.dtype == ref.dtype and got.has_sorted_indices
    np.testing.assert_array_equal(got.indptr, ref.indptr)
    np.testing.assert_array_equal(got.indices, ref.indices)
    np.testing.assert_array_equal(got.data.view(np.uint32), ref.data.view(np.uint32))
    assert vec.vocabulary_ == ref_vec.vocabulary_
    assert vec.idf_.dtype == ref_vec.idf_.dtype
    np.testing.assert_array_equal(vec.idf_, ref_vec.idf_)
    # the fitted vectorizer transforms new texts as scikit-learn's does
    assert (vec.transform(docs[:50]) != ref_vec.transform(docs[:50])).nnz == 0


def _check(texts: list[str]) -> None:
    norm = [normalize_text(t) for t in texts]
    tokens = [tokenize(t) for t in texts]
    for cap in (40_000, 300):  # 300: the vocabularies cut to the commonest, ties and all
        words, chars = _pair(cap, 2)
        _same_fit(tokens, words)
        _same_fit(norm, chars)
        # and on the raw texts: upper case, runs of white space, tabs and new lines
        _same_fit(texts, _pair(cap, 1)[1])


def test_fit_equals_scikit_learns_on_generated_postings() -> None:
    from matching.generator import generate_postings

    rows = generate_postings(1500, seed=17)
    texts = [f"{r['岗位名称']} {r['岗位名称']} {r['岗位描述']}" for r in rows]
    texts += ["", "A", "  保洁\t\t员\n\n日结 ", "Ｃ１駕駛證 ABC abc 😀😀 𠀀𠀁", "x"]
    _check(texts)


def test_fit_equals_scikit_learns_on_real_postings(shared_data: Path) -> None:
    lines = (shared_data / "postings-1dagong" / "postings.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines[:2000]]
    _check([f"{r['title']} {r['title']} {r['description']}" for r in records])


def test_what_the_fast_count_cannot_take_goes_to_scikit_learn() -> None:
    texts = ["保洁\0员", "保洁员 日结", "保安"] * 5
    _same_fit(texts, _pair(100, 1)[1])
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_tfidf(_pair(100, 1)[0], [[], []])
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_tfidf(_pair(100, 1)[1], ["a", "b"])


def test_counts_are_sparse_rows_of_the_corpus() -> None:
    words, _ = _pair(100, 1)
    rows = fit_tfidf(words, [["保洁", "保洁", "员"], [], ["员"]])
    assert isinstance(rows, sp.csr_matrix) and rows.shape == (3, 2)
    assert rows[1].nnz == 0 and words.vocabulary_ == {"保洁": 0, "员": 1}


def test_counting_a_few_texts_at_a_time_gives_the_same_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    from matching.generator import generate_postings
    from matching.retrieve import counts

    texts = [f"{r['岗位名称']} {r['岗位描述']}" for r in generate_postings(400, seed=23)]
    monkeypatch.setattr(counts, "CHUNK", 7)  # 58 chunks, each with its own n-grams
    _check(texts + ["", "保洁", "ＡＢ  ab"])
