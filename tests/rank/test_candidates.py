"""Candidates: the pair similarity and the filtered top-``fetch`` cut that feed the re-rank."""

from __future__ import annotations

import numpy as np
import pytest

from matching.rank.candidates import pair_similarity, rows_times, top_passing


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


def _product_reference(queries, who, postings, rows):  # type: ignore[no-untyped-def]
    """The distinct postings cut to the queries' features by scipy's COO → CSR conversion,
    times the dense queries: the batch's similarities as they were first made."""
    import scipy.sparse as sp

    distinct, col = np.unique(rows, return_inverse=True)
    features = np.unique(queries.indices)
    position = np.full(postings.shape[1], -1, np.int64)
    position[features] = np.arange(features.size)
    block = postings[distinct]
    keep = position[block.indices] >= 0
    row_of = np.repeat(np.arange(distinct.size), np.diff(block.indptr))[keep]
    block = sp.csr_matrix(
        (block.data[keep], (row_of, position[block.indices[keep]])),
        shape=(distinct.size, features.size),
    )
    sims = np.asarray(block @ queries[:, features].toarray().T)
    return sims[col.ravel(), who].astype(np.float32)


@pytest.mark.parametrize("max_cells", [50, 8_000_000])
@pytest.mark.parametrize("unsorted", [False, True])
def test_pair_similarity_is_the_product_of_the_distinct_postings_bit_for_bit(
    max_cells: int, unsorted: bool
) -> None:
    """The same float32 sums in the same order as the product of the distinct candidate
    postings (their terms in index order, as scipy's conversion sorts them), in one slice or
    several, whatever order the postings' terms are stored in."""
    import scipy.sparse as sp

    rng = np.random.default_rng(7)
    queries = sp.random(12, 300, density=0.1, format="csr", random_state=8, dtype=np.float32)
    postings = sp.random(80, 300, density=0.3, format="csr", random_state=9, dtype=np.float32)
    if unsorted:  # each row's terms stored back to front
        for i in range(postings.shape[0]):
            lo, hi = postings.indptr[i], postings.indptr[i + 1]
            postings.indices[lo:hi] = postings.indices[lo:hi][::-1].copy()
            postings.data[lo:hi] = postings.data[lo:hi][::-1].copy()
        postings.has_sorted_indices = False
    who = np.repeat(np.arange(12), 30)
    rows = rng.integers(0, 70, who.size)  # some postings never asked for
    got = pair_similarity(queries, who, postings, rows, max_cells=max_cells)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, _product_reference(queries, who, postings, rows))


def _mask(who: np.ndarray, rows: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    out = np.zeros(shape, bool)
    out[who, rows] = True
    return out


def test_top_passing_takes_exactly_fetch_and_breaks_ties_by_row() -> None:
    # one-hot postings: query · posting = the query's weight of that column
    vectors = np.eye(6, dtype=np.float32)
    queries = np.array([[0.5, 0.9, 0.5, 0.5, 0.1, 0.9], [0.3] * 6], np.float32)
    keep = np.array([[True, False, True, True, True, True], [True] * 6])
    got = _mask(*top_passing(queries, vectors, keep, 3), keep.shape)
    # row 0: 0.9 at col 5 (col 1 is filtered out), then the first two of the tied 0.5s
    assert np.flatnonzero(got[0]).tolist() == [0, 2, 5]
    assert np.flatnonzero(got[1]).tolist() == [0, 1, 2]
    few = top_passing(queries, vectors, np.eye(2, 6, dtype=bool), 3)  # fewer pass: all of them
    assert [w.tolist() for w in few] == [[0, 1], [0, 1]]


def _full_width_reference(scores: np.ndarray, keep: np.ndarray, fetch: int) -> np.ndarray:
    """The selection as it was: every posting scored, −inf for the filtered, one partition over
    the whole row, then the first of the tied at the cut."""
    scores = np.where(keep, scores, -np.inf)
    n = scores.shape[1]
    cut = np.partition(scores, n - fetch, axis=1)[:, n - fetch : n - fetch + 1]
    top = scores > cut
    tied = keep & (scores == cut)
    room = fetch - top.sum(axis=1)
    tied &= np.cumsum(tied, axis=1) <= room[:, None]
    return top | tied


@pytest.mark.parametrize("fetch", [1, 7, 40, 300])
def test_top_passing_equals_scoring_every_posting(fetch: int) -> None:
    """Scoring only the passing postings selects exactly what scoring all of them did, ties
    included (small integer vectors: the products are exact, so many scores are equal)."""
    rng = np.random.default_rng(fetch)
    vectors = rng.integers(-2, 3, (500, 6)).astype(np.float32)
    queries = rng.integers(-2, 3, (40, 6)).astype(np.float32)
    keep = rng.random((40, 500)) < rng.choice([0.01, 0.1, 0.5, 1.0], 40)[:, None]
    who, rows = top_passing(queries, vectors, keep, fetch)
    kept = top_passing(queries, vectors, keep, fetch, columns=np.ascontiguousarray(vectors.T))
    assert [a.tolist() for a in kept] == [who.tolist(), rows.tolist()]  # the caller's layout
    got = _mask(who, rows, keep.shape)
    assert not (got & ~keep).any()
    np.testing.assert_array_equal(got, _full_width_reference(queries @ vectors.T, keep, fetch))
    assert np.all(np.diff(who) >= 0)  # query by query…
    assert all(np.all(np.diff(rows[who == i]) > 0) for i in range(40))  # …rows ascending


@pytest.mark.parametrize("fetch", [1, 7, 40])
def test_top_passing_of_a_batch_where_every_profile_passes_many(fetch: int) -> None:
    """A nightly batch: every profile passes most postings (one product for all of them); the
    same cells as scoring every posting, the first of the tied at the cut (integer vectors:
    many equal scores), and a row whose cut is not tied takes exactly its ``fetch``."""
    rng = np.random.default_rng(10 + fetch)
    vectors = rng.integers(-2, 3, (300, 5)).astype(np.float32)
    queries = rng.integers(-2, 3, (30, 5)).astype(np.float32)
    vectors[:, 0] += rng.random(300).astype(np.float32) * (np.arange(300) % 2)  # untied rows too
    keep = rng.random((30, 300)) < 0.9
    who, rows = top_passing(queries, vectors, keep, fetch)
    got = _mask(who, rows, keep.shape)
    np.testing.assert_array_equal(got, _full_width_reference(queries @ vectors.T, keep, fetch))
    assert np.bincount(who, minlength=30).tolist() == [fetch] * 30


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


def test_rows_times_is_scipy_s_gather_and_product_bit_for_bit() -> None:
    """A service request's text similarities come from scipy's kernels called directly: the
    same float32 numbers as ``matrix[rows] @ dense`` for repeated, empty and last rows; a row
    out of range is an error, not a read past the matrix."""
    import scipy.sparse as sp

    rng = np.random.default_rng(8)
    matrix = sp.random(300, 500, density=0.05, format="csr", random_state=9, dtype=np.float32)
    scale = rng.random((300, 1)).astype(np.float32) * 50
    scale[7] = 0  # an empty row
    matrix = sp.csr_matrix(matrix.multiply(scale))
    matrix.eliminate_zeros()
    assert matrix.indptr[8] == matrix.indptr[7]
    dense = (rng.random(500, dtype=np.float32) * (rng.random(500) < 0.1)).astype(np.float32)
    rows = np.concatenate([rng.integers(0, 300, 400), [7, 299, 0, 7]]).astype(np.int64)
    want = np.asarray(matrix[rows] @ dense, np.float32)
    got = rows_times(matrix, rows, dense)
    assert got.dtype == np.float32
    assert got.tobytes() == want.tobytes()
    assert rows_times(matrix, np.zeros(0, np.int64), dense).shape == (0,)
    with pytest.raises(IndexError):
        rows_times(matrix, np.array([300]), dense)
    with pytest.raises(IndexError):
        rows_times(matrix, np.array([-1]), dense)


def test_rows_times_without_scipys_kernels_gives_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scipy that moved its private kernels: the public ``matrix[rows] @ dense`` is used, and
    a request's similarities are the same float32 numbers."""
    import scipy.sparse as sp

    import matching.rank.candidates as candidates

    matrix = sp.random(200, 300, density=0.05, format="csr", random_state=4, dtype=np.float32)
    dense = np.random.default_rng(5).random(300, dtype=np.float32)
    rows = np.random.default_rng(6).integers(0, 200, 150).astype(np.int64)
    fast = rows_times(matrix, rows, dense)
    monkeypatch.setattr(candidates, "_sparsetools", None)
    slow = rows_times(matrix, rows, dense)
    assert slow.dtype == np.float32
    assert slow.tobytes() == fast.tobytes()


def test_the_query_s_lighter_location_keeps_more_of_the_scorer_s_top_10() -> None:
    """The retrieval vector's squared-distance penalty grows without bound where the scorer's
    location term stops at weight_location: at full weight, postings 20-30 km away whose text
    and category put them in the exhaustive scorer's top 10 fell out of the candidates."""
    from matching.config import MatchingConfig
    from matching.evaluate.baselines import exhaustive_recommend
    from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
    from matching.rank.engine import MatchingEngine
    from matching.rank.profiles import recommendable

    postings, _ = generated_postings(2000, seed=7)
    day = busiest_day(postings)
    persons, _ = generated_persons(80, seed=7, today=day)
    persons = [p for p in persons if recommendable(p, day, MatchingConfig())]
    engine = MatchingEngine(MatchingConfig(min_candidates=30)).fit(postings)
    exact = [exhaustive_recommend(engine, engine.profile(p, today=day), 10, day) for p in persons]

    def recall(weight: float) -> float:
        engine.config = MatchingConfig(min_candidates=30, retrieval_location_weight=weight)
        got = [[m.posting_id for m in engine.recommend(p, 10, today=day)] for p in persons]
        hits = sum(len(set(g) & set(e)) for g, e in zip(got, exact, strict=True))
        return hits / sum(len(e) for e in exact)

    assert MatchingConfig().retrieval_location_weight == 0.25
    assert recall(0.25) >= recall(1.0) + 0.03  # 0.888 against 0.825 when written


def test_one_query_is_scored_as_a_service_request_always_was() -> None:
    """A service request (one query) keeps the matrix-vector product: the same numbers as
    before batches were scored together; and on exact products (small integers) a query's
    candidates alone are its candidates in a batch, ties included."""
    from matching.rank.candidates import _scores

    rng = np.random.default_rng(5)
    columns = np.ascontiguousarray(rng.standard_normal((96, 3000), dtype=np.float32))
    queries = rng.standard_normal((37, 96), dtype=np.float32)
    for i in (0, 17, 36):
        assert _scores(queries[i : i + 1], columns)[0].tobytes() == (queries[i] @ columns).tobytes()
    vectors = rng.integers(-2, 3, (800, 8)).astype(np.float32)
    queries = rng.integers(-2, 3, (30, 8)).astype(np.float32)
    keep = rng.random((30, 800)) < 0.9
    who, rows = top_passing(queries, vectors, keep, 50)
    for i in range(30):
        alone = top_passing(queries[i : i + 1], vectors, keep[i : i + 1], 50)
        assert alone[1].tolist() == rows[who == i].tolist()


def test_the_engine_keeps_its_postings_column_by_column_while_they_are_the_same(
    tiny_engine,  # type: ignore[no-untyped-def]
) -> None:
    """A batch reads the postings' TF-IDF by column; the kept copy is the engine's own matrix
    and is made again when the engine's matrix is replaced (a new fit)."""
    first = tiny_engine._sparse_columns()
    assert first is tiny_engine._sparse_columns()
    assert (first != tiny_engine.sparse_.tocsc()).nnz == 0
    tiny_engine.sparse_ = tiny_engine.sparse_ * 2
    again = tiny_engine._sparse_columns()
    assert again is not first and (again != tiny_engine.sparse_.tocsc()).nnz == 0
