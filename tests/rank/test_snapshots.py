"""Snapshots: the published engine is the one that is opened."""

from __future__ import annotations

import pytest
from conftest import TODAY, tiny_persons

from matching.exceptions import ModelFormatError, NotFoundError
from matching.rank.engine import MatchingEngine
from matching.rank.snapshots import current_path, load_current, publish


def test_load_current_opens_the_published_snapshot(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "index"
    tiny_engine.save(root / "old")
    publish(root, "old")
    narrow = MatchingEngine().fit(tiny_engine.postings_[:4])
    narrow.save(root / "new")
    publish(root, "new")
    assert current_path(root) == root / "new"
    current = load_current(root)
    assert isinstance(current, MatchingEngine)
    assert current.posting_ids_ == narrow.posting_ids_
    assert current.dim_ == narrow.dim_
    for p in tiny_persons():
        assert current.recommend(p, k=8, today=TODAY) == narrow.recommend(p, k=8, today=TODAY)


def test_load_current_without_a_published_snapshot_says_how_to_build_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="index build"):
        load_current(tmp_path / "index")


def test_load_current_refuses_a_damaged_snapshot(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "index"
    tiny_engine.save(root / "snap")
    publish(root, "snap")
    (root / "snap" / "postings.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ModelFormatError, match="checksum"):
        load_current(root)
