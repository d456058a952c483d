"""The night's pushes, made as columns a district at a time, pinned to what the code that
made one object per push gave: the same districts in the same order, the same persons and
postings with the same texts' ingredients and reasons (stored and built late), and the same
rows stored."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace
from typing import Any

import numpy as np

from matching.nightly.pushes import allocate
from matching.nightly.records import ChunkCandidates, NightlySettings, Registrant
from matching.rank.scoring import TERMS

PERSONS, POSTINGS, RETRIEVED, CHUNK, EXPLAINED = 600, 200, 30, 150, 8
DAY = dt.date(2024, 10, 21)
DISTRICTS = ["河西区", "南开区", "和平区", "滨海新区"]
PHONES = ["13812345678", "+86 139 0000 1111", "022-23456789", "", "15900001234"]


def night() -> tuple[Any, list[Registrant], Any]:
    """A fake engine, the persons and the allocation of a night whose chunks store the
    reasons of each person's best ``EXPLAINED`` pairs only (the others built late)."""
    rng = np.random.default_rng(7)
    heads = rng.integers(0, 4, POSTINGS)

    def posting(pid: str) -> SimpleNamespace:
        r = (int(pid) - 1000) // 7
        place = DISTRICTS[r % 4] if r % 5 else ""
        where = SimpleNamespace(district="东丽区") if r % 3 == 0 else None
        return SimpleNamespace(
            title=f"岗位{r}", employer=None if r % 6 == 0 else f"单位{r % 13}", district=place,
            location=where, salary=None, salary_text="" if r % 2 else f"月薪{3000 + r}元",
        )  # fmt: skip

    engine = SimpleNamespace(
        posting_ids_=[str(1000 + 7 * r) for r in range(POSTINGS)],
        postings_=[SimpleNamespace(headcount=int(h) or None) for h in heads],
        posting=posting,
    )
    texts = [f"理由{k}" for k in range(40)]
    pop = 1.0 / np.arange(1, POSTINGS + 1) ** 0.9
    chunks = []
    for _ in range(0, PERSONS, CHUNK):
        sizes = rng.integers(RETRIEVED - 10, RETRIEVED + 1, CHUNK)
        rows = [rng.choice(POSTINGS, k, replace=False, p=pop / pop.sum()) for k in sizes]
        scores = [np.sort(rng.random(k).round(4))[::-1] for k in sizes]
        depth = np.concatenate([np.arange(k) for k in sizes])
        told = rng.integers(0, 4, depth.size) * (depth < EXPLAINED)
        codes = rng.integers(0, len(texts), int(told.sum())).astype(np.int32)
        total = int(sizes.sum())
        chunks.append(
            ChunkCandidates(
                np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                np.concatenate(rows).astype(np.int64), np.concatenate(scores),
                np.concatenate([[0], np.cumsum(told)]).astype(np.int64), codes, texts,
                rng.random((total, len(TERMS))).astype(np.float32),
                np.full(total, np.nan, np.float32), EXPLAINED,
            )
        )  # fmt: skip
    persons = [
        Registrant(
            person_id=5000 + 3 * n, id_number=f"12010319850312{n:04d}", name=f"张{n}",
            gender="女", phone=PHONES[n % 5], district=DISTRICTS[(n * 5 // 3) % 4],
            accepts_messages=n % 7 != 0, status="registered", birth_date=dt.date(1985, 3, 12),
            record_json=b"",
        )
        for n in range(PERSONS)
    ]  # fmt: skip
    settings = NightlySettings(cap_multiple=3.0, exploration=0.3)
    alloc = allocate(engine, chunks, settings, seed=0x5EED)
    p = alloc.pushed
    p.late.update({e: (f"远处{e % 5}", "理由3") for e in p.edges[~p.stored].tolist()})
    return engine, persons, alloc


def digest(districts: list[tuple[str, list[Any]]], rows: list[tuple[Any, ...]]) -> str:
    """One hash over each district's pushes (every field the files use) and the stored rows."""
    h = hashlib.sha256()
    for name, group in districts:
        h.update(name.encode())
        for p in group:
            head = (p.id_number, p.name, p.phone, p.district, p.accepts_messages, p.channel,
                    p.mobile)  # fmt: skip
            h.update(repr(head).encode())
            for it in p.items:
                h.update(repr((it.posting_id, it.rank, it.score, it.code, it.title, it.employer,
                               it.district, it.pay, it.reasons, it.placed_by,
                               it.propensity)).encode())  # fmt: skip
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()[:16]


def test_the_pushes_as_columns_are_the_pinned_ones() -> None:
    from matching.nightly.push_columns import district_pushes

    engine, persons, alloc = night()
    districts, rows = [], []
    for sheet, stored in district_pushes(engine, persons, alloc, DAY):
        districts.append((sheet.district, sheet.pushes()))
        rows.extend(stored.rows())
    assert len(districts) == len(DISTRICTS) and len(rows) == int(alloc.capped.sum())
    assert (~alloc.pushed.stored).any() and alloc.explored.any()  # late reasons, explored slots
    channels = {p.channel for _, group in districts for p in group}
    assert channels == {"message", "opted_out", "not_mobile", "no_phone"}
    assert digest(districts, rows) == PINNED


# computed with the code that made one PushItem per push in the run's process (commit 432f161):
# district_pushes' objects, and the rows record_run made of them
PINNED = "7f35b944d986f4ce"
