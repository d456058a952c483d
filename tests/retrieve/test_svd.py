"""The vectorizer's projection is scikit-learn's randomized TruncatedSVD, to float32 rounding."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD

from matching.retrieve.svd import _orthonormal_basis, randomized_components
from matching.retrieve.vectorize import TextVectorizer


def _tfidf(texts: list[str]) -> sp.csr_matrix:
    return TextVectorizer(8).fit_sparse(texts)


def _same_components(x: sp.csr_matrix, dims: int) -> None:
    ref = TruncatedSVD(dims, algorithm="randomized", n_iter=2, random_state=0).fit(x).components_
    got = randomized_components(x, dims, n_iter=2, random_state=0)
    assert got.dtype == np.float32 and got.shape == ref.shape
    # the same directions; the entries differ by float32 rounding only
    cosines = np.sum(ref * got, axis=1) / np.linalg.norm(ref, axis=1) / np.linalg.norm(got, axis=1)
    assert np.abs(cosines).min() > 0.9999
    # with the same signs, except where the sign rule (largest entry positive) is a tie
    for row in np.flatnonzero(cosines < 0):
        top_two = np.sort(np.abs(ref[row]))[-2:]
        assert top_two[1] - top_two[0] < 1e-3
        got[row] *= -1
    np.testing.assert_allclose(got, ref, atol=2e-3)
    # and texts projected with either are as similar to one another
    rows = x[: min(x.shape[0], 400)]
    a, b = (np.asarray(rows @ c.T) for c in (ref, got))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    assert np.abs(a @ a.T - b @ b.T).max() < 1e-3


@pytest.mark.parametrize("n", [1200, 60])  # more features than rows (transposed), and few rows
def test_components_equal_scikit_learns_on_generated_postings(n: int) -> None:
    from matching.generator import generate_postings

    texts = [f"{r['岗位名称']} {r['岗位描述']}" for r in generate_postings(n, seed=5)]
    x = _tfidf(texts)
    _same_components(x, min(64, x.shape[0] - 1))


def test_components_equal_scikit_learns_with_more_rows_than_features() -> None:
    texts = ["保洁 员", "保安 员", "司机", "保洁 司机", "厨师", "保安 厨师", "保洁"] * 30
    x = _tfidf(texts)
    assert x.shape[0] > x.shape[1]
    _same_components(x, 3)


def test_components_equal_scikit_learns_on_real_postings(shared_data: Path) -> None:
    lines = (shared_data / "postings-1dagong" / "postings.jsonl").read_text("utf-8").splitlines()
    texts = [f"{r['title']} {r['description']}" for r in map(json.loads, lines[:1500])]
    _same_components(_tfidf(texts), 128)


def test_a_rank_deficient_sketch_falls_back_to_householder() -> None:
    rng = np.random.default_rng(0)
    y = rng.standard_normal((500, 4)) @ rng.standard_normal((4, 12))  # rank 4, 12 columns
    q = _orthonormal_basis(y)
    assert np.all(np.isfinite(q))
    np.testing.assert_allclose(q.T @ q, np.eye(12), atol=1e-8)
    full = rng.standard_normal((500, 12))
    q = _orthonormal_basis(full)
    np.testing.assert_allclose(q.T @ q, np.eye(12), atol=1e-10)
    np.testing.assert_allclose(q @ (q.T @ full), full, atol=1e-10)  # the same column space
