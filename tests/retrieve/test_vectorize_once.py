"""Fitting returns the corpus' TF-IDF rows: the same rows, bit for bit, as transforming it again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.retrieve.vectorize import TextVectorizer


def _bitwise(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    assert a.has_sorted_indices and b.has_sorted_indices
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data.view(np.uint32), b.data.view(np.uint32))


def _generated_texts(n: int) -> list[str]:
    from matching.generator import generate_postings

    return [f"{r['岗位名称']} {r['岗位描述']}" for r in generate_postings(n, seed=13)]


@pytest.mark.parametrize("cap", [40_000, 300])  # 300: the vocabularies are cut to the commonest
def test_fit_sparse_equals_transform_sparse(cap: int) -> None:
    texts = _generated_texts(700) + ["", "保洁", "zzzz 从未见过的词语组合"]
    vec = TextVectorizer(32, max_word_features=cap, max_char_features=cap)
    rows = vec.fit_sparse(texts)
    _bitwise(rows, vec.transform_sparse(texts))
    again = TextVectorizer(32, max_word_features=cap, max_char_features=cap).fit(texts)
    np.testing.assert_array_equal(again.components_, vec.components_)  # fit is fit_sparse's


def test_fit_sparse_equals_transform_sparse_on_the_sample(shared_data: Path) -> None:
    import json

    lines = (shared_data / "postings-1dagong" / "postings.jsonl").read_text("utf-8").splitlines()
    texts = [f"{r['title']} {r['description']}" for r in map(json.loads, lines[:800])]
    vec = TextVectorizer(64)
    _bitwise(vec.fit_sparse(texts), vec.transform_sparse(texts))


def _nearest_found(vec: TextVectorizer, rows: sp.csr_matrix) -> float:
    """Share of texts whose nearest other text by TF-IDF is among the 10 nearest by ``vec``'s
    projection (what the projection is for: finding candidates for the exact re-rank)."""
    exact = (rows @ rows.T).toarray()
    np.fill_diagonal(exact, -1)
    projected = vec.project(rows)
    sims = projected @ projected.T
    np.fill_diagonal(sims, -1)
    top = np.argsort(-sims, axis=1)[:, :10]
    return float(np.mean([n in t for n, t in zip(exact.argmax(axis=1), top, strict=True)]))


def test_the_projection_is_fitted_on_a_sample_of_a_large_corpus(tmp_path: Path) -> None:
    texts = _generated_texts(900)
    whole = TextVectorizer(32)
    rows = whole.fit_sparse(texts)
    sampled = TextVectorizer(32, svd_max_rows=450)
    # the TF-IDF is the whole corpus' either way; only the projection reads fewer rows
    _bitwise(sampled.fit_sparse(texts), rows)
    assert sampled.components_.shape == whole.components_.shape
    assert not np.array_equal(sampled.components_, whole.components_)
    # at or under the limit every row is read: the same projection as without one
    at_limit = TextVectorizer(32, svd_max_rows=900).fit(texts)
    np.testing.assert_array_equal(at_limit.components_, whole.components_)
    # fitted on half the rows, the projection still finds nearly as many nearest texts
    # (0.71 against 0.76 here; 20,000 of 50,000 postings lose no recall: docs/benchmarks.md)
    assert _nearest_found(sampled, rows) >= 0.9 * _nearest_found(whole, rows) > 0.5
    sampled.save(tmp_path)
    assert TextVectorizer.load(tmp_path).svd_max_rows == 450
