"""A promote or rollback of the learned ranker reaches every API worker at its next refresh."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from api import state
from api.state import EngineHolder
from matching.learn.guard import rollback
from matching.learn.policy import log_lists
from matching.learn.ranker import train_ranker
from matching.learn.simulator import Simulator, random_contexts
from matching.store.db import session_scope
from matching.store.nightly_tables import RankerPromotionRow
from tests.api.conftest import World, make_world


@pytest.fixture()
def small_world(tmp_path: Path) -> World:
    return make_world("sqlite", tmp_path, persons=40, postings=40)


def _model(tmp: Path):
    rng = np.random.default_rng(0)
    contexts = random_contexts(1500, rng)
    responses = Simulator(contexts, seed=0).respond(log_lists(contexts, 5, 0.2, rng), rng)
    return train_ranker(contexts, responses, tmp, window={"simulated": True})


def test_workers_serve_the_promoted_model_then_the_hand_weights_after_a_rollback(
    small_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "REFRESH_SECONDS", 0.0)
    holder = EngineHolder(small_world.settings, small_world.db)
    holder.load()
    assert holder.current is not None
    assert holder.current.engine.__dict__.get("reranker_") is None
    model = _model(tmp_path)
    with session_scope(small_world.db, write=True) as session:
        session.add(RankerPromotionRow(action="promote", model_id=model.ranker.model_id,
                                       model_path=str(model.path),
                                       model_sha256=model.ranker.sha256, by_key="t"))  # fmt: skip
    holder.refresh_if_changed()
    assert holder.wait()
    assert holder.current.engine.reranker_.model_id == model.ranker.model_id
    with session_scope(small_world.db, write=True) as session:
        rollback(session, by="t")
    holder.refresh_if_changed()
    assert holder.wait()
    assert holder.current.engine.__dict__.get("reranker_") is None


def test_a_promoted_model_file_that_is_gone_leaves_the_hand_weights_serving_and_says_why(
    small_world: World, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app

    model = _model(tmp_path)
    with session_scope(small_world.db, write=True) as session:
        session.add(RankerPromotionRow(action="promote", model_id=model.ranker.model_id,
                                       model_path=str(model.path),
                                       model_sha256=model.ranker.sha256, by_key="t"))  # fmt: skip
    with TestClient(create_app(small_world.settings)) as client:
        version = client.get("/version", headers=small_world.headers("admin")).json()
        assert version["ranker"] == model.ranker.model_id and version["ranker_error"] is None
    model.path.unlink()  # the file went missing (a disk restored without models/learned)
    with TestClient(create_app(small_world.settings)) as client:  # the service still starts
        assert client.get("/ready").status_code == 200
        version = client.get("/version", headers=small_world.headers("admin")).json()
        assert version["ranker"] == "hand weights" and version["ranker_error"]
        r = client.get("/persons/1/recommendations", headers=small_world.headers("admin"))
        assert r.status_code == 200, r.text
