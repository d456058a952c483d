"""The night's chunks read back from their checkpoints a chunk at a time, after the lists are
final: the allocation, the pushes' values and reasons and the candidates file are the ones the
chunks held whole in memory give."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from matching.nightly.candidates_file import write_candidates
from matching.nightly.pushes import allocate
from matching.nightly.records import Allocation, ChunkCandidates, NightlySettings
from tests.nightly.test_pinned_night import PERSONS, _night

TEXTS = ["意向类别相符", "薪资符合期望", "离家约3公里", "学历符合", "有相关经验"]


def _with_reasons(chunks: list[ChunkCandidates], explained: int) -> list[ChunkCandidates]:
    """The chunks with reasons stored for each person's best ``explained`` pairs (1–3 texts
    each, each chunk its own text table, as the scoring writes them)."""
    rng = np.random.default_rng(7)
    out = []
    for ch in chunks:
        order = rng.permutation(len(TEXTS))
        texts = [TEXTS[k] for k in order]
        stored = ChunkCandidates(ch.start, ch.rows, ch.score, ch.reason_start, ch.codes, [],
                                 ch.values, ch.distance_km, explained).with_reasons()  # fmt: skip
        counts = np.where(stored, rng.integers(1, 4, stored.size), 0)
        codes = rng.integers(0, len(texts), int(counts.sum())).astype(np.int32)
        distance = np.where(rng.random(stored.size) < 0.3, np.nan, rng.random(stored.size) * 40)
        out.append(
            ChunkCandidates(
                ch.start,
                ch.rows,
                ch.score,
                np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                codes,
                texts,
                ch.values,
                distance.astype(np.float32),
                explained,
            )  # fmt: skip
        )
    return out


def _digest(alloc: Allocation, folder: Path) -> dict[str, object]:
    chosen = np.flatnonzero(alloc.capped)
    path = write_candidates(folder, alloc, list(range(10_000, 10_000 + PERSONS)))
    stored = alloc.pushed.stored[alloc.pushed.at(chosen)]
    return {
        "lists": [
            a.tobytes()
            for a in (
                alloc.capped,
                alloc.uncapped,
                alloc.explored,
                alloc.position,
                alloc.propensity,
            )
        ],  # fmt: skip
        "values": alloc.values_of(chosen).tobytes(),
        "rows": alloc.pushed.rows.tolist(),
        "distance": alloc.pushed.distance_km.tobytes(),
        "stored": stored.tolist(),
        "reasons": alloc.reasons(chosen[stored]),
        "file": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


@pytest.mark.parametrize("exploration", [0.0, 0.3])
def test_chunks_read_back_one_at_a_time_give_what_the_whole_chunks_give(
    tmp_path: Path, exploration: float
) -> None:
    engine, plain = _night()
    chunks = _with_reasons(plain, explained=15)
    settings = NightlySettings(cap_multiple=6.0, exploration=exploration)
    whole = allocate(engine, chunks, settings, seed=0x5EED)
    paths = []
    for n, ch in enumerate(chunks):
        paths.append(tmp_path / f"chunk-{n:06d}.npz")
        ch.save(paths[-1])
    light = [ChunkCandidates.load(p, ranks_only=True) for p in paths]
    # what stays in memory through the allocation: the pairs' rows and scores, nothing else
    assert all(ch.values.size == ch.codes.size == ch.distance_km.size == 0 for ch in light)
    assert all(ch.texts == [] and ch.explained == 15 for ch in light)
    streamed = allocate(engine, light, settings, seed=0x5EED)
    a, b = _digest(whole, tmp_path / "whole"), _digest(streamed, tmp_path / "streamed")
    assert a == b
    # the deeper pairs carry no reasons, and some of them were pushed when exploring
    assert not all(a["stored"]) if exploration else all(a["stored"])  # type: ignore[arg-type]
    assert all(why for why in a["reasons"].values())  # type: ignore[union-attr]
    # and they are the chunks' own: each pair's values, row, distance and reasons
    chosen, first = np.flatnonzero(whole.capped), 0
    for ch in chunks:
        mine = chosen[(chosen >= first) & (chosen < first + ch.rows.size)]
        at, local = whole.pushed.at(mine), mine - first
        np.testing.assert_array_equal(whole.values_of(mine), ch.values[local])
        np.testing.assert_array_equal(whole.pushed.rows[at], ch.rows[local])
        np.testing.assert_array_equal(whole.pushed.distance_km[at], ch.distance_km[local])
        told = ch.with_reasons()[local]
        assert whole.reasons(mine[told]) == {
            int(e): tuple(
                ch.texts[k] for k in ch.codes[ch.reason_start[i] : ch.reason_start[i + 1]]
            )
            for e, i in zip(mine[told], local[told], strict=True)
        }
        first += ch.rows.size


def test_only_the_chosen_pairs_are_gathered() -> None:
    engine, chunks = _night()
    alloc = allocate(engine, chunks, NightlySettings(cap_multiple=6.0), seed=1)
    other = np.flatnonzero(~alloc.capped)[:3]
    with pytest.raises(ValueError, match="chosen"):
        alloc.values_of(other)
    chosen = np.flatnonzero(alloc.capped)
    np.testing.assert_array_equal(alloc.pushed.edges, chosen)
    # the candidates file's values: every pair of a pushed person, none of the others
    pushed = np.zeros(PERSONS, dtype=bool)
    pushed[alloc.candidates.person[chosen]] = True
    assert alloc.logged_values.shape[0] == int(pushed[alloc.candidates.person].sum())


def test_a_person_let_go_of_their_stored_row_keeps_what_the_lists_need() -> None:
    import datetime as dt

    from matching.nightly.records import Registrant

    record = {"id": 7, "id_number": "120101199001011234", "name": "张三", "gender": "男",
              "phone": "13800000000", "district": "和平区", "accepts_messages": True,
              "status": "registered", "birth_date": dt.date(1990, 1, 1)}  # fmt: skip
    person = Registrant.of(record)
    assert person.record["name"] == "张三"
    lean = person.without_record()
    assert (lean.person_id, lean.name, lean.phone, lean.district) == (7, "张三", "13800000000",
                                                                      "和平区")  # fmt: skip
    assert lean.age_on(dt.date(2024, 10, 21)) == 34
    with pytest.raises(ValueError, match="let go"):
        lean.record  # noqa: B018
