"""Explaining ranked rows: the :class:`~matching.schemas.Match` of each (terms and reasons).

The posting side of the reasons (:class:`~matching.rank.reasons.ReasonParts`) is built once per
posting row and kept. :meth:`Explaining.prepare_day` builds it for every posting open on a day
ahead of the first request (the service does at load), so no recommendation pays for parsing
the postings it shows for the first time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from matching.rank.base import EngineBase
from matching.rank.profiles import Profile
from matching.rank.reasons import PersonReasons, ReasonParts, explain
from matching.rank.scoring import TERMS, Scored
from matching.rank.words import distinct_words, shared_words
from matching.schemas import Match


class Explaining(EngineBase):
    """``explain_rows``, ``reasons_rows`` and the reason-parts cache of the engine."""

    def explain_rows(self, profile: Profile, scored: Scored, *, today: dt.date) -> list[Match]:
        """The :class:`Match` (terms and Chinese reasons) of each row of ``rank_many``."""
        values = {t: v.tolist() for t, v in scored.values.items()}
        score = scored.score.tolist()
        person = PersonReasons(profile, today)
        matches = [
            explain(
                profile,
                self.postings_[row],
                values={t: values[t][j] for t in TERMS},
                distance_km=dist,
                today=today,
                config=self.config_,
                shared_words=shared,
                score=score[j],
                parts=self._reason_parts(row),
                posting_id=self.posting_ids_[row],
                person=person,
            )
            for j, row, dist, shared in self._row_facts(profile, scored)
        ]
        ranker = self.__dict__.get("reranker_")
        return matches if ranker is None else ranker.explain(matches, scored)

    def reasons_rows(self, profile: Profile, scored: Scored, *, today: dt.date) -> list[list[str]]:
        """Only the Chinese reasons of each row of ``rank_many`` (what a push list prints)."""
        reasons = PersonReasons(profile, today)
        kept, parts_of = self.__dict__.setdefault("_reason_parts_cache", {}), self._reason_parts
        texts = [
            reasons(kept.get(row) or parts_of(row), dist, shared)[0]
            for _, row, dist, shared in self._row_facts(profile, scored)
        ]
        ranker = self.__dict__.get("reranker_")
        return (
            texts if ranker is None else ranker.order_reason_lists(texts, scored, self.posting_ids_)
        )

    def prepare_reasons(self, rows: Iterable[int]) -> int:
        """Build the reason parts (and word sets) of posting ``rows`` not built yet; returns how
        many were."""
        cache = self.__dict__.setdefault("_reason_parts_cache", {})
        parts_of, words_of = self._reason_parts, self.words_.of
        built = 0
        for row in rows:
            if row not in cache:
                parts_of(row)
                words_of(row)  # its words too (the words shared with a person)
                built += 1
        return built

    def share_reasons(self, other: EngineBase) -> None:
        """Use (and add to) the reason parts ``other`` built: only for an engine of the same
        postings, in the same order, under the same config (a reload of one snapshot)."""
        self.__dict__["_reason_parts_cache"] = other.__dict__.setdefault("_reason_parts_cache", {})

    def _reason_parts(self, row: int) -> ReasonParts:
        """The posting side of the reasons of posting ``row``, built once per row."""
        cache = self.__dict__.setdefault("_reason_parts_cache", {})
        parts = cache.get(row)
        if parts is None:
            parts = cache[row] = ReasonParts.from_table(
                self.postings_[row], self.table_, row, self.config_
            )
        return parts

    def _row_facts(
        self, profile: Profile, scored: Scored
    ) -> list[tuple[int, int, float | None, list[str]]]:
        """(pair index, posting row, distance or None, words shared with the profile)."""
        profile_words = distinct_words(profile.text)
        words_of = self.words_.of
        rows = scored.rows.tolist()
        distances = [None if math.isnan(d) else d for d in scored.distance_km.tolist()]
        shared = [shared_words(profile_words, words_of(row)) for row in rows]
        return list(zip(range(len(rows)), rows, distances, shared, strict=True))
