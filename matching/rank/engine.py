"""MatchingEngine: fit on postings, recommend explained top-N postings for a person.

Retrieval vector of a posting = [text (SVD of TF-IDF), a·one-hot(category), location block];
a person's query = [profile text, a·multi-hot(wanted), location block]. The location block makes
the inner product fall with squared planar distance (the "L2 as inner product" lift), so a faiss
inner-product search already prefers relevant postings of the wanted categories close to home.
The candidates are then filtered and scored exactly by :mod:`matching.rank.ranking`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.config import MatchingConfig
from matching.domain.categories import ALL as ALL_CATEGORIES
from matching.domain.categories import Category
from matching.exceptions import EmptyInputError, ModelFormatError, NotFittedError
from matching.rank import ranking
from matching.rank.ranking import PostingTable, Profile
from matching.retrieve.index import VectorIndex
from matching.retrieve.vectorize import TextVectorizer
from matching.schemas import Education, Match, Person, PersonMatch, PersonStatus, Posting

FORMAT_VERSION = 2  # 2: posting words saved (1 is still read: they are segmented at load)
_READABLE_VERSIONS = (1, 2)
_N_CAT = len(ALL_CATEGORIES)
_CAT_INDEX = {c: i for i, c in enumerate(ALL_CATEGORIES)}
# Planar projection around Tianjin's centre (km per degree at 39.1°N).
_LAT0, _LON0 = 39.12, 117.20
_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * math.cos(math.radians(_LAT0))


def _location_rows(
    lat: npt.NDArray[np.float32], lon: npt.NDArray[np.float32], scale: float
) -> npt.NDArray[np.float32]:
    """Indexed side of the location block: ``[s·x, s·y, -s²(x²+y²)/2]`` in planar km.

    Against a query ``[s·x', s·y', 1]`` the inner product is ``-s²/2 · (d² - |q|²)``: it falls
    with the squared distance d. Unknown places sit at the city centre.
    """
    lat64 = np.where(np.isnan(lat), _LAT0, lat).astype(np.float64)
    lon64 = np.where(np.isnan(lon), _LON0, lon).astype(np.float64)
    x, y = (lon64 - _LON0) * _KM_PER_DEG_LON, (lat64 - _LAT0) * _KM_PER_DEG_LAT
    block = np.stack([scale * x, scale * y, -(scale**2) * (x**2 + y**2) / 2], axis=1)
    return block.astype(np.float32)


def _location_query(lat: float | None, lon: float | None, scale: float) -> npt.NDArray[np.float32]:
    """Query side of the location block; zeros (no preference) when the place is unknown."""
    if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return np.zeros(3, np.float32)
    x, y = (lon - _LON0) * _KM_PER_DEG_LON, (lat - _LAT0) * _KM_PER_DEG_LAT
    return np.array([scale * x, scale * y, 1.0], np.float32)


class MatchingEngine:
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
    """

    def __init__(self, config: MatchingConfig | None = None) -> None:
        self.config = config

    @property
    def config_(self) -> MatchingConfig:
        return self.config or MatchingConfig()

    # -- fitting -----------------------------------------------------------------------------
    def fit(
        self, postings: Sequence[Posting], *, tokens: Sequence[list[str]] | None = None
    ) -> Self:
        """Vectorise and index ``postings``. Returns self."""
        config = self.config_.validate()
        if not postings:
            raise EmptyInputError("fit() needs at least one posting / 至少需要一个岗位")
        texts = [p.text for p in postings]
        if tokens is None:
            from matching.understand.text import tokenize

            tokens = [tokenize(t) for t in texts]
        for cache in ("_id_rank_cache", "_reason_parts_cache", "_units_cache"):  # refit drops them
            self.__dict__.pop(cache, None)
        self.postings_ = list(postings)
        self.posting_ids_ = [p.id or str(i) for i, p in enumerate(postings)]
        self.row_of_ = {pid: i for i, pid in enumerate(self.posting_ids_)}
        self.vectorizer_ = TextVectorizer(config.svd_components).fit(texts, tokens)
        # Exact TF-IDF rows score text similarity in the re-rank; their SVD projection only
        # serves retrieval (on small corpora the projection is too coarse to rank with).
        self.sparse_ = self.vectorizer_.transform_sparse(texts, tokens)
        self.text_vectors_ = self.vectorizer_.project(self.sparse_)
        self.table_ = PostingTable.from_postings(self.postings_)
        self.words_ = _PostingWords.from_tokens(tokens)
        self.index_ = VectorIndex(exact_max=config.exact_index_max, nprobe=config.ivf_nprobe)
        self.vectors_ = self._posting_vectors()
        self.index_.build(self.vectors_)
        return self

    def _posting_vectors(self) -> npt.NDArray[np.float32]:
        t = self.table_
        n = t.category.shape[0]
        cat = np.zeros((n, _N_CAT), np.float32)
        has = t.category >= 0
        cat[np.flatnonzero(has), t.category[has].astype(np.int64)] = (
            self.config_.retrieval_category_boost
        )
        loc = _location_rows(t.lat, t.lon, self.config_.retrieval_location_scale)
        return np.ascontiguousarray(np.hstack([self.text_vectors_, cat, loc]), dtype=np.float32)

    def _query_vector(
        self, profile: Profile, text_vec: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float32]:
        cat = np.zeros(_N_CAT, np.float32)
        for c in profile.inferred:
            cat[_CAT_INDEX[c]] = self.config_.category_inferred
        for c in profile.ticked:
            cat[_CAT_INDEX[c]] = 1.0
        loc = _location_query(profile.lat, profile.lon, self.config_.retrieval_location_scale)
        return np.concatenate([text_vec, cat, loc]).astype(np.float32)

    def _check(self) -> None:
        if not hasattr(self, "index_"):
            raise NotFittedError("MatchingEngine is not fitted yet. Call fit() or load() first.")

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
        from matching.understand.classifier import infer_person_categories_many

        today = today or dt.date.today()
        inferred = infer_person_categories_many(
            [(p.skills, [w.position for w in p.work_history]) for p in persons]
        )
        skips = exclude if exclude is not None else [()] * len(persons)
        return [
            ranking.build_profile(p, today=today, inferred=inf, exclude_posting_ids=list(skip))
            for p, inf, skip in zip(persons, inferred, skips, strict=True)
        ]

    # -- recommending --------------------------------------------------------------------------
    def _recommendable(self, person: Person, today: dt.date) -> bool:
        from matching.domain.retirement import of_working_age  # the one retirement rule

        return person.status == PersonStatus.REGISTERED and of_working_age(
            person.birth_date, person.gender, today, min_age=self.config_.min_working_age,
            female_baseline=self.config_.female_retirement_baseline,
        )  # fmt: skip

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
        todo = [i for i, p in enumerate(persons) if self._recommendable(p, today)]
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

    def rank_many(
        self,
        profiles: Sequence[Profile],
        k: int | None = None,
        *,
        today: dt.date | None = None,
        batch_size: int = 512,
    ) -> list[ranking.Scored]:
        """The top-``k`` scored posting rows of each profile, best first, not yet explained.

        Each profile's candidates are its ``max(min_candidates, k·oversample)`` best postings by
        retrieval score among those that pass its hard filters and exclusions (exact search
        over a flat index); the exact scorer ranks them. Over an IVF index (approximate, for
        very large corpora) the index's top candidates are filtered afterwards, and a profile
        left with fewer than ``k`` is searched again with four times the candidates, until the
        whole index was searched. Ties are broken by posting id, so the order is the same every
        run and in any batch. ``Scored.rows`` are posting rows.
        """
        self._check()
        config = self.config_
        k = k or config.k
        today = today or dt.date.today()
        out: list[ranking.Scored] = []
        for start in range(0, len(profiles), batch_size):
            out.extend(self._rank_batch(profiles[start : start + batch_size], k, today))
        return out

    def _rank_batch(
        self, profiles: Sequence[Profile], k: int, today: dt.date
    ) -> list[ranking.Scored]:
        config = self.config_
        if not profiles:
            return []
        q_sparse = self.vectorizer_.transform_sparse([p.text for p in profiles])
        text_vecs = self.vectorizer_.project(q_sparse)
        queries = np.stack(
            [self._query_vector(p, v) for p, v in zip(profiles, text_vecs, strict=True)]
        )
        persons = ranking.PersonTable.from_profiles(profiles)
        excluded = self._excluded_pairs(profiles)
        results: list[ranking.Scored | None] = [None] * len(profiles)
        n = self.index_.ntotal
        fetch = min(n, max(config.min_candidates, k * config.oversample))
        pending = np.arange(len(profiles))
        while pending.size:
            if self.index_.kind_ == "flat":
                who, rows = self._passing_top(queries, persons, pending, excluded, fetch, today)
                fetch = n  # every posting that passes was considered: nothing to fetch again
            else:
                who, rows = self._searched(queries, pending, excluded, fetch)
            sims = _pair_similarity(q_sparse, who, self.sparse_, rows)
            scored = ranking.score_pairs(
                persons, who, self.table_, rows, sims, today=today, config=config
            )
            kept_who = who[scored.keep]
            # best first within each profile: score desc, then posting id
            order = np.lexsort((self._id_rank()[rows[scored.keep]], -scored.score, kept_who))
            kept_who = kept_who[order]
            bounds = (
                np.searchsorted(kept_who, pending, side="left"),
                np.searchsorted(kept_who, pending, side="right"),
            )
            again = []
            for i, lo, hi in zip(pending.tolist(), *bounds, strict=True):
                if hi - lo < k and fetch < n:
                    again.append(i)
                    continue
                pick = order[lo : min(hi, lo + k)]
                results[i] = ranking.Scored(
                    keep=rows[scored.keep[pick]],
                    values={t: v[pick] for t, v in scored.values.items()},
                    score=scored.score[pick],
                    distance_km=scored.distance_km[pick],
                )
            pending = np.array(again, dtype=np.int64)
            fetch = min(n, fetch * 4)
        return [r for r in results if r is not None]

    def _searched(
        self,
        queries: npt.NDArray[np.float32],
        pending: npt.NDArray[np.int64],
        excluded: npt.NDArray[np.int64],
        fetch: int,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(profile, posting row) pairs of the index's top-``fetch`` (IVF: approximate)."""
        n = self.index_.ntotal
        rows_list, _ = self.index_.search(queries[pending], fetch)
        who = np.repeat(pending, [r.size for r in rows_list])
        rows = np.concatenate(rows_list)
        if excluded.size:
            keep = ~np.isin(who * n + rows, excluded)
            who, rows = who[keep], rows[keep]
        return who, rows

    def _passing_top(
        self,
        queries: npt.NDArray[np.float32],
        persons: ranking.PersonTable,
        pending: npt.NDArray[np.int64],
        excluded: npt.NDArray[np.int64],
        fetch: int,
        today: dt.date,
        max_cells: int = 4_000_000,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(profile, posting row) pairs: each profile's top-``fetch`` postings by retrieval score
        among those that pass its hard filters and exclusions (exact search).

        Filtering before the cut means a person whose filters leave few postings still gets
        the best of them, in one pass. Equal retrieval scores at the cut are taken in row order,
        so a profile's candidates do not depend on the other profiles of the batch.
        """
        n = self.index_.ntotal
        units = self.__dict__.get("_units_cache")
        if units is None:
            units = self.__dict__["_units_cache"] = ranking.unit_vectors(
                self.table_.lat, self.table_.lon
            )
        step = max(1, max_cells // n)
        whos, rowss = [], []
        for lo in range(0, pending.size, step):
            block = pending[lo : lo + step]
            keep = ranking.passing(persons, block, self.table_, today=today,
                                   config=self.config_, posting_units=units)  # fmt: skip
            if excluded.size:
                first, last = block[0] * n, (block[-1] + 1) * n
                cut = excluded[(excluded >= first) & (excluded < last)]
                mine = np.isin(cut // n, block)
                position = np.searchsorted(block, cut[mine] // n)
                keep[position, cut[mine] % n] = False
            if fetch < n:
                keep = _top_passing(queries[block] @ self.vectors_.T, keep, fetch)
            where, rows = np.nonzero(keep)
            whos.append(block[where])
            rowss.append(rows.astype(np.int64))
        return np.concatenate(whos), np.concatenate(rowss)

    def _excluded_pairs(self, profiles: Sequence[Profile]) -> npt.NDArray[np.int64]:
        """``profile × n + posting row`` of every excluded (declined, recently pushed) pair."""
        n = self.index_.ntotal
        keys = [
            i * n + self.row_of_[pid]
            for i, p in enumerate(profiles)
            for pid in p.exclude_posting_ids
            if pid in self.row_of_
        ]
        return np.array(sorted(keys), dtype=np.int64)

    def _id_rank(self) -> npt.NDArray[np.int64]:
        """Rank of each posting row's id in sorted order (the tie-break of equal scores)."""
        rank = self.__dict__.get("_id_rank_cache")
        if rank is None:
            order = sorted(range(len(self.posting_ids_)), key=self.posting_ids_.__getitem__)
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            self.__dict__["_id_rank_cache"] = rank
        return rank

    def explain_rows(
        self, profile: Profile, scored: ranking.Scored, *, today: dt.date
    ) -> list[Match]:
        """The :class:`Match` (terms and Chinese reasons) of each row of :meth:`rank_many`."""
        values = {t: v.tolist() for t, v in scored.values.items()}
        score = scored.score.tolist()
        return [
            ranking.explain(
                profile,
                self.postings_[row],
                values={t: values[t][j] for t in ranking.TERMS},
                distance_km=dist,
                today=today,
                config=self.config_,
                shared_words=shared,
                score=score[j],
                parts=self._reason_parts(row),
                posting_id=self.posting_ids_[row],
            )
            for j, row, dist, shared in self._row_facts(profile, scored)
        ]

    def reasons_rows(
        self, profile: Profile, scored: ranking.Scored, *, today: dt.date
    ) -> list[list[str]]:
        """Only the Chinese reasons of each row of :meth:`rank_many` (what a push list prints)."""
        parts_of, reasons = self._reason_parts, ranking.reasons_from_parts
        return [
            reasons(profile, parts_of(row), distance_km=dist, today=today, shared_words=shared)[0]
            for _, row, dist, shared in self._row_facts(profile, scored)
        ]

    def _reason_parts(self, row: int) -> ranking.ReasonParts:
        """The posting side of the reasons of posting ``row``, built once per row."""
        cache = self.__dict__.setdefault("_reason_parts_cache", {})
        parts = cache.get(row)
        if parts is None:
            parts = cache[row] = ranking.ReasonParts.of(self.postings_[row], self.config_)
        return parts

    def _row_facts(
        self, profile: Profile, scored: ranking.Scored
    ) -> Iterable[tuple[int, int, float | None, list[str]]]:
        """(pair index, posting row, distance or None, words shared with the profile)."""
        profile_words = _words(profile.text)
        words_of = self.words_.of
        rows, distances = scored.rows.tolist(), scored.distance_km.tolist()
        for j, (row, dist) in enumerate(zip(rows, distances, strict=True)):
            shared = _shared_words(profile_words, words_of(row))
            yield j, row, None if math.isnan(dist) else dist, shared

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
        profile = ranking.make_profile(
            ticked=ticked,
            inferred=infer_person_categories(skills, list(positions)),
            expected_pay=parse_expected_pay(expected_pay),
            home=home,
            location_requirement=location_requirement,
            education=parse_education(education) or Education.NONE,
            age=age,
            text=ranking.profile_text(ticked, skills, positions),
        )
        return self.recommend_profile(profile, k, today=today)

    # -- reverse matching: postings → persons ---------------------------------------------------
    def fit_persons(self, persons: Sequence[Person], *, today: dt.date) -> Self:
        """Index the registered persons of working age for :meth:`candidates_for_posting`."""
        self._check()
        config = self.config_
        eligible = [p for p in persons if self._recommendable(p, today)]
        self.persons_ = eligible
        self.person_ids_ = [p.id_number for p in eligible]
        self.person_districts_ = np.array([p.district for p in eligible], dtype=object)
        self.person_profiles_ = self.profiles(eligible, today=today)
        self.person_table_ = ranking.PersonTable.from_profiles(self.person_profiles_)
        if not eligible:
            return self
        self.person_sparse_ = self.vectorizer_.transform_sparse(
            [pr.text for pr in self.person_profiles_]
        )
        text = self.vectorizer_.project(self.person_sparse_)
        t = self.person_table_
        cat = np.where(t.ticked, 1.0, np.where(t.inferred, config.category_inferred, 0.0))
        loc = _location_rows(t.lat, t.lon, config.retrieval_location_scale)
        vectors = np.hstack([text, cat.astype(np.float32), loc])
        self.person_index_ = VectorIndex(exact_max=config.exact_index_max, nprobe=config.ivf_nprobe)
        self.person_index_.build(np.ascontiguousarray(vectors, dtype=np.float32))
        return self

    def candidates_for_posting(
        self,
        posting_id: str,
        k: int = 50,
        *,
        today: dt.date | None = None,
        districts: Sequence[str] | None = None,
    ) -> list[PersonMatch]:
        """Whom to invite or push ``posting_id`` to: persons ranked by the same scorer.

        ``districts`` restricts the persons to those districts in charge (a caseworker's own).
        """
        self._check()
        if not hasattr(self, "person_table_"):
            raise NotFittedError("No persons indexed. Call fit_persons() first.")
        if not self.person_ids_:
            return []
        config, today = self.config_, today or dt.date.today()
        row = self.row_of_[posting_id]
        posting = self.postings_[row]
        query = self._posting_query(row)
        allowed = set(districts) if districts is not None else None
        n = self.person_index_.ntotal
        fetch = min(n, max(config.min_candidates, k * config.oversample))
        while True:
            prow = self.person_index_.search(query[None, :], fetch)[0][0]
            if allowed is not None:
                prow = prow[np.isin(self.person_districts_[prow], list(allowed))]
            sims = np.asarray((self.person_sparse_[prow] @ self.sparse_[row].T).todense()).ravel()
            scored = ranking.score_pairs(
                self.person_table_,
                prow,
                self.table_,
                np.full(prow.shape, row, np.int64),
                sims,
                today=today,
                config=config,
            )
            if scored.keep.size >= k or fetch >= n:
                break
            fetch = min(n, fetch * 4)
        prow = prow[scored.keep]
        order = sorted(
            range(prow.size), key=lambda j: (-float(scored.score[j]), self.person_ids_[prow[j]])
        )[:k]
        out = []
        for j in order:
            profile = self.person_profiles_[int(prow[j])]
            dist = float(scored.distance_km[j])
            match = ranking.explain(
                profile,
                posting.model_copy(update={"id": posting_id}),
                values={t: float(scored.values[t][j]) for t in ranking.TERMS},
                distance_km=None if math.isnan(dist) else dist,
                today=today,
                config=config,
                shared_words=_shared_words(_words(profile.text), self._posting_words(row)),
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

    def _posting_query(self, row: int) -> npt.NDArray[np.float32]:
        """The reverse-search query of posting ``row``: mirror of :meth:`_query_vector`."""
        t = self.table_
        cat = np.zeros(_N_CAT, np.float32)
        if t.category[row] >= 0:
            cat[int(t.category[row])] = self.config_.retrieval_category_boost
        loc = _location_query(
            float(t.lat[row]), float(t.lon[row]), self.config_.retrieval_location_scale
        )
        return np.concatenate([self.text_vectors_[row], cat, loc]).astype(np.float32)

    def _posting_words(self, row: int) -> frozenset[str]:
        """Words (2+ characters) of a posting's title and description (segmented at fit)."""
        return self.words_.of(row)

    def posting(self, posting_id: str) -> Posting:
        """The fitted posting with that id (KeyError if unknown)."""
        self._check()
        return self.postings_[self.row_of_[posting_id]]

    # -- persistence ---------------------------------------------------------------------------
    def save(self, directory: Path) -> Path:
        """Write the fitted engine to ``directory`` with a checksummed ``manifest.json``."""
        self._check()
        directory.mkdir(parents=True, exist_ok=True)
        files = self.vectorizer_.save(directory)
        np.savez(
            directory / "vectors.npz",
            text=self.text_vectors_,
            sparse_data=self.sparse_.data,
            sparse_indices=self.sparse_.indices,
            sparse_indptr=self.sparse_.indptr,
            sparse_shape=np.array(self.sparse_.shape, np.int64),
            **self.words_.arrays(),
            **self.table_.arrays(),
        )
        files.append(directory / "vectors.npz")
        files.append(self.index_.save(directory / "index.faiss"))
        postings = directory / "postings.jsonl"
        with postings.open("w", encoding="utf-8") as f:
            for pid, p in zip(self.posting_ids_, self.postings_, strict=True):
                f.write(p.model_copy(update={"id": pid}).model_dump_json() + "\n")
        files.append(postings)
        manifest = {
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "config": {k: v for k, v in self.config_.to_dict().items() if k != "extra"},
            "postings": len(self.postings_),
            "index_kind": self.index_.kind_,
            "files": {p.name: _sha256(p) for p in files},
        }
        (directory / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return directory

    @classmethod
    def load(cls, directory: Path) -> MatchingEngine:
        """Load a saved engine; refuses unknown versions and files whose checksum differs."""
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFormatError(f"cannot read {manifest_path}: {exc}") from exc
        if manifest.get("format_version") not in _READABLE_VERSIONS:
            raise ModelFormatError(
                f"索引格式不受支持，请重建索引 / engine format "
                f"{manifest.get('format_version')!r} in {manifest_path} is not one of "
                f"{_READABLE_VERSIONS}: rebuild the index (songgang index build)"
            )
        for name, digest in manifest["files"].items():
            path = directory / name
            if not path.exists() or _sha256(path) != digest:
                raise ModelFormatError(
                    f"{path} is missing or its checksum differs from the manifest"
                )
        config = MatchingConfig.from_dict(manifest["config"])
        self = cls(config)
        self.vectorizer_ = TextVectorizer.load(directory)
        arrays = np.load(directory / "vectors.npz", allow_pickle=False)
        self.text_vectors_ = np.ascontiguousarray(arrays["text"], dtype=np.float32)
        self.sparse_ = sp.csr_matrix(
            (arrays["sparse_data"], arrays["sparse_indices"], arrays["sparse_indptr"]),
            shape=tuple(arrays["sparse_shape"]),
        )
        self.table_ = PostingTable(**{f: arrays[f] for f in PostingTable.__slots__})  # type: ignore[attr-defined]
        words = _PostingWords.from_arrays(arrays) if "words_ids" in arrays else None
        self.index_ = VectorIndex.load(directory / "index.faiss", nprobe=config.ivf_nprobe)
        self.vectors_ = self._posting_vectors()
        with (directory / "postings.jsonl").open(encoding="utf-8") as f:
            self.postings_ = [Posting.model_validate_json(line) for line in f]
        self.posting_ids_ = [p.id for p in self.postings_]
        self.row_of_ = {pid: i for i, pid in enumerate(self.posting_ids_)}
        if words is None:  # a format-1 snapshot: segment the postings now
            from matching.understand.text import tokenize

            words = _PostingWords.from_tokens([tokenize(p.text) for p in self.postings_])
        self.words_ = words
        return self


def _top_passing(
    scores: npt.NDArray[np.float32], keep: npt.NDArray[np.bool_], fetch: int
) -> npt.NDArray[np.bool_]:
    """Mask of each row's ``fetch`` best ``scores`` among its ``keep`` cells (ties: first)."""
    scores = np.where(keep, scores, -np.inf)
    n = scores.shape[1]
    cut = np.partition(scores, n - fetch, axis=1)[:, n - fetch : n - fetch + 1]
    top = scores > cut
    tied = keep & (scores == cut)
    room = fetch - top.sum(axis=1)
    crowded = np.flatnonzero(tied.sum(axis=1) > room)
    if crowded.size:  # more equal scores at the cut than places: the first rows win
        sub = tied[crowded]
        sub &= np.cumsum(sub, axis=1) <= room[crowded, None]
        tied[crowded] = sub
    return top | tied


def _pair_similarity(
    queries: sp.csr_matrix,
    who: npt.NDArray[np.int64],
    postings: sp.csr_matrix,
    rows: npt.NDArray[np.int64],
    max_cells: int = 8_000_000,
) -> npt.NDArray[np.float32]:
    """Cosine of TF-IDF rows ``queries[who[j]]`` and ``postings[rows[j]]`` for every pair ``j``.

    The distinct candidate postings, cut down to the features some query has, times the dense
    queries on those features: one small product instead of one per pair. Made in slices of
    queries so the dense block stays under ``max_cells``. Rows are L2-normalised.
    """
    out = np.zeros(who.size, np.float32)
    if who.size == 0:
        return out
    if queries.shape[0] == 1:
        # One query (a service request): the candidates' rows times the dense query. The same
        # sums in the same order as below (a posting's terms in index order; the zeros of
        # features the query lacks add nothing), in a quarter of the time.
        dense = queries.toarray().ravel().astype(np.float32, copy=False)
        return np.asarray(postings[rows] @ dense, np.float32)
    distinct, col = np.unique(rows, return_inverse=True)
    col = col.ravel()
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
    dense_queries = queries[:, features].toarray()
    step = max(1, max_cells // max(1, distinct.size))
    for lo in range(0, queries.shape[0], step):
        hi = min(queries.shape[0], lo + step)
        mask = (who >= lo) & (who < hi)
        if mask.any():
            sims = np.asarray(block @ dense_queries[lo:hi].T)  # distinct postings × queries
            out[mask] = sims[col[mask], who[mask] - lo]
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _PostingWords:
    """Each posting's words (2+ characters), kept as ids into one vocabulary (CSR layout).

    Segmenting 100k postings takes minutes; it is done once at fit (from the tokens the
    vectorizer needed anyway) and saved with the snapshot, so reasons cost a lookup.
    """

    def __init__(
        self, vocab: Sequence[str], indptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32]
    ) -> None:
        self.vocab = list(vocab)
        self.indptr = indptr
        self.ids = ids
        self._cache: dict[int, frozenset[str]] = {}

    @classmethod
    def from_tokens(cls, tokens: Sequence[Sequence[str]]) -> _PostingWords:
        vocab: dict[str, int] = {}
        indptr, ids = [0], []
        for toks in tokens:
            row = {vocab.setdefault(w, len(vocab)) for w in toks if len(w) >= 2}
            ids.extend(sorted(row))
            indptr.append(len(ids))
        return cls(list(vocab), np.array(indptr, np.int64), np.array(ids, np.int32))

    @classmethod
    def from_arrays(cls, arrays: Any) -> _PostingWords:
        vocab = json.loads(bytes(arrays["words_vocab"]).decode("utf-8"))
        return cls(vocab, arrays["words_indptr"], arrays["words_ids"])

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        blob = json.dumps(self.vocab, ensure_ascii=False).encode("utf-8")
        return {
            "words_vocab": np.frombuffer(blob, np.uint8),
            "words_indptr": self.indptr,
            "words_ids": self.ids,
        }

    def of(self, row: int) -> frozenset[str]:
        words = self._cache.get(row)
        if words is None:
            ids = self.ids[self.indptr[row] : self.indptr[row + 1]].tolist()
            words = self._cache[row] = frozenset(self.vocab[i] for i in ids)
        return words


def _words(text: str) -> list[str]:
    """The distinct words (2+ characters) of ``text``, in order of first appearance."""
    from matching.understand.text import tokenize

    return list(dict.fromkeys(w for w in tokenize(text) if len(w) >= 2))


def _shared_words(
    profile_words: Sequence[str], posting_words: frozenset[str], limit: int = 3
) -> list[str]:
    """The first ``limit`` of the profile's distinct words (in order) the posting also has."""
    common = posting_words.intersection(profile_words)
    if len(common) <= 1:
        return list(common)
    return [w for w in profile_words if w in common][:limit]


def categories_of(matches: Sequence[Match], engine: MatchingEngine) -> list[Category | None]:
    """The category of each matched posting (handy in tests and reports)."""
    return [engine.posting(m.posting_id).category for m in matches]
