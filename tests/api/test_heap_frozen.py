"""The loaded engine stays out of the cycle collector's passes, after the start and after each
reload, and a reload frees the engine it replaced (nothing kept in the frozen generation)."""

from __future__ import annotations

import gc
import time
import weakref

from fastapi.testclient import TestClient

from api.main import create_app
from api.state import EngineHolder, Loaded
from tests.api.conftest import OWN, World


def _collected(obj: object) -> bool:
    """Whether the cycle collector's passes still walk ``obj`` (the frozen ones are left out)."""
    return any(o is obj for o in gc.get_objects())


def _with_a_cycle(loaded: Loaded) -> None:
    """Give the engine a reference cycle (a cache holding its owner): once frozen, only a
    collection after ``gc.unfreeze`` can free it."""
    loaded.engine.__dict__["_test_cycle"] = [loaded.engine]


def _engine_frozen(loaded: Loaded) -> bool:
    engine = loaded.engine
    parts = (engine, engine.__dict__, engine.persons_, engine.person_profiles_)
    return not any(_collected(part) for part in parts)


def test_the_engine_is_frozen_after_the_start_and_after_each_reload(world: World) -> None:
    with TestClient(create_app(world.settings)) as client:
        holder = client.app.state.holder  # type: ignore[attr-defined]
        first = holder.current
        assert gc.get_freeze_count() > 0
        assert _engine_frozen(first)
        url = f"/persons/{world.person_ids(OWN)[0]}/recommendations"
        before = client.get(url, headers=world.headers("caseworker")).json()

        old = weakref.ref(first.engine)
        _with_a_cycle(first)
        del first
        holder.rebuild_in_background(snapshot=False, announce=False)
        assert holder.wait(120)
        assert holder.last_error is None
        # The replaced engine is gone, without a collection here: the reload put the frozen
        # generation back and collected it before freezing the new engine.
        assert old() is None
        assert _engine_frozen(holder.current)
        assert client.get(url, headers=world.headers("caseworker")).json() == before


def test_a_reload_frees_the_old_engine_once_the_last_request_let_go(world: World) -> None:
    """A request still answering from the replaced engine when the reload swaps keeps it
    alive; the reload waits for it to let go before it collects, so even an engine in a
    reference cycle is freed, not frozen for good."""
    with TestClient(create_app(world.settings)) as client:
        holder = client.app.state.holder  # type: ignore[attr-defined]
        in_flight = holder.current  # a request's reference
        old = weakref.ref(in_flight.engine)
        _with_a_cycle(in_flight)
        holder.rebuild_in_background(snapshot=False, announce=False)
        deadline = time.monotonic() + 120
        while holder.current is in_flight:  # the swap
            assert time.monotonic() < deadline
            time.sleep(0.001)
        time.sleep(0.1)  # the reload waits meanwhile
        assert holder.rebuilding
        del in_flight  # the request ends
        assert holder.wait(120)
        assert old() is None
        assert _engine_frozen(holder.current)


def test_the_start_up_load_runs_without_the_collector(world: World) -> None:
    """The engine loads at the start with the cycle collector off (its passes over the
    growing engine held the GIL for seconds); on again afterwards, the engine frozen."""
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    holder = EngineHolder(world.settings, world.db)
    gc.callbacks.append(count)
    try:
        holder.load()
    finally:
        gc.callbacks.remove(count)
    assert holder.current is not None
    assert passes == []
    assert gc.isenabled()
    assert _engine_frozen(holder.current)
