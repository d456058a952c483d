"""Candidates: the (profile, posting row) pairs the exact scorer re-ranks.

Every posting that passes a profile's hard filters and exclusions is a candidate, cut to the
best ``fetch`` by retrieval score (:func:`passing_top`, which scores only the passing
postings; over an IVF index, the index's approximate search among them). The retrieval vector
cannot say everything the scorer weighs (pay, freshness, penalties), so ``fetch`` is wide
(``min_candidates``).
:func:`pair_similarity` gives each pair's exact TF-IDF cosine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

try:  # the compiled kernels behind ``csr[rows] @ vector`` (scipy ≥ 1.0), called without the
    # Python checks around them, which cost a service request twice the kernels' own time
    from scipy.sparse import _sparsetools
except ImportError:  # pragma: no cover - a scipy that moved them: the public path below
    _sparsetools = None

from matching.config import MatchingConfig
from matching.rank.dayview import DayView
from matching.rank.filters import passing
from matching.rank.profiles import Profile
from matching.rank.tables import PersonTable
from matching.retrieve.index import VectorIndex


def passing_top(
    queries: npt.NDArray[np.float32],
    persons: PersonTable,
    pending: npt.NDArray[np.int64],
    excluded: npt.NDArray[np.int64],
    fetch: int,
    *,
    view: DayView,
    n: int,
    config: MatchingConfig,
    index: VectorIndex | None = None,
    max_cells: int = 4_000_000,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(profile, posting row) pairs: each profile's top-``fetch`` postings by retrieval score
    among those that pass its hard filters and exclusions (exact search; with an IVF
    ``index``, its approximate search among the passing postings, profile by profile).

    ``view`` holds the postings open on the day (of ``n`` in all): only those are filtered
    and scored. Filtering before the cut means a person whose filters leave few postings still
    gets the best of them, in one pass. Equal retrieval scores at the cut are taken in row
    order, so a profile's candidates do not depend on the other profiles of the batch.
    """
    if index is not None:  # searched profile by profile among the rows that pass its filters
        whos, rowss = [], []
        for i in pending.tolist():
            rows = _searched_rows(queries[i], persons, i, excluded, fetch, view=view, n=n,
                                  config=config, index=index)  # fmt: skip
            whos.append(np.full(rows.size, i, np.int64))
            rowss.append(rows)
        return np.concatenate(whos), np.concatenate(rowss)
    width = max(1, view.rows.size)
    step = max(1, max_cells // width)
    whos, rowss = [], []
    for lo in range(0, pending.size, step):
        block = pending[lo : lo + step]
        keep = passing(persons, block, view.table, today=view.day, config=config,
                       posting_units=view.units, opened=True,
                       districts=view.district_column)  # fmt: skip
        if excluded.size:
            first, last = block[0] * n, (block[-1] + 1) * n
            cut = excluded[(excluded >= first) & (excluded < last)]
            cut = cut[np.isin(cut // n, block)]
            column = view.position[cut % n]
            shown = column >= 0  # an excluded posting closed that day is not in the view
            keep[np.searchsorted(block, cut[shown] // n), column[shown]] = False
        where, found = top_passing(queries[block], view.vectors, keep, fetch,
                                   columns=view.columns)  # fmt: skip
        whos.append(block[where])
        rowss.append(view.rows[found])
    return np.concatenate(whos), np.concatenate(rowss)


def _searched_rows(
    query: npt.NDArray[np.float32],
    persons: PersonTable,
    i: int,
    excluded: npt.NDArray[np.int64],
    fetch: int,
    *,
    view: DayView,
    n: int,
    config: MatchingConfig,
    index: VectorIndex,
) -> npt.NDArray[np.int64]:
    """Profile ``i``'s top-``fetch`` rows (ascending) by the IVF ``index``'s search among the
    rows that pass its filters (the day's bitmaps, :class:`~matching.rank.filters.DayBitmaps`,
    none of the postings tested one by one) less its exclusions."""
    allowed = view.bitmaps.passing(persons, i, config=config)
    lo, hi = np.searchsorted(excluded, [i * n, (i + 1) * n])
    if hi > lo:
        allowed = allowed.without(excluded[lo:hi] - i * n)
    return np.sort(index.search(query[None, :], fetch, allowed)[0][0])


def excluded_pairs(
    profiles: Sequence[Profile], row_of: Mapping[str, int], n: int
) -> npt.NDArray[np.int64]:
    """``profile × n + posting row`` of every excluded (declined, recently pushed) pair."""
    keys = [
        i * n + row_of[pid]
        for i, p in enumerate(profiles)
        for pid in p.exclude_posting_ids
        if pid in row_of
    ]
    return np.array(sorted(keys), dtype=np.int64)


def top_passing(
    queries: npt.NDArray[np.float32],
    vectors: npt.NDArray[np.float32],
    keep: npt.NDArray[np.bool_],
    fetch: int,
    *,
    columns: npt.NDArray[np.float32] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(query, posting row) pairs: each query's ``fetch`` best postings by ``queries[i] ·
    vectors[row]`` among its ``keep`` cells; all of them when fewer pass. Equal scores at the
    cut: the first rows win. Pairs come query by query, rows ascending.

    Only the passing rows are scored and searched when few pass (a person who insists on one
    district): gathering them costs less than scoring every posting. The queries many pass
    (most persons) are scored together, one matrix product over every posting read from
    ``columns``, the vectors transposed (C-contiguous, ``(d, n)``; made here when the caller
    does not keep them), and cut all at once (a nightly batch: less CPU than one product and
    one partition per query). BLAS's matrix product and its matrix-vector product (one query: a
    service request) may sum in another order, so a score may differ in its last bit between
    the two; a candidate changes only if two postings' scores at the cut are that close.
    """
    m, n = keep.shape
    passed = np.count_nonzero(keep, axis=1)
    wide = (passed > fetch) & (4 * passed >= n)
    chosen = keep.copy() if m else keep
    if wide.any():
        if columns is None:
            columns = np.ascontiguousarray(vectors.T)
        if wide.all():  # a nightly batch: every profile
            many, passes = slice(None), keep
        else:
            many = np.flatnonzero(wide)
            passes = keep[many]
        scores = _scores(queries[many], columns)
        scores = np.where(passes, scores, np.float32(-np.inf))  # not a boolean-index scatter
        chosen[many] = _best_rows(scores, fetch)
    for i in np.flatnonzero((passed > fetch) & ~wide).tolist():
        rows = np.flatnonzero(keep[i])
        chosen[i] = False
        chosen[i, rows[_best_rows((vectors[rows] @ queries[i])[None, :], fetch)[0]]] = True
    return _cells(chosen)


def _scores(
    queries: npt.NDArray[np.float32], columns: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """``queries @ columns``; one query by the matrix-vector product (a service request: the
    numbers and cost it always had)."""
    if queries.shape[0] == 1:
        return (queries[0] @ columns)[None, :]
    return queries @ columns


def _best_rows(scores: npt.NDArray[np.float32], fetch: int) -> npt.NDArray[np.bool_]:
    """(m, n): each row's ``fetch`` largest ``scores`` (every row has more than ``fetch``
    finite ones); equal scores at the cut: the first positions win."""
    n = scores.shape[1]
    cut = np.partition(scores, n - fetch, axis=1)[:, n - fetch, None]
    chosen = scores >= cut
    # a row with more scores equal to its cut than it takes keeps the first of them only
    tied = np.flatnonzero(np.count_nonzero(chosen, axis=1) > fetch)
    if tied.size:
        part, at = scores[tied], cut[tied]
        above = part > at
        need = fetch - np.count_nonzero(above, axis=1)
        r, c = _cells(part == at)
        rank = np.arange(r.size) - np.searchsorted(r, r)  # place among the row's tied positions
        take = rank < need[r]
        above[r[take], c[take]] = True
        chosen[tied] = above
    return chosen


def _cells(matrix: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.nonzero(matrix)`` of a 2-D matrix (the same cells in the same row-major order), from
    the flat positions: numpy's 1-D nonzero is several times faster than its 2-D one on the
    wide, mostly False matrices of a batch (500 persons × every open posting)."""
    flat = np.flatnonzero(matrix).astype(np.int64, copy=False)
    width = max(1, matrix.shape[1])
    rows = flat // width
    return rows, flat - rows * width


def pair_similarity(
    queries: sp.csr_matrix,
    who: npt.NDArray[np.int64],
    postings: sp.csr_matrix,
    rows: npt.NDArray[np.int64],
    max_cells: int = 8_000_000,
    *,
    columns: sp.csc_matrix | None = None,
) -> npt.NDArray[np.float32]:
    """Cosine of TF-IDF rows ``queries[who[j]]`` and ``postings[rows[j]]`` for every pair ``j``.

    The distinct candidate postings, cut down to the features some query has, times the dense
    queries on those features: one small product instead of one per pair. Made in slices of
    queries so the dense block stays under ``max_cells``. Rows are L2-normalised. ``columns``
    is ``postings`` in CSC form (a caller that batches keeps it; made here when not given).
    """
    out = np.zeros(who.size, np.float32)
    if who.size == 0:
        return out
    if queries.shape[0] == 1:
        # One query (a service request): the candidates' rows times the dense query. The same
        # sums in the same order as below (a posting's terms in index order; the zeros of
        # features the query lacks add nothing), in a quarter of the time.
        dense = queries.toarray().ravel().astype(np.float32, copy=False)
        return rows_times(postings, rows, dense)
    if columns is None:
        columns = postings.tocsc()
    block, col = _narrowed(columns, rows, features := np.unique(queries.indices))
    dense_queries = queries[:, features].toarray()
    step = max(1, max_cells // max(1, block.shape[0]))
    if step >= queries.shape[0]:  # one slice (a nightly chunk): every pair, no masks
        sims = np.asarray(block @ dense_queries.T)  # distinct postings × queries
        out[:] = sims.ravel()[col * sims.shape[1] + who]
        return out
    for lo in range(0, queries.shape[0], step):
        hi = min(queries.shape[0], lo + step)
        mask = (who >= lo) & (who < hi)
        if mask.any():
            sims = np.asarray(block @ dense_queries[lo:hi].T)
            out[mask] = sims[col[mask], who[mask] - lo]
    return out


def _narrowed(
    columns: sp.csc_matrix, rows: npt.NDArray[np.int64], features: npt.NDArray[np.int32]
) -> tuple[sp.csr_matrix, npt.NDArray[np.int64]]:
    """The distinct ``rows`` (ascending) of the postings held column by column in ``columns``,
    cut down to the columns ``features`` (ascending, renumbered 0…), each row's terms in index
    order (as scipy's COO → CSR conversion orders them), and each pair's row in that block
    (``np.unique``'s inverse). Only the features' columns are read, not every term of every
    candidate; the distinct rows come from a mark per posting, not a sort of the pairs."""
    n = columns.shape[0]
    seen = np.zeros(n, np.bool_)
    seen[rows] = True
    distinct = np.flatnonzero(seen)
    local = np.zeros(n, np.int64)
    local[distinct] = np.arange(distinct.size)
    narrow = columns[:, features].tocsr()  # every posting's terms of the features, ascending
    indptr, indices, data = _gather(narrow, distinct)
    block = sp.csr_matrix((data, indices, indptr), shape=(distinct.size, features.size))
    block.has_sorted_indices = True
    return block, local[rows]


def _gather(
    matrix: sp.csr_matrix, rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The (indptr, indices, data) of ``matrix[rows]``, by scipy's row-gather kernel."""
    if _sparsetools is None:
        picked = matrix[rows]
        return picked.indptr, picked.indices, picked.data
    indptr = matrix.indptr
    picked = np.asarray(rows).astype(indptr.dtype, copy=False)
    if picked.size and (picked.min() < 0 or picked.max() >= matrix.shape[0]):
        raise IndexError("row index out of range")
    sizes = indptr[picked + 1] - indptr[picked]
    block_indptr = np.zeros(picked.size + 1, indptr.dtype)
    np.cumsum(sizes, out=block_indptr[1:])
    nnz = int(block_indptr[-1])
    indices, data = np.empty(nnz, matrix.indices.dtype), np.empty(nnz, matrix.data.dtype)
    _sparsetools.csr_row_index(picked.size, picked, indptr, matrix.indices, matrix.data,
                               indices, data)  # fmt: skip
    return block_indptr, indices, data


def rows_times(
    matrix: sp.csr_matrix, rows: npt.NDArray[np.int64], dense: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """``matrix[rows] @ dense`` as float32: the same kernels (scipy's row gather, then its
    matrix-vector product: each row's terms summed in index order in float32), so the same
    numbers, without building the gathered rows as a scipy matrix (for 400 rows of a
    100,000-posting corpus, 0.25 ms instead of 0.5)."""
    if _sparsetools is None or matrix.dtype != np.float32 or dense.dtype != np.float32:
        return np.asarray(matrix[rows] @ dense, np.float32)
    block_indptr, indices, data = _gather(matrix, rows)
    out = np.zeros(block_indptr.size - 1, np.float32)
    _sparsetools.csr_matvec(out.size, matrix.shape[1], block_indptr, indices, data, dense, out)
    return out
