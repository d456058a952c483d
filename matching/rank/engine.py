"""MatchingEngine: fit on postings, recommend explained top-N postings for a person.

The engine orchestrates the steps of :mod:`matching.rank`: a person becomes a profile
(:mod:`~matching.rank.profiles`) and a query (:mod:`~matching.rank.vectors`); the index and
the hard filters give candidates (:mod:`~matching.rank.candidates`), which are scored exactly
(:mod:`~matching.rank.scoring`) and the top k explained (:mod:`~matching.rank.reasons`).
Reverse matching and save/load come from :mod:`~matching.rank.reverse` and
:mod:`~matching.rank.persistence`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.exceptions import EmptyInputError
from matching.rank.candidates import excluded_pairs, pair_similarity, passing_top
from matching.rank.dayview import DayView
from matching.rank.explaining import Explaining
from matching.rank.filters import open_on
from matching.rank.learned import LearnedRanker
from matching.rank.persistence import EnginePersistence
from matching.rank.profiles import (
    Profile,
    build_profiles,
    make_profile,
    profile_text,
    recommendable,
)
from matching.rank.reposts import repost_groups
from matching.rank.reverse import ReverseMatching
from matching.rank.scoring import Scored, best_first, best_of_each, score_pairs
from matching.rank.tables import PersonTable, PostingTable
from matching.rank.vectors import posting_vectors, query_vector
from matching.rank.words import PostingWords
from matching.retrieve.index import VectorIndex
from matching.retrieve.vectorize import TextVectorizer
from matching.schemas import Education, Match, Person, Posting


class MatchingEngine(ReverseMatching, EnginePersistence, Explaining):
    """Rank postings for persons.

    Parameters
    ----------
    config : MatchingConfig, optional
        Weights and search settings.

    Attributes (after fit)
    ----------------------
    postings_ : list[Posting]
    posting_ids_ : list[str]
    vectorizer_ : TextVectorizer
    text_vectors_ : float32 array (n, d)
    table_ : PostingTable
    index_ : VectorIndex
    dim_ : int, the width of the posting vectors the index holds
    """

    # -- fitting -----------------------------------------------------------------------------
    def fit(
        self,
        postings: Sequence[Posting],
        *,
        tokens: Sequence[list[str]] | None = None,
        normalized: Sequence[str] | None = None,
    ) -> Self:
        """Vectorise and index ``postings``. Returns self.

        ``tokens`` and ``normalized`` may give each posting's ``tokenize(text)`` and
        ``normalize_text(text)`` (:mod:`matching.ingest.segment`); without ``tokens`` both are
        made here, each field segmented and normalised once."""
        config = self.config_.validate()
        if not postings:
            raise EmptyInputError("fit() needs at least one posting / 至少需要一个岗位")
        texts = [p.text for p in postings]
        if tokens is None:
            from matching.ingest.segment import normalized_texts, segment_fields, text_tokens

            words, fields = segment_fields(postings)
            tokens, normalized = text_tokens(words), normalized_texts(fields)
        for cache in ("_id_rank_cache", "_reason_parts_cache", "_day_views", "_fitted_texts"):
            self.__dict__.pop(cache, None)
        self.postings_ = list(postings)
        self.posting_ids_ = [p.id or str(i) for i, p in enumerate(postings)]
        self.row_of_ = {pid: i for i, pid in enumerate(self.posting_ids_)}
        self.vectorizer_ = TextVectorizer(config.svd_components)
        # Exact TF-IDF rows score text similarity in the re-rank; their SVD projection only
        # serves retrieval (on small corpora the projection is too coarse to rank with).
        self.sparse_ = self.vectorizer_.fit_sparse(texts, tokens, normalized)
        self.text_vectors_ = self.vectorizer_.project(self.sparse_)
        self.table_ = PostingTable.from_postings(self.postings_)
        self.table_.repost_group, self.table_.repost_rank = repost_groups(
            self.postings_, self.sparse_, config
        )
        self.words_ = PostingWords.from_tokens(tokens)
        self.index_ = VectorIndex(exact_max=config.exact_index_max, nprobe=config.ivf_nprobe)
        self.vectors_ = posting_vectors(self.table_, self.text_vectors_, config)
        self.index_.build(self.vectors_)
        return self

    # -- profiles ------------------------------------------------------------------------------
    def profile(
        self,
        person: Person,
        *,
        today: dt.date | None = None,
        exclude_posting_ids: Iterable[str] = (),
    ) -> Profile:
        """Build the ranking profile of ``person`` (inferred categories included)."""
        return self.profiles([person], today=today, exclude=[exclude_posting_ids])[0]

    def profiles(
        self,
        persons: Sequence[Person],
        *,
        today: dt.date | None = None,
        exclude: Sequence[Iterable[str]] | None = None,
    ) -> list[Profile]:
        """:meth:`profile` of many persons, with one classifier call for all of them.

        ``exclude[i]`` are the posting ids never to return to ``persons[i]``.
        """
        return build_profiles(persons, today=today or dt.date.today(), exclude=exclude)

    # -- recommending --------------------------------------------------------------------------
    def recommend(
        self,
        person: Person,
        k: int | None = None,
        *,
        today: dt.date | None = None,
        exclude_posting_ids: Iterable[str] = (),
    ) -> list[Match]:
        """Explained top-``k`` postings for ``person`` (empty unless the person is registered).

        Parameters
        ----------
        person : Person
        k : int, optional
            Defaults to ``config.k``.
        today : date, optional
            The day postings must be valid on (default: today).
        exclude_posting_ids : iterable of str
            Postings never to return (declined ones, recently pushed ones).
        """
        return self.recommend_many([person], k, today=today, exclude=[exclude_posting_ids])[0]

    def recommend_many(
        self,
        persons: Sequence[Person],
        k: int | None = None,
        *,
        today: dt.date | None = None,
        exclude: Sequence[Iterable[str]] | None = None,
    ) -> list[list[Match]]:
        """:meth:`recommend` of many persons, batched (one search and one product per batch).

        ``exclude[i]`` are the posting ids never to return to ``persons[i]``. Equal to the loop
        ``[recommend(p, k, …) for p in persons]``.
        """
        self._check()
        today = today or dt.date.today()
        skips = list(exclude) if exclude is not None else [()] * len(persons)
        todo = [i for i, p in enumerate(persons) if recommendable(p, today, self.config_)]
        profiles = self.profiles([persons[i] for i in todo], today=today,
                                 exclude=[skips[i] for i in todo])  # fmt: skip
        ranked = self.rank_many(profiles, k, today=today)
        out: list[list[Match]] = [[] for _ in persons]
        for i, profile, scored in zip(todo, profiles, ranked, strict=True):
            out[i] = self.explain_rows(profile, scored, today=today)
        return out

    def recommend_profile(
        self, profile: Profile, k: int | None = None, *, today: dt.date | None = None
    ) -> list[Match]:
        """Explained top-``k`` for an already built (or ad-hoc) profile."""
        today = today or dt.date.today()
        return self.explain_rows(profile, self.rank_many([profile], k, today=today)[0], today=today)

    def recommend_fitted(
        self,
        row: int,
        k: int | None = None,
        *,
        today: dt.date,
        exclude_posting_ids: Iterable[str] = (),
    ) -> list[Match]:
        """:meth:`recommend_profile` of ``person_profiles_[row]`` (the profile
        :meth:`fit_persons` built; the caller checks it still holds ``today``) without the
        postings ``exclude_posting_ids``. Reads the person's :class:`PersonTable` row that
        :meth:`fit_persons` made instead of making it again: the same matches."""
        profile = dataclasses.replace(
            self.person_profiles_[row], exclude_posting_ids=frozenset(exclude_posting_ids)
        )
        persons = _person_rows(self.person_table_, slice(row, row + 1))
        scored = self.rank_many([profile], k, today=today, persons=persons)[0]
        return self.explain_rows(profile, scored, today=today)

    def rank_many(
        self,
        profiles: Sequence[Profile],
        k: int | None = None,
        *,
        today: dt.date | None = None,
        batch_size: int = 512,
        persons: PersonTable | None = None,
    ) -> list[Scored]:
        """The top-``k`` scored posting rows of each profile, best first, not yet explained.

        Each profile's candidates are its ``max(min_candidates, k·oversample)`` (over an IVF
        index ``ivf_min_candidates`` instead of ``min_candidates``) best postings by
        retrieval score among those that pass its hard filters and exclusions (exact search
        over a flat index); the exact scorer ranks them. Over an IVF index (approximate, for
        very large corpora) the index is searched among the passing postings, and a profile
        left with fewer than ``k`` is searched again with four times the candidates, until the
        whole index was searched. Ties are broken by posting id, so the order is the same every
        run and in any batch. ``Scored.rows`` are posting rows. ``persons`` is
        ``PersonTable.from_profiles(profiles)`` when the caller holds it.
        """
        self._check()
        config = self.config_
        k = k or config.k
        today = today or dt.date.today()
        ranker = self.__dict__.get("reranker_")
        pool = k if ranker is None else k * config.oversample  # a learned ranker reorders more
        out: list[Scored] = []
        for start in range(0, len(profiles), batch_size):
            part = slice(start, start + batch_size)
            table = None if persons is None else _person_rows(persons, part)
            out.extend(self._rank_batch(profiles[part], pool, today, table))
        if ranker is not None:
            out = [ranker.rerank(s, self.posting_ids_, k) for s in out]
        return out

    def set_reranker(self, ranker: LearnedRanker | None) -> None:
        """Serve ``ranker`` (a promoted learned ranker, :mod:`matching.rank.learned`) over the
        passing candidates, or the hand weights of the config when None."""
        self.__dict__["reranker_"] = ranker

    def _rank_batch(
        self,
        profiles: Sequence[Profile],
        k: int,
        today: dt.date,
        persons: PersonTable | None = None,
    ) -> list[Scored]:
        config = self.config_
        if not profiles:
            return []
        q_sparse, text_vecs = self.query_rows([p.text for p in profiles])
        queries = np.stack(
            [query_vector(p, v, config) for p, v in zip(profiles, text_vecs, strict=True)]
        )
        if persons is None:
            persons = PersonTable.from_profiles(profiles)
        excluded = excluded_pairs(profiles, self.row_of_, self.index_.ntotal)
        results: list[Scored | None] = [None] * len(profiles)
        n = self.index_.ntotal
        ivf = self.index_ if self.index_.kind_ == "ivf" else None  # searched among the passing
        least = config.min_candidates if ivf is None else config.ivf_min_candidates
        fetch = min(n, max(least, k * config.oversample))
        pending = np.arange(len(profiles))
        view = self._day_view(today)
        while pending.size:
            who, rows = passing_top(queries, persons, pending, excluded, fetch, view=view, n=n,
                                    config=config, index=ivf)  # fmt: skip
            if ivf is None:
                fetch = n  # every posting that passes was considered: nothing to fetch again
            sims = pair_similarity(q_sparse, who, self.sparse_, rows,
                                   columns=self._sparse_columns() if len(profiles) > 1 else None)  # fmt: skip
            opened = view.opened
            scored = score_pairs(persons, who, self.table_, rows, sims, today=today,
                                 config=config, opened=opened, filtered=True)  # fmt: skip
            kept_who = who[scored.keep]
            # best first within each profile: score desc, then posting id
            order = best_first(kept_who, scored.score, self._id_rank()[rows[scored.keep]])
            kept_who = kept_who[order]
            bounds = (
                np.searchsorted(kept_who, pending, side="left"),
                np.searchsorted(kept_who, pending, side="right"),
            )
            found = bounds[1] - bounds[0]
            again = (found < k) & (fetch < n)
            done = np.flatnonzero(~again)
            heads = best_of_each(scored, rows, order, bounds[0][done], np.minimum(found[done], k))
            for i, head in zip(pending[done].tolist(), heads, strict=True):
                results[i] = head
            pending = pending[again]
            fetch = min(n, fetch * 4)
        return [r for r in results if r is not None]

    def prepare_day(self, today: dt.date) -> int:
        """Make ``today``'s recommendations pay only for themselves: build the day's view of
        the open postings and the reason parts of every one of them (once; a service does at
        load, so no request parses the postings it shows first). Returns how many reason parts
        were built. Over an IVF index (very large boards) only the reasons are built."""
        self._check()
        if self.index_.kind_ == "flat":
            rows = self._day_view(today).rows.tolist()
        else:
            rows = np.flatnonzero(open_on(self.table_, today)).tolist()
        return self.prepare_reasons(rows)

    def _day_view(self, today: dt.date) -> DayView:
        """The postings open on ``today`` (:class:`DayView`), built once per day; the views of
        the last two days asked for are kept (the service's today, a batch's day)."""
        views: dict[dt.date, DayView] = self.__dict__.setdefault("_day_views", {})
        view = views.get(today)
        if view is None:
            view = DayView.of(self.table_, self.vectors_, today)
            for old in list(views)[: max(0, len(views) - 1)]:
                views.pop(old, None)
            views[today] = view
        return view

    def _id_rank(self) -> npt.NDArray[np.int64]:
        """Rank of each posting row's id in sorted order (the tie-break of equal scores)."""
        rank = self.__dict__.get("_id_rank_cache")
        if rank is None:
            order = sorted(range(len(self.posting_ids_)), key=self.posting_ids_.__getitem__)
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            self.__dict__["_id_rank_cache"] = rank
        return rank

    def recommend_adhoc(
        self,
        *,
        wanted_categories: Sequence[str] = (),
        skills: str = "",
        positions: Sequence[str] = (),
        expected_pay: str = "",
        residential_address: str = "",
        location_requirement: str = "",
        education: str = "",
        age: int | None = None,
        k: int = 10,
        today: dt.date | None = None,
    ) -> list[Match]:
        """Explained top-``k`` for a walk-in job seeker described by plain fields (not stored)."""
        from matching.domain.categories import parse_categories
        from matching.understand.classifier import infer_person_categories
        from matching.understand.location import parse_location
        from matching.understand.requirements import parse_education
        from matching.understand.salary import parse_expected_pay

        ticked = parse_categories("、".join(wanted_categories))
        home = parse_location(residential_address) if residential_address else None
        profile = make_profile(
            ticked=ticked,
            inferred=infer_person_categories(skills, list(positions)),
            expected_pay=parse_expected_pay(expected_pay),
            home=home,
            location_requirement=location_requirement,
            education=parse_education(education) or Education.NONE,
            age=age,
            text=profile_text(ticked, skills, positions),
            skills=skills,
        )
        return self.recommend_profile(profile, k, today=today)

    def posting(self, posting_id: str) -> Posting:
        """The fitted posting with that id (KeyError if unknown)."""
        self._check()
        return self.postings_[self.row_of_[posting_id]]


def _person_rows(table: PersonTable, rows: slice) -> PersonTable:
    """The rows ``rows`` of a :class:`PersonTable` (every column sliced alike)."""
    return PersonTable(
        **{f.name: getattr(table, f.name)[rows] for f in dataclasses.fields(PersonTable)}
    )


def categories_of(matches: Sequence[Match], engine: MatchingEngine) -> list[Category | None]:
    """The category of each matched posting (handy in tests and reports)."""
    return [engine.posting(m.posting_id).category for m in matches]
