"""Nearest-neighbour index over posting vectors: the only module that imports faiss.

Exact inner-product search (``IndexFlatIP``) up to ``exact_max`` vectors, IVF above it, where
exact search stops fitting the latency budget. Vectors are float32; callers normalise them.

The IVF has about √n lists (1,000 at 1M vectors), its k-means trained on a seeded sample of
``TRAIN_PER_LIST`` vectors per list: over 1M postings training on all of them with 4·√n lists
took 774 s of one CPU, the sample 46 s, and a search visiting the same share of the lists finds
as much of the exact top 1,600 (0.968 against 0.971, issue 17, docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

import numpy as np
import numpy.typing as npt

from matching.exceptions import ModelFormatError, NotFittedError

Kind = Literal["flat", "ivf"]
# An IVF search visits lists until about this many allowed vectors per wanted hit were compared…
SCANNED_PER_HIT = 10
# …but at most this share of the lists (a person whose filters pass 2 % of a 1M board would
# otherwise scan nearly all of it, 25 ms, for the few postings they allow). Over 1M postings,
# 1,600 candidates: recall@10 against the exhaustive scorer 0.963 with 0.3 and with 0.4, CPU
# p99 19.7 against 21.5 ms under load 9 (docs/benchmarks.md, issue 17)
MAX_PROBED_SHARE = 0.3
# k-means of the lists: at most this many training vectors per list (faiss wants 39 to 256),
# drawn by faiss with this seed, so the same vectors give the same index
TRAIN_PER_LIST = 256
TRAIN_SEED = 17


@dataclass(frozen=True, slots=True)
class RowBitmap:
    """Rows a search may return, packed as faiss's ``IDSelectorBitmap`` reads them: bit i of
    byte i // 8, least significant bit first. ``count`` is how many bits are set.

    A day's filters kept in this form (:class:`~matching.rank.filters.DayBitmaps`) combine
    with a few byte-wise operations instead of a pass over a mask of every posting.
    """

    bits: npt.NDArray[np.uint8]
    count: int

    @classmethod
    def of_mask(cls, mask: npt.NDArray[np.bool_]) -> RowBitmap:
        """The rows where ``mask`` (n,) is True."""
        mask = np.asarray(mask, np.bool_)
        return cls(np.packbits(mask, bitorder="little"), int(np.count_nonzero(mask)))

    @classmethod
    def of_rows(cls, rows: npt.NDArray[np.int64], n: int) -> RowBitmap:
        """Rows ``rows`` (distinct) of ``n``."""
        mask = np.zeros(n, np.bool_)
        mask[rows] = True
        return cls.of_mask(mask)

    def __and__(self, other: RowBitmap) -> RowBitmap:
        bits = np.bitwise_and(self.bits, other.bits)
        return RowBitmap(bits, int(np.bitwise_count(bits).sum(dtype=np.int64)))

    def without(self, rows: npt.NDArray[np.int64]) -> RowBitmap:
        """These rows less ``rows`` (a copy; rows not set or past the end change nothing)."""
        rows = np.asarray(rows, np.int64)
        rows = rows[(rows >= 0) & (rows < 8 * self.bits.size)]
        if rows.size == 0:
            return self
        bits = self.bits.copy()
        np.bitwise_and.at(bits, rows >> 3, ~np.left_shift(1, rows & 7).astype(np.uint8))
        return RowBitmap(bits, int(np.bitwise_count(bits).sum(dtype=np.int64)))

    def rows(self, n: int) -> npt.NDArray[np.int64]:
        """The rows set, ascending (``n``: the rows the bitmap covers)."""
        return np.flatnonzero(np.unpackbits(self.bits, count=n, bitorder="little")).astype(np.int64)


class VectorIndex:
    """A faiss index plus the row → id mapping is kept by the caller (ids are row numbers).

    Parameters
    ----------
    exact_max : int
        Largest size served by exact search.
    nprobe : int
        IVF lists visited per query, at least.
    train_per_list : int
        IVF training vectors per list, at most (a seeded sample above that).
    """

    def __init__(
        self, *, exact_max: int = 200_000, nprobe: int = 16, train_per_list: int = TRAIN_PER_LIST
    ) -> None:
        self.exact_max = exact_max
        self.nprobe = nprobe
        self.train_per_list = train_per_list

    def build(self, vectors: npt.NDArray[np.float32], *, kind: Kind | None = None) -> Self:
        """Index ``vectors`` (n, d). ``kind`` forces flat/ivf; by default chosen by size."""
        import faiss

        x = np.ascontiguousarray(vectors, dtype=np.float32)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValueError(f"need a non-empty (n, d) array, got shape {x.shape}")
        n, d = x.shape
        self.kind_: Kind = kind or ("flat" if n <= self.exact_max else "ivf")
        if self.kind_ == "flat":
            index = faiss.IndexFlatIP(d)
        else:
            # ~sqrt(n) lists, at least 39 training points per list (faiss warns below that).
            nlist = max(1, min(int(np.sqrt(n)), n // 39))
            quantizer = faiss.IndexFlatIP(d)
            index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
            # faiss's k-means draws the sample itself: at most this many vectors per list,
            # chosen with this seed (the same vectors give the same lists every build)
            index.cp.max_points_per_centroid = self.train_per_list
            index.cp.seed = TRAIN_SEED
            index.train(x)
            self.trained_on_ = min(n, self.train_per_list * nlist)
            index.nprobe = self.nprobe
        index.add(x)
        self._index = index
        return self

    @property
    def ntotal(self) -> int:
        self._check()
        return int(self._index.ntotal)

    @property
    def lists(self) -> int:
        """IVF lists (0 for a flat index)."""
        self._check()
        return int(getattr(self._index, "nlist", 0))

    def search(
        self,
        queries: npt.NDArray[np.float32],
        k: int,
        allowed: npt.NDArray[np.bool_] | RowBitmap | None = None,
    ) -> tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.float32]]]:
        """Top-``k`` rows per query, among the ``allowed`` rows when given: a mask (n,) or a
        :class:`RowBitmap` of the n rows (faiss skips the others while it searches, so they take
        no place in the top k).

        Returns
        -------
        tuple of (rows, scores)
            One array per query. faiss pads with -1 when it has fewer than k hits (faiss
            issue #1016); those are dropped, so arrays may be shorter than k.
        """
        self._check()
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, self.ntotal))
        if allowed is None and self.kind_ == "flat":
            D, I = self._index.search(q, k)  # noqa: E741, N806  (faiss names)
        else:
            D, I = self._index.search(q, k, params=self._params(allowed, k))  # noqa: E741, N806
        rows, scores = [], []
        for d_row, i_row in zip(D, I, strict=True):
            keep = i_row >= 0
            rows.append(i_row[keep].astype(np.int64))
            scores.append(d_row[keep].astype(np.float32))
        return rows, scores

    def _params(self, allowed: npt.NDArray[np.bool_] | RowBitmap | None, k: int):  # type: ignore[no-untyped-def]
        """faiss search parameters: the ``allowed`` rows selected (bit i of byte i // 8, least
        significant bit first, as ``IDSelectorBitmap`` reads it); over IVF, enough lists
        visited that about ``SCANNED_PER_HIT × k`` allowed vectors are compared (``nprobe`` at
        least, ``MAX_PROBED_SHARE`` of the lists at most): a search for 1,600 candidates among
        the 5 % of a 1M board that pass a person's filters visits 30 % of the lists."""
        import faiss

        keep: tuple[object, ...] = ()
        selector = None
        share = 1.0
        if allowed is not None:
            n = self.ntotal
            if not isinstance(allowed, RowBitmap):
                if allowed.shape != (n,):
                    raise ValueError(f"allowed must have shape ({n},), got {allowed.shape}")
                allowed = RowBitmap.of_mask(allowed)
            elif allowed.bits.size != (n + 7) // 8:
                raise ValueError(f"allowed must cover {n} rows, got {8 * allowed.bits.size} bits")
            bits = np.ascontiguousarray(allowed.bits, np.uint8)
            selector = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bits))
            keep, share = (bits, selector), max(allowed.count / n, 1e-6)
        if self.kind_ == "ivf":
            nlist = int(self._index.nlist)
            wanted = SCANNED_PER_HIT * k * nlist / (self.ntotal * share)
            cap = max(self.nprobe, int(np.ceil(MAX_PROBED_SHARE * nlist)))
            nprobe = int(min(nlist, cap, max(self.nprobe, np.ceil(wanted))))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        else:
            params = faiss.SearchParameters(sel=selector)
        params.keep_alive = keep  # faiss holds raw pointers to the bitmap and the selector
        return params

    def save(self, path: Path) -> Path:
        import faiss

        self._check()
        faiss.write_index(self._index, str(path))
        return path

    @classmethod
    def load(cls, path: Path, *, nprobe: int = 16) -> VectorIndex:
        import faiss

        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise ModelFormatError(f"cannot read faiss index {path}: {exc}") from exc
        self = cls(nprobe=nprobe)
        self._index = index
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = nprobe
            self.kind_ = "ivf"
        else:
            self.kind_ = "flat"
        return self

    def _check(self) -> None:
        if not hasattr(self, "_index"):
            raise NotFittedError("VectorIndex is empty. Call build() first.")
