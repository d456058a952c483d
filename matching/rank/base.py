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
