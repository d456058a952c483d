"""The night's allocation, exploration and candidates file, pinned to the bytes the first
implementation wrote: a faster or leaner run must give the very same lists and file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from matching.nightly.candidates_file import write_candidates
from matching.nightly.pushes import allocate
from matching.nightly.records import ChunkCandidates, NightlySettings
from matching.rank.scoring import TERMS

PERSONS, POSTINGS, RETRIEVED, CHUNK = 900, 300, 50, 200


def _night() -> tuple[SimpleNamespace, list[ChunkCandidates]]:
    """A fake engine (posting ids and headcounts) and chunks of 50 candidates per person,
    best first, Zipf-popular postings so that caps bind."""
    rng = np.random.default_rng(20241021)
    heads = rng.integers(0, 4, POSTINGS)  # 0: unknown, the default headcount applies
    engine = SimpleNamespace(
        posting_ids_=[str(1000 + 7 * r) for r in range(POSTINGS)],
        postings_=[SimpleNamespace(headcount=int(h) or None) for h in heads],
    )
    pop = 1.0 / np.arange(1, POSTINGS + 1) ** 0.9
    chunks = []
    for a in range(0, PERSONS, CHUNK):
        n = min(CHUNK, PERSONS - a)
        sizes = rng.integers(RETRIEVED - 20, RETRIEVED + 1, n)
        rows, scores = [], []
        for k in sizes:
            rows.append(rng.choice(POSTINGS, k, replace=False, p=pop / pop.sum()))
            scores.append(np.sort(rng.random(k).round(4))[::-1])
        total = int(sizes.sum())
        chunks.append(
            ChunkCandidates(
                start=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                rows=np.concatenate(rows).astype(np.int64),
                score=np.concatenate(scores),
                reason_start=np.zeros(total + 1, np.int64),
                codes=np.zeros(0, np.int32),
                texts=[],
                values=rng.random((total, len(TERMS))).astype(np.float32),
                distance_km=np.full(total, np.nan, np.float32),
            )
        )
    return engine, chunks


def test_allocation_exploration_and_candidates_file_are_the_pinned_ones(tmp_path: Path) -> None:
    engine, chunks = _night()
    alloc = allocate(engine, chunks, NightlySettings(cap_multiple=6.0), seed=0x5EED)
    h = hashlib.sha256()
    for a in (alloc.capped, alloc.uncapped, alloc.explored, alloc.position, alloc.caps):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(np.round(alloc.propensity, 12).tobytes())
    h.update(alloc.candidates.posting.astype(np.int64).tobytes())
    h.update(",".join(alloc.posting_ids).encode())
    c = alloc.candidates
    assert alloc.explored.any() and alloc.capped.any()
    assert np.any(np.bincount(c.posting[alloc.capped], minlength=alloc.caps.size) == alloc.caps)
    assert h.hexdigest()[:16] == PINNED_LISTS
    path = write_candidates(tmp_path, alloc, list(range(10_000, 10_000 + PERSONS)))
    assert hashlib.sha256(path.read_bytes()).hexdigest()[:16] == PINNED_FILE


# computed with the code before the night's pairs stayed in arrays (commit e2a8d48)
PINNED_LISTS = "e24cf3404ad7b05c"
PINNED_FILE = "c6412b52a674ac29"
