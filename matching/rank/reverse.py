"""Reverse matching: from a posting to the persons to invite or push it to.

The registered persons of working age are indexed like postings (:meth:`fit_persons`); a
posting's query mirrors a person's, and the same scorer and reasons rank the persons found.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.exceptions import NotFittedError
from matching.rank.base import EngineBase
from matching.rank.profiles import Profile, build_profiles, recommendable
from matching.rank.reasons import explain
from matching.rank.scoring import TERMS, score_pairs
from matching.rank.tables import PersonTable
from matching.rank.vectors import person_vectors, posting_query
from matching.rank.words import distinct_words, shared_words
from matching.retrieve.index import VectorIndex
from matching.schemas import Person, PersonMatch


class ReverseMatching(EngineBase):
    """Postings → persons, for :class:`~matching.rank.engine.MatchingEngine`.

    Attributes (after fit_persons)
    ------------------------------
    persons_ : list[Person]            the indexed persons
    person_ids_ : list[str]
    person_districts_ : object array of each person's district
    person_profiles_ : list[Profile]
    person_table_ : PersonTable
    person_sparse_ : TF-IDF rows of the profiles' texts
    person_index_ : VectorIndex
    """

    persons_: list[Person]
    person_ids_: list[str]
    person_districts_: np.ndarray
    person_profiles_: list[Profile]
    person_table_: PersonTable
    person_sparse_: sp.csr_matrix
    person_index_: VectorIndex

    def fit_persons(self, persons: Sequence[Person], *, today: dt.date) -> Self:
        """Index the registered persons of working age for :meth:`candidates_for_posting`."""
        self._check()
        config = self.config_
        eligible = [p for p in persons if recommendable(p, today, config)]
        self.__dict__.pop("_fitted_texts", None)  # the previous persons' rows go
        self.persons_ = eligible
        self.person_ids_ = [p.id_number for p in eligible]
        self.person_districts_ = np.array([p.district for p in eligible], dtype=object)
        self.person_profiles_ = build_profiles(eligible, today=today)
        self.person_table_ = PersonTable.from_profiles(self.person_profiles_)
        if not eligible:
            return self
        texts = [pr.text for pr in self.person_profiles_]
        self.person_sparse_ = self.vectorizer_.transform_sparse(texts)
        text = self.vectorizer_.project(self.person_sparse_)
        self.__dict__["_fitted_texts"] = ({t: i for i, t in enumerate(texts)}, text)
        self.person_index_ = VectorIndex(exact_max=config.exact_index_max, nprobe=config.ivf_nprobe)
        self.person_index_.build(person_vectors(self.person_table_, text, config))
        return self

    def query_rows(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, npt.NDArray[np.float32]]:
        """The TF-IDF rows of profile ``texts`` and their projection (the text part of the
        retrieval query). A text :meth:`fit_persons` already transformed (a registered person's,
        as the service serves it) is read back, not transformed again: the same numbers, since
        a row depends on its text only."""
        fitted, projected = self.__dict__.get("_fitted_texts", ({}, None))
        rows = [fitted.get(t) for t in texts]
        if len(rows) == 1 and rows[0] is not None:  # one request: its row, sliced
            return _one_row(self.person_sparse_, rows[0]), projected[rows]
        if texts and None not in rows:
            return self.person_sparse_[rows], projected[rows]
        sparse = self.vectorizer_.transform_sparse(texts)
        return sparse, self.vectorizer_.project(sparse)

    def candidates_for_posting(
        self,
        posting_id: str,
        k: int = 50,
        *,
        today: dt.date | None = None,
        districts: Sequence[str] | None = None,
        id_numbers: Collection[str] | None = None,
        admit: Callable[[Sequence[str]], Collection[str]] | None = None,
    ) -> list[PersonMatch]:
        """Whom to invite or push ``posting_id`` to: persons ranked by the same scorer.

        ``districts`` restricts the persons to those districts in charge as they were when
        :meth:`fit_persons` ran; ``id_numbers`` restricts them to these persons. A service
        decides who may be shown from its database at the time of the request and passes
        ``id_numbers``: the fitted districts go stale when an import moves a person.

        ``admit`` decides instead on the ranked persons only: it gets the ID numbers of the
        best-ranked persons, a slice at a time in rank order, and returns those that may be
        shown (a service asks its database, so a scope of 200,000 persons is never read);
        more persons are ranked while fewer than ``k`` were admitted.
        """
        self._check()
        if not hasattr(self, "person_table_"):
            raise NotFittedError("No persons indexed. Call fit_persons() first.")
        if not self.person_ids_:
            return []
        config, today = self.config_, today or dt.date.today()
        row = self.row_of_[posting_id]
        posting = self.postings_[row]
        query = posting_query(self.table_, self.text_vectors_, row, config)
        keep = np.ones(len(self.person_ids_), dtype=bool)
        if districts is not None:
            keep &= np.isin(self.person_districts_, list(districts))
        if id_numbers is not None:
            allowed = id_numbers if isinstance(id_numbers, set | frozenset) else set(id_numbers)
            keep &= np.fromiter((p in allowed for p in self.person_ids_), bool, keep.size)
        n = self.person_index_.ntotal
        fetch = min(n, max(config.min_candidates, k * config.oversample))
        admitted: dict[str, bool] = {}  # ID number -> admitted, asked once per call
        while True:
            prow = self.person_index_.search(query[None, :], fetch)[0][0]
            prow = prow[keep[prow]]
            sims = np.asarray((self.person_sparse_[prow] @ self.sparse_[row].T).todense()).ravel()
            scored = score_pairs(
                self.person_table_,
                prow,
                self.table_,
                np.full(prow.shape, row, np.int64),
                sims,
                today=today,
                config=config,
            )
            prow = prow[scored.keep]
            order = sorted(
                range(prow.size),
                key=lambda j: (-float(scored.score[j]), self.person_ids_[prow[j]]),
            )
            if admit is not None:
                order = self._admitted(order, prow, k, admit, admitted)
            if len(order) >= k or fetch >= n:
                break
            fetch = min(n, fetch * 4)
        order = order[:k]
        out = []
        for j in order:
            profile = self.person_profiles_[int(prow[j])]
            dist = float(scored.distance_km[j])
            match = explain(
                profile,
                posting.model_copy(update={"id": posting_id}),
                values={t: float(scored.values[t][j]) for t in TERMS},
                distance_km=None if math.isnan(dist) else dist,
                today=today,
                config=config,
                shared_words=shared_words(distinct_words(profile.text), self.words_.of(row)),
                score=float(scored.score[j]),
            )
            out.append(
                PersonMatch(
                    id_number=self.person_ids_[int(prow[j])],
                    score=match.score,
                    terms=match.terms,
                    reasons=match.reasons,
                )
            )
        return out

    def _admitted(
        self,
        order: list[int],
        prow: npt.NDArray[np.int64],
        k: int,
        admit: Callable[[Sequence[str]], Collection[str]],
        admitted: dict[str, bool],
    ) -> list[int]:
        """The first ``k`` of ``order`` that ``admit`` lets through, asking about slices of
        the ranked ID numbers not asked before: 4 × ``k`` first, each next slice twice the
        last (a narrow scope is found in a few questions)."""
        kept: list[int] = []
        start, size = 0, 4 * k
        while len(kept) < k and start < len(order):
            chunk = order[start : start + size]
            start, size = start + size, 2 * size
            ids = [self.person_ids_[int(prow[j])] for j in chunk]
            ask = [p for p in ids if p not in admitted]
            if ask:
                yes = set(admit(ask))
                admitted.update((p, p in yes) for p in ask)
            kept.extend(j for j, p in zip(chunk, ids, strict=True) if admitted[p])
        return kept[:k]


def _one_row(matrix: sp.csr_matrix, row: int) -> sp.csr_matrix:
    """``matrix[[row]]``, the same matrix, without scipy's index checks and copies (a third of
    the cost of a service request's query, read back)."""
    lo, hi = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
    indptr = np.array([0, hi - lo], dtype=matrix.indptr.dtype)
    return sp.csr_matrix(
        (matrix.data[lo:hi].copy(), matrix.indices[lo:hi].copy(), indptr),
        shape=(1, matrix.shape[1]),
    )
