"""The night's pushes as columns, a district at a time: what the district's files need
(:class:`~matching.nightly.district_sheet.DistrictSheet`, sent to a writer process, which makes
the texts' objects there) and the rows the database stores (:class:`StoredPushes`).

At 200k persons the night pushes ≈ 765k postings: one Python object per push (and per
reason tuple) built in the run's process, then pickled to the writers, was about half of the
last stage's time there. Here the run's process makes lists and arrays per column from the
allocation's arrays; only the reply codes and the terms' JSON are made per push (they are
stored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from matching.nightly.district_sheet import DistrictSheet
from matching.nightly.messages import (
    contact_channel,
    posting_pay,
    reply_codes,
)
from matching.nightly.pushes import joined_ranges, terms_json
from matching.nightly.records import Allocation, PushedPairs, Registrant

_PLACED_BY = np.array(["engine", "explore"], dtype=object)
_CHANNEL = np.array(["call", "message"], dtype=object)


class StoredPushes(NamedTuple):
    """One district's pushes as the database stores them, a list per column, in the order
    of :func:`~matching.nightly.storage.record_run`'s rows."""

    person: list[int]  # persons.id
    posting: list[int]
    rank: list[int]
    score: list[float]
    channel: list[str]
    code: list[str]
    placed_by: list[str]
    propensity: list[float]
    terms: list[str]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """``(person, posting, rank, score, channel, code, placed_by, propensity, terms)``."""
        return zip(*self, strict=True)


class DistrictPushes(NamedTuple):
    """One district's pushes: for its files, and for the database."""

    sheet: DistrictSheet
    stored: StoredPushes


class NightColumns:
    """What every district's columns are taken from, made once for the night: per person
    their ``persons.id`` and contact channel, per posting its id as text and as a number and
    its facts (title, employer, place, pay; looked up once), the reasons' texts (stored and
    built late) in one table."""

    def __init__(self, engine: Any, persons: Sequence[Registrant], alloc: Allocation) -> None:
        self.engine, self.persons, self.alloc = engine, persons, alloc
        self.pk = np.array([p.person_id for p in persons], np.int64)
        self.messaged = np.array(
            [contact_channel(p.accepts_messages, p.phone) == "message" for p in persons], bool
        )
        self.posting_ids = np.array(alloc.posting_ids, dtype=object)
        self.posting_int = np.array([int(p) for p in alloc.posting_ids], np.int64)
        self.facts: dict[int, tuple[str, str, str, str]] = {}
        p = alloc.pushed
        index = {t: k for k, t in enumerate(p.texts)}
        self.late = {
            e: [index.setdefault(t, len(index)) for t in reasons] for e, reasons in p.late.items()
        }
        self.texts = list(index)

    def fact_of(self, posting: int) -> tuple[str, str, str, str]:
        if posting not in self.facts:
            one = self.engine.posting(self.alloc.posting_ids[posting])
            place = one.district or (one.location.district if one.location else "") or "天津市"
            self.facts[posting] = (one.title, one.employer or "", place, posting_pay(one))
        return self.facts[posting]

    def district(self, name: str, chosen: npt.NDArray[np.int64], day: dt.date) -> DistrictPushes:
        """The pushes of the persons with a pair in ``chosen`` (chosen pairs, all of district
        ``name``), in run order: each person's postings in list order (engine's best first;
        an explored posting in the slot it took).

        The reasons of a posting explored in from deeper than the allocation's pool must have
        been built (:func:`~matching.nightly.pushes.explain_late`).
        """
        alloc, c = self.alloc, self.alloc.candidates
        order = chosen[np.lexsort((alloc.position[chosen], c.person[chosen]))]
        person, posting = c.person[order].astype(np.int64), c.posting[order].astype(np.int64)
        first = np.flatnonzero(np.concatenate([[True], person[1:] != person[:-1]]))
        start = np.concatenate([first, [order.size]]).astype(np.int64)
        sizes = np.diff(start)
        who = person[first].tolist()
        rank = np.arange(order.size, dtype=np.int64) - np.repeat(first, sizes) + 1
        id_numbers = [self.persons[i].id_number for i in who]
        posting_ids = self.posting_ids[posting].tolist()
        codes = reply_codes(day, np.repeat(np.array(id_numbers, dtype=object), sizes).tolist(),
                            posting_ids)  # fmt: skip
        explored = alloc.explored[order]
        score, propensity = c.score[order], alloc.propensity[order]
        stored = StoredPushes(
            self.pk[person].tolist(), self.posting_int[posting].tolist(), rank.tolist(),
            score.tolist(), _CHANNEL[self.messaged[person].astype(np.intp)].tolist(), codes,
            _PLACED_BY[explored.astype(np.intp)].tolist(), propensity.tolist(),
            terms_json(np.round(alloc.values_of(order).astype(np.float64), 4)),
        )  # fmt: skip
        used, fact = np.unique(posting, return_inverse=True)
        facts = [self.fact_of(j) for j in used.tolist()]
        reason_start, reason_codes, texts = self._reasons(order)
        sheet = DistrictSheet(
            name, id_numbers, [self.persons[i].name for i in who],
            [self.persons[i].phone or "" for i in who],
            [self.persons[i].accepts_messages for i in who], start, posting_ids, codes,
            score, explored, propensity, fact.astype(np.int64),
            [f[0] for f in facts], [f[1] for f in facts], [f[2] for f in facts],
            [f[3] for f in facts], reason_start, reason_codes, texts,
        )  # fmt: skip
        return DistrictPushes(sheet, stored)

    def _reasons(
        self, edges: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
        """The reasons of these chosen pairs as (start, codes, texts) with only the texts
        they use: the stored ones as gathered, the late ones from :attr:`late`."""
        p: PushedPairs = self.alloc.pushed
        at = p.at(edges)
        lo = p.reason_start[at]
        size = p.reason_start[at + 1] - lo
        told = p.stored[at]
        late = np.flatnonzero(~told)
        late_codes = [self.late[e] for e in edges[late].tolist()]
        size[late] = [len(k) for k in late_codes]
        start = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
        codes = np.empty(int(start[-1]), np.int64)
        mine = np.flatnonzero(told)
        codes[joined_ranges(start[mine], size[mine])] = p.codes[joined_ranges(lo[mine], size[mine])]
        for k, late_k in zip(late.tolist(), late_codes, strict=True):
            codes[start[k] : start[k + 1]] = late_k
        used, codes = np.unique(codes, return_inverse=True)
        return start, codes.astype(np.int64), [self.texts[k] for k in used.tolist()]


def district_pushes(
    engine: Any, persons: Sequence[Registrant], alloc: Allocation, day: dt.date
) -> Iterator[DistrictPushes]:
    """The pushes of each district's pushed persons (those with at least one posting), a
    district at a time: the largest first (by pushed persons, then name), persons in run order
    within it."""
    c = alloc.candidates
    chosen = np.flatnonzero(alloc.capped)
    names, district = np.unique(np.array([p.district for p in persons], dtype=str),
                                return_inverse=True)  # fmt: skip
    pushed = np.zeros(len(persons), dtype=bool)
    pushed[c.person[chosen]] = True
    sizes = np.bincount(district[pushed], minlength=names.size).tolist()
    named = names.tolist()
    in_district = district[c.person[chosen]]
    night = NightColumns(engine, persons, alloc)
    for d in sorted(range(names.size), key=lambda d: (-sizes[d], named[d])):
        if sizes[d]:
            yield night.district(named[d], chosen[in_district == d], day)
