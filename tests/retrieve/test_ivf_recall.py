"""The IVF index over a large board: searched among the few postings that pass a person's
filters it finds what an exact search of them finds, visits a bounded share of its lists, and
is trained on a seeded sample of the vectors, the same every build."""

from __future__ import annotations

import numpy as np
import pytest

from matching.retrieve.index import MAX_PROBED_SHARE, VectorIndex


@pytest.fixture(scope="module")
def clustered() -> np.ndarray:
    """20,000 unit vectors around 60 centres (postings cluster by category and place)."""
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(60, 16))
    x = centres[rng.integers(0, 60, 20_000)] + 1.0 * rng.normal(size=(20_000, 16))
    x = x.astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _overlap(got: list[np.ndarray], want: list[np.ndarray]) -> float:
    return sum(
        len(set(g.tolist()) & set(w.tolist())) for g, w in zip(got, want, strict=True)
    ) / sum(w.size for w in want)


def test_ivf_among_a_filtered_share_finds_the_exact_top_candidates(clustered) -> None:  # type: ignore[no-untyped-def]
    """Five per cent of the board passes (a person's filters); the IVF's top 30 among them
    holds at least 0.95 of the exact top 30 among them (0.82 when only ``nprobe`` lists are
    visited, whatever the share that passes)."""
    allowed = np.random.default_rng(1).random(len(clustered)) < 0.05
    queries = clustered[:20] + 0.01
    ivf = VectorIndex(exact_max=1_000).build(clustered)
    assert ivf.kind_ == "ivf" and ivf.lists == int(np.sqrt(len(clustered)))
    flat = VectorIndex().build(clustered)
    got, _ = ivf.search(queries, 30, allowed=allowed)
    want, _ = flat.search(queries, 30, allowed=allowed)
    assert all(allowed[g].all() and g.size == 30 for g in got)
    assert _overlap(got, want) >= 0.95


def test_a_narrow_filter_visits_at_most_the_capped_share_of_lists(clustered) -> None:  # type: ignore[no-untyped-def]
    """A person whose filters pass 0.5 % of the board: the search is bounded (not every list)
    and still returns only allowed rows."""
    ivf = VectorIndex(exact_max=1_000).build(clustered)
    narrow = np.random.default_rng(2).random(len(clustered)) < 0.005
    wide = np.random.default_rng(3).random(len(clustered)) < 0.5
    capped = int(np.ceil(MAX_PROBED_SHARE * ivf.lists))
    assert ivf._params(narrow, 200).nprobe == capped
    assert ivf._params(wide, 10).nprobe == ivf.nprobe  # few wanted among many: the floor
    rows, _ = ivf.search(clustered[:3], 200, allowed=narrow)
    assert all(narrow[r].all() for r in rows)


def test_an_index_trained_on_a_sample_is_the_same_every_build_and_as_good(clustered) -> None:  # type: ignore[no-untyped-def]
    """Trained on 40 vectors per list (a seeded sample): the same lists every build, and it
    finds as much of the exact top 30 as the index trained on every vector."""
    allowed = np.random.default_rng(4).random(len(clustered)) < 0.05
    queries = clustered[100:120] + 0.01
    a = VectorIndex(exact_max=1_000, train_per_list=40).build(clustered)
    b = VectorIndex(exact_max=1_000, train_per_list=40).build(clustered)
    every = VectorIndex(exact_max=1_000, train_per_list=len(clustered)).build(clustered)
    assert a.trained_on_ == 40 * a.lists < every.trained_on_ == len(clustered)
    centres = [i._index.quantizer.reconstruct_n(0, i.lists) for i in (a, b, every)]
    np.testing.assert_array_equal(centres[0], centres[1])
    assert not np.array_equal(centres[0], centres[2])  # faiss trained a on a sample indeed
    got, _ = a.search(queries, 30, allowed=allowed)
    assert [g.tolist() for g in got] == [g.tolist() for g in b.search(queries, 30, allowed)[0]]
    want, _ = VectorIndex().build(clustered).search(queries, 30, allowed=allowed)
    assert _overlap(got, want) >= max(
        0.95, _overlap(every.search(queries, 30, allowed)[0], want) - 0.02
    )
