"""What every part of :class:`~matching.rank.engine.MatchingEngine` shares.

The config, the fitted attributes (set by ``fit`` or ``load``), the not-fitted check and the
width of the posting vectors (``dim_``). Reverse matching (:mod:`matching.rank.reverse`) and
save/load (:mod:`matching.rank.persistence`) build on it; the engine combines them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.config import MatchingConfig
from matching.exceptions import NotFittedError
from matching.rank.tables import PostingTable
from matching.rank.words import PostingWords
from matching.retrieve.index import VectorIndex
from matching.retrieve.vectorize import TextVectorizer
from matching.schemas import Posting


class EngineBase:
    """The config and fitted state of a matching engine (see ``MatchingEngine``)."""

    postings_: list[Posting]
    posting_ids_: list[str]
    row_of_: dict[str, int]
    vectorizer_: TextVectorizer
    sparse_: sp.csr_matrix
    text_vectors_: npt.NDArray[np.float32]
    table_: PostingTable
    words_: PostingWords
    index_: VectorIndex
    vectors_: npt.NDArray[np.float32]

    def __init__(self, config: MatchingConfig | None = None) -> None:
        self.config = config

    @property
    def config_(self) -> MatchingConfig:
        return self.config or MatchingConfig()

    @property
    def dim_(self) -> int:
        """Width of the fitted posting vectors: text, one per category, three for the place.

        Raises NotFittedError before ``fit`` or ``load``.
        """
        self._check()
        return int(self.vectors_.shape[1])

    def _check(self) -> None:
        if not hasattr(self, "index_"):
            raise NotFittedError("MatchingEngine is not fitted yet. Call fit() or load() first.")

    def _sparse_columns(self) -> sp.csc_matrix:
        """``sparse_`` column by column (what a batch's text similarities read: only the
        columns of its queries' terms), made on the first batch and kept while ``sparse_`` is
        the same matrix (a service's one-person requests never make it)."""
        kept = self.__dict__.get("_sparse_columns_cache")
        if kept is None or kept[0] is not self.sparse_:
            kept = self.__dict__["_sparse_columns_cache"] = (self.sparse_, self.sparse_.tocsc())
        return kept[1]
