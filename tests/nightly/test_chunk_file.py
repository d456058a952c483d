"""A chunk's checkpoint file: which pairs carry reasons, and files of the earlier format."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from matching.nightly.records import ALL_EXPLAINED, ChunkCandidates
from matching.rank.scoring import TERMS


def _chunk(explained: int) -> ChunkCandidates:
    """Two persons with 3 and 1 candidates; reasons stored for the best ``explained`` of each."""
    texts = ["意向类别相符", "薪资符合期望"]
    start = np.array([0, 3, 4], np.int64)
    keep = [True, explained > 1, explained > 2, True]
    reason_start = np.concatenate([[0], np.cumsum([2 if k else 0 for k in keep])])
    return ChunkCandidates(
        start=start,
        rows=np.array([7, 3, 9, 3], np.int64),
        score=np.array([0.9, 0.8, 0.7, 0.6]),
        reason_start=reason_start.astype(np.int64),
        codes=np.array([0, 1] * sum(keep), np.int32),
        texts=texts,
        values=np.zeros((4, len(TERMS)), np.float32),
        distance_km=np.array([1.5, np.nan, 12.0, 3.0], np.float32),
        explained=explained,
    )


def test_reasons_are_stored_for_each_persons_best_pairs_and_survive_the_file(
    tmp_path: Path,
) -> None:
    chunk = _chunk(explained=1)
    chunk.save(tmp_path / "chunk.npz")
    back = ChunkCandidates.load(tmp_path / "chunk.npz")
    assert back.explained == 1
    assert back.with_reasons().tolist() == [True, False, False, True]
    np.testing.assert_array_equal(back.distance_km, chunk.distance_km)
    assert back.texts == chunk.texts and back.codes.tolist() == chunk.codes.tolist()


def test_a_checkpoint_of_the_earlier_format_holds_every_pairs_reasons(tmp_path: Path) -> None:
    """A run stopped before the upgrade resumes on its checkpoints: their pairs all carry
    reasons, so none is rebuilt (and no distance is needed)."""
    chunk = _chunk(explained=ALL_EXPLAINED)
    blob = json.dumps(chunk.texts, ensure_ascii=False).encode("utf-8")
    np.savez(tmp_path / "old.npz", start=chunk.start, rows=chunk.rows, score=chunk.score,
             reason_start=chunk.reason_start, codes=chunk.codes,
             texts=np.frombuffer(blob, np.uint8), values=chunk.values)  # fmt: skip
    back = ChunkCandidates.load(tmp_path / "old.npz")
    assert back.explained == ALL_EXPLAINED and back.with_reasons().all()
    assert back.reason_start.tolist() == chunk.reason_start.tolist()
    assert np.isnan(back.distance_km).all() and back.distance_km.size == 4
