"""Save and load: a saved engine ranks exactly like the fitted one, and bad folders are refused."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TODAY, tiny_persons

from matching.exceptions import ModelFormatError
from matching.rank.engine import MatchingEngine


def test_save_load_round_trip_gives_identical_rankings(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    tiny_engine.save(tmp_path / "engine")
    loaded = MatchingEngine.load(tmp_path / "engine")
    for p in tiny_persons():
        assert loaded.recommend(p, k=8, today=TODAY) == tiny_engine.recommend(p, k=8, today=TODAY)


def test_load_refuses_tampered_files(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    d = tiny_engine.save(tmp_path / "engine")
    (d / "postings.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ModelFormatError, match="checksum"):
        MatchingEngine.load(d)


def test_format_1_snapshot_without_words_still_loads(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    import hashlib
    import json

    d = tiny_engine.save(tmp_path / "engine")
    arrays = dict(np.load(d / "vectors.npz"))
    np.savez(d / "vectors.npz", **{k: v for k, v in arrays.items() if not k.startswith("words_")})
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 1
    manifest["files"]["vectors.npz"] = hashlib.sha256((d / "vectors.npz").read_bytes()).hexdigest()
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    loaded = MatchingEngine.load(d)
    for p in tiny_persons():
        assert loaded.recommend(p, k=8, today=TODAY) == tiny_engine.recommend(p, k=8, today=TODAY)
    manifest["format_version"] = 99
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelFormatError, match="index build"):
        MatchingEngine.load(d)


def test_loaded_engine_reports_the_fitted_vector_width(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    loaded = MatchingEngine.load(tiny_engine.save(tmp_path / "engine"))
    assert loaded.dim_ == tiny_engine.dim_ == loaded.vectors_.shape[1]


def test_a_snapshot_saved_before_the_location_weight_ranks_as_it_did(tiny_engine, tmp_path):  # type: ignore[no-untyped-def]
    """Its candidates were cut with the query's location block at full weight (and 200 of
    them): loading it must not pair the old count with the new, lighter weight."""
    import json

    d = tiny_engine.save(tmp_path / "engine")
    assert MatchingEngine.load(d).config_.retrieval_location_weight == 0.25
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    del manifest["config"]["retrieval_location_weight"]
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert MatchingEngine.load(d).config_.retrieval_location_weight == 1.0
