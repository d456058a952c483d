"""From candidates to pushes: the night's pairs allocated with and without the exposure caps,
exploration, and what the pushes need of the chosen pairs (gathered from the checkpoints);
the pushes themselves are made as columns by :mod:`matching.nightly.push_columns`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.nightly.allocation import allocate_greedy
from matching.nightly.candidates_file import quantise
from matching.nightly.explore import explore_lists
from matching.nightly.pairs import Candidates, exposure_caps
from matching.nightly.records import (
    Allocation,
    ChunkCandidates,
    NightlySettings,
    PushedPairs,
    Registrant,
)
from matching.nightly.scoring import Cluster, explain_pairs
from matching.rank.scoring import TERMS


def allocate(
    engine: Any, chunks: Sequence[ChunkCandidates], settings: NightlySettings, *, seed: int = 0
) -> Allocation:
    """Build the pair arrays, allocate each person's best ``settings.m`` with and without the
    exposure caps, then explore (:func:`~matching.nightly.explore.explore_lists`, seeded by
    ``seed``) among all the retrieved candidates."""
    per_person = np.concatenate([np.diff(ch.start) for ch in chunks]) if chunks else np.zeros(0)
    # The postings some person has as a candidate, in engine row order, and each pair's index
    # among them (what np.unique(..., return_inverse=True) gives, without sorting the pairs).
    seen = np.zeros(len(engine.posting_ids_), dtype=bool)
    for ch in chunks:
        seen[ch.rows] = True
    used = np.flatnonzero(seen)
    index_of = np.cumsum(seen, dtype=np.int64) - 1
    c = Candidates(  # int32 indices: the night's pairs are many, persons and postings are not
        np.repeat(np.arange(per_person.size, dtype=np.int32), per_person.astype(np.int64)),
        np.concatenate([index_of[ch.rows].astype(np.int32) for ch in chunks])
        if chunks else np.zeros(0, np.int32),
        np.concatenate([ch.score for ch in chunks]) if chunks else np.zeros(0),
    )  # fmt: skip
    del seen, index_of
    posting_ids = [engine.posting_ids_[r] for r in used.tolist()]
    caps = exposure_caps(
        [engine.postings_[r].headcount for r in used.tolist()],
        multiple=settings.cap_multiple,
        default_headcount=settings.default_headcount,
    )
    # Each person's pairs come best first: the allocation sees the best m of them, as before
    # exploration retrieved more.
    top = _best_of_each(per_person.astype(np.int64), settings.m)
    sub = c if top.all() else Candidates(c.person[top], c.posting[top], c.score[top])
    capped = np.zeros(c.size, dtype=bool)
    uncapped = np.zeros(c.size, dtype=bool)
    capped[top] = allocate_greedy(sub, caps, settings.per_person)
    uncapped[top] = allocate_greedy(
        sub, np.full(len(caps), np.iinfo(np.int64).max // 4), settings.per_person, price_rounds=0
    )
    lists = explore_lists(c, capped, caps, settings.exploration, seed)
    pushed, logged = gather_pushed(chunks, c, lists.chosen)
    return Allocation(
        c, posting_ids, caps, lists.chosen, uncapped,
        explored=lists.explored, propensity=lists.propensity, position=lists.position,
        pushed=pushed, logged_values=logged, explored_expected=lists.expected,
    )  # fmt: skip


def gather_pushed(
    chunks: Sequence[ChunkCandidates], c: Candidates, chosen: npt.NDArray[np.bool_]
) -> tuple[PushedPairs, npt.NDArray[np.uint8]]:
    """What the pushes need of the ``chosen`` pairs, and the quantised term values of every
    pair of a pushed person (``candidates.npz``), read chunk by chunk: a chunk loaded ranks
    only is read back whole from its checkpoint, one at a time, and let go."""
    edges = np.flatnonzero(chosen).astype(np.int64)
    pushed_person = np.zeros(int(c.person.max(initial=-1)) + 1, dtype=bool)
    pushed_person[c.person[edges]] = True
    keep = pushed_person[c.person]  # the pairs of the pushed persons
    first = np.concatenate([[0], np.cumsum([ch.rows.size for ch in chunks])]).astype(np.int64)
    bounds = np.searchsorted(edges, first).tolist()
    rows = np.empty(edges.size, np.int64)
    values = np.empty((edges.size, len(TERMS)), np.float32)
    distance = np.empty(edges.size, np.float32)
    stored = np.empty(edges.size, dtype=bool)
    sizes, codes, text_code = [], [], {}  # type: ignore[var-annotated]
    logged = []
    for n, chunk in enumerate(chunks):
        ch, lo, hi = chunk.whole(), bounds[n], bounds[n + 1]
        local = edges[lo:hi] - first[n]
        rows[lo:hi], values[lo:hi] = ch.rows[local], ch.values[local]
        distance[lo:hi], stored[lo:hi] = ch.distance_km[local], ch.with_reasons()[local]
        code_of = np.array([text_code.setdefault(t, len(text_code)) for t in ch.texts], np.int32)
        a, b = ch.reason_start[local], ch.reason_start[local + 1]
        sizes.append(b - a)  # each chosen pair's reasons: codes a..b of the chunk, in order
        codes.append(code_of[ch.codes[joined_ranges(a, b - a)]])
        logged.append(quantise(ch.values[keep[first[n] : first[n + 1]]]))
    pairs = PushedPairs(
        edges, stored, rows, distance, values,
        np.concatenate([[0], np.cumsum(np.concatenate(sizes) if sizes else [])]).astype(np.int64),
        np.concatenate(codes).astype(np.int32) if codes else np.zeros(0, np.int32),
        list(text_code),
    )  # fmt: skip
    return pairs, (
        np.concatenate(logged) if logged else np.zeros((0, len(TERMS)), np.uint8)
    )  # fmt: skip


def explain_late(
    engine: Any, persons: Sequence[Registrant], alloc: Allocation, day: dt.date,
    cluster: Cluster | None = None,
) -> int:  # fmt: skip
    """Build the reasons of the pushed pairs the scoring did not explain (explored in from
    deeper than the allocation's pool), on the Dask workers with ``cluster``; returns how many.
    """
    p = alloc.pushed
    edges = p.edges[~p.stored]
    p.late.update(explain_pairs(engine, persons, alloc, edges.tolist(), day, cluster))
    return int(edges.size)


def joined_ranges(
    start: npt.NDArray[np.int64], size: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """``start[k], start[k] + 1, …, start[k] + size[k] - 1`` for every ``k``, joined."""
    total = int(size.sum())
    offset = np.repeat(start - (np.cumsum(size) - size), size)
    return offset + np.arange(total, dtype=np.int64)


def _best_of_each(counts: np.ndarray, m: int) -> np.ndarray:
    """Per pair (grouped by person, best first): among its person's best ``m``."""
    top = np.zeros(int(counts.sum()), dtype=bool)
    starts = np.cumsum(counts) - counts
    for k in range(min(m, int(counts.max(initial=0)))):  # m short passes, no per-pair index
        top[starts[counts > k] + k] = True
    return top


_TERMS_KEYS = [("{" if k == 0 else ", ") + f'"{t}": ' for k, t in enumerate(TERMS)]


def terms_json(values: npt.NDArray[np.float64]) -> list[str]:
    """Each row of term values (columns in :data:`TERMS` order) as the JSON object
    ``json.dumps`` makes of ``{term: value}``, the text stored in ``pushes.terms``.

    ``json.dumps`` writes a finite float as its ``repr``: each distinct value of a column (by
    its bits, so 0.0 and -0.0 stay apart) is written once, and the rows are joined column by
    column (the values are rounded, so a column holds a few thousand distinct ones, not one a
    row). Rows with NaN or infinity, which JSON spells differently, go through ``json.dumps``.
    """
    if not (values.size and np.isfinite(values).all()):
        return [json.dumps(dict(zip(TERMS, v, strict=True))) for v in values.tolist()]
    values = np.ascontiguousarray(values, dtype=np.float64)
    out = np.full(len(values), "", dtype=object)
    for k, key in enumerate(_TERMS_KEYS):
        bits, at = np.unique(values[:, k].view(np.int64), return_inverse=True)
        text = np.array([key + repr(v) for v in bits.view(np.float64).tolist()], dtype=object)
        out += text[at]
    out += "}"
    return out.tolist()  # type: ignore[no-any-return]
