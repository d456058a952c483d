"""VectorIndex.search among selected rows: the rows a search may return (the postings open
on the day), skipped by faiss while it searches."""

from __future__ import annotations

import numpy as np
import pytest

from matching.retrieve.index import VectorIndex


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(6000, 12)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_flat_search_among_allowed_rows_equals_a_search_of_those_rows_alone(vectors) -> None:  # type: ignore[no-untyped-def]
    allowed = np.random.default_rng(2).random(len(vectors)) < 0.25
    index = VectorIndex().build(vectors)
    rows, scores = index.search(vectors[:7], 30, allowed=allowed)
    subset = np.flatnonzero(allowed)
    alone, alone_scores = VectorIndex().build(vectors[subset]).search(vectors[:7], 30)
    for got, want, s, ws in zip(rows, alone, scores, alone_scores, strict=True):
        assert got.tolist() == subset[want].tolist()
        np.testing.assert_allclose(s, ws, rtol=1e-5)


def test_ivf_search_returns_only_allowed_rows_and_fills_k_with_them(vectors) -> None:  # type: ignore[no-untyped-def]
    allowed = np.random.default_rng(3).random(len(vectors)) < 0.25
    index = VectorIndex(exact_max=100, nprobe=64).build(vectors)
    assert index.kind_ == "ivf"
    rows, _ = index.search(vectors[:7], 40, allowed=allowed)
    unfiltered, _ = index.search(vectors[:7], 40)
    assert all(allowed[r].all() and r.size == 40 for r in rows)
    assert any(not allowed[r].all() for r in unfiltered)  # without it closed rows take places


def test_allowed_of_the_wrong_length_is_refused(vectors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="allowed must have shape"):
        VectorIndex().build(vectors).search(vectors[:1], 5, allowed=np.ones(10, bool))
