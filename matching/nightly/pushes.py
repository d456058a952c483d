"""From candidates to pushes: the night's pairs allocated with and without the exposure caps,
and each person's allocated postings with what their messages need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.nightly.allocation import allocate_greedy
from matching.nightly.explore import explore_lists
from matching.nightly.messages import PersonPush, PushItem, posting_pay, reply_codes
from matching.nightly.pairs import Candidates, exposure_caps
from matching.nightly.records import Allocation, ChunkCandidates, NightlySettings, Registrant
from matching.nightly.scoring import explain_pairs
from matching.rank.scoring import TERMS


def allocate(
    engine: Any, chunks: Sequence[ChunkCandidates], settings: NightlySettings, *, seed: int = 0
) -> Allocation:
    """Build the pair arrays, allocate each person's best ``settings.m`` with and without the
    exposure caps, then explore (:func:`~matching.nightly.explore.explore_lists`, seeded by
    ``seed``) among all the retrieved candidates."""
    per_person = np.concatenate([np.diff(ch.start) for ch in chunks]) if chunks else np.zeros(0)
    sizes = np.array([ch.rows.size for ch in chunks], np.int64)
    rows = np.concatenate([ch.rows for ch in chunks]) if chunks else np.zeros(0, np.int64)
    used, posting = np.unique(rows, return_inverse=True)
    c = Candidates(
        np.repeat(np.arange(per_person.size, dtype=np.int64), per_person.astype(np.int64)),
        posting.ravel().astype(np.int64),
        np.concatenate([ch.score for ch in chunks]) if chunks else np.zeros(0),
    )
    posting_ids = [engine.posting_ids_[r] for r in used.tolist()]
    caps = exposure_caps(
        [engine.postings_[r].headcount for r in used.tolist()],
        multiple=settings.cap_multiple,
        default_headcount=settings.default_headcount,
    )
    # Each person's pairs come best first: the allocation sees the best m of them, as before
    # exploration retrieved more.
    first = np.repeat(np.cumsum(per_person) - per_person, per_person.astype(np.int64))
    top = np.arange(c.size) - first < settings.m
    sub = c if top.all() else Candidates(c.person[top], c.posting[top], c.score[top])
    capped = np.zeros(c.size, dtype=bool)
    uncapped = np.zeros(c.size, dtype=bool)
    capped[top] = allocate_greedy(sub, caps, settings.per_person)
    uncapped[top] = allocate_greedy(
        sub, np.full(len(caps), np.iinfo(np.int64).max // 4), settings.per_person, price_rounds=0
    )
    lists = explore_lists(c, capped, caps, settings.exploration, seed)
    return Allocation(
        c, posting_ids, list(chunks), caps, lists.chosen, uncapped,
        chunk_of=np.repeat(np.arange(len(chunks)), sizes),
        chunk_first=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
        explored=lists.explored, propensity=lists.propensity, position=lists.position,
        explored_expected=lists.expected,
    )  # fmt: skip


def person_pushes(
    engine: Any, persons: Sequence[Registrant], alloc: Allocation, day: dt.date
) -> list[PersonPush]:
    """Each person's postings in list order (engine's best first; an explored posting in the
    slot it took), with the texts' ingredients and how each was placed.

    The reasons of a posting explored in from deeper than the allocation's pool were not
    stored by the scoring: they are built here, for the few pushed ones only.
    """
    c = alloc.candidates
    chosen = np.flatnonzero(alloc.capped)
    order = chosen[np.lexsort((alloc.position[chosen], c.person[chosen]))]
    edges, person_of = order.tolist(), c.person[order].tolist()
    by_person: dict[int, list[int]] = {}
    for i, e in zip(person_of, edges, strict=True):
        by_person.setdefault(i, []).append(e)
    stored = alloc.with_reasons()[chosen]
    reasons = alloc.reasons(chosen[stored])
    reasons.update(explain_pairs(engine, [p.record for p in persons], alloc, chosen[~stored], day))
    facts: dict[str, tuple[str, str, str, str]] = {}  # posting id -> title, employer, place, pay
    for j in np.unique(c.posting[chosen]).tolist():
        pid = alloc.posting_ids[j]
        posting = engine.posting(pid)
        facts[pid] = (
            posting.title,
            posting.employer or "",
            posting.district or (posting.location.district if posting.location else "") or "天津市",
            posting_pay(posting),
        )
    score, posting_of = c.score.tolist(), c.posting.tolist()
    explored, propensity = alloc.explored.tolist(), alloc.propensity.tolist()
    values = np.round(alloc.values[order].astype(np.float64), 4).tolist()
    terms = {e: dict(zip(TERMS, v, strict=True)) for e, v in zip(edges, values, strict=True)}
    codes = dict(zip(edges, reply_codes(
        day, [persons[i].id_number for i in person_of],
        [alloc.posting_ids[posting_of[e]] for e in edges],
    ), strict=True))  # fmt: skip
    out = []
    for i, person in enumerate(persons):
        items = []
        for rank, e in enumerate(by_person.get(i, ()), start=1):
            pid = alloc.posting_ids[posting_of[e]]
            title, employer, district, pay = facts[pid]
            items.append(
                PushItem(
                    posting_id=pid,
                    rank=rank,
                    score=score[e],
                    code=codes[e],
                    title=title,
                    employer=employer,
                    district=district,
                    pay=pay,
                    reasons=reasons[e],
                    placed_by="explore" if explored[e] else "engine",
                    propensity=propensity[e],
                    terms=terms[e],
                )
            )
        out.append(
            PersonPush(
                id_number=person.id_number,
                name=person.name,
                phone=person.phone or "",
                district=person.district,
                accepts_messages=person.accepts_messages,
                items=tuple(items),
            )
        )
    return out
