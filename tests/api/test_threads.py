"""SONGGANG_THREADS sizes the thread pool the blocking work runs in."""

from __future__ import annotations

import warnings

import anyio.to_thread
import pytest
from threadpoolctl import threadpool_info

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import OWN, World

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _pool_size(client: TestClient) -> int:
    limiter = client.portal.call(anyio.to_thread.current_default_thread_limiter)  # type: ignore[union-attr]
    return int(limiter.total_tokens)


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONGGANG_THREADS", "3")
    assert Settings().threads == 3
    monkeypatch.setenv("SONGGANG_THREADS", "0")
    with pytest.raises(ValueError):
        Settings()


def test_threads_size_the_pool_and_one_thread_serves(world: World) -> None:
    with TestClient(create_app(world.settings)) as c:
        assert _pool_size(c) == 40  # anyio's default when the setting is not given
    settings = world.settings.model_copy(update={"threads": 1})
    with TestClient(create_app(settings)) as c:
        assert _pool_size(c) == 1
        h = world.headers("caseworker")
        for pk in world.person_ids(OWN)[:5]:  # the dependencies and the endpoint, one thread
            r = c.get(f"/persons/{pk}/recommendations", params={"n": 3}, headers=h)
            assert r.status_code == 200
        assert c.get("/persons", params={"q": ""}, headers=h).status_code == 200


def _blas_threads() -> set[int]:
    """Threads of the process-wide BLAS libraries (the OpenMP ones count per thread)."""
    infos = threadpool_info()
    return {int(i["num_threads"]) for i in infos if i.get("threading_layer") == "pthreads"}


def test_blas_runs_one_thread_while_the_app_runs_and_is_put_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SONGGANG_BLAS_THREADS", "3")
    assert Settings().blas_threads == 3
    assert world.settings.blas_threads == 1  # the default
    before = _blas_threads()
    assert before, "numpy's OpenBLAS is loaded"
    with TestClient(create_app(world.settings)) as c:
        assert _blas_threads() == {1}
        pk = world.person_ids(OWN)[0]
        r = c.get(f"/persons/{pk}/recommendations", headers=world.headers("caseworker"))
        assert r.status_code == 200 and r.json()["count"] > 0
    assert _blas_threads() == before
