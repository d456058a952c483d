"""Candidates: the pair similarity and the filtered top-``fetch`` cut that feed the re-rank."""

from __future__ import annotations

import numpy as np
import pytest

from matching.rank.candidates import pair_similarity, top_passing


@pytest.mark.parametrize("max_cells", [7, 8_000_000])
def test_pair_similarity_equals_the_dot_product_of_each_pair(max_cells: int) -> None:
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    queries = sp.random(9, 40, density=0.2, format="csr", random_state=1, dtype=np.float32)
    postings = sp.random(30, 40, density=0.3, format="csr", random_state=2, dtype=np.float32)
    who = rng.integers(0, 9, 200)
    rows = rng.integers(0, 30, 200)
    got = pair_similarity(queries, who, postings, rows, max_cells=max_cells)
    expected = [
        float(queries[w].multiply(postings[r]).sum()) for w, r in zip(who, rows, strict=True)
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_top_passing_takes_exactly_fetch_and_breaks_ties_by_row() -> None:
    scores = np.array([[0.5, 0.9, 0.5, 0.5, 0.1, 0.9], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3]], np.float32)
    keep = np.array([[True, False, True, True, True, True], [True] * 6])
    got = top_passing(scores, keep, 3)
    # row 0: 0.9 at col 5 (col 1 is filtered out), then the first two of the tied 0.5s
    assert np.flatnonzero(got[0]).tolist() == [0, 2, 5]
    assert np.flatnonzero(got[1]).tolist() == [0, 1, 2]
    few = top_passing(scores, np.eye(2, 6, dtype=bool), 3)  # fewer pass than fetch: all of them
    assert np.flatnonzero(few[0]).tolist() == [0] and np.flatnonzero(few[1]).tolist() == [1]


def test_pair_similarity_of_one_query_equals_its_pairs_in_a_batch() -> None:
    """The one-query path (service requests) gives the batch's values bit for bit, so a
    person's list is the same from the API and from the nightly batch."""
    import scipy.sparse as sp

    rng = np.random.default_rng(4)
    queries = sp.random(9, 60, density=0.2, format="csr", random_state=5, dtype=np.float32)
    postings = sp.random(40, 60, density=0.3, format="csr", random_state=6, dtype=np.float32)
    who = np.repeat(np.arange(9), 25)
    rows = rng.integers(0, 40, who.size)
    batch = pair_similarity(queries, who, postings, rows)
    for i in range(9):
        mine = who == i
        one = pair_similarity(queries[i], np.zeros(mine.sum(), np.int64), postings, rows[mine])
        np.testing.assert_array_equal(one, batch[mine])
