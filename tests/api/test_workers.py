"""Several worker processes (``songgang serve --workers N``): an import reaching one worker
reaches the others (new snapshot, refitted persons), without rebuild ping-pong."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api import state
from api.state import EngineHolder
from matching.generator import write_sample
from matching.ingest import importer
from tests.api.conftest import World, make_world, run_import


@pytest.fixture()
def small_world(tmp_path: Path) -> World:
    return make_world("sqlite", tmp_path, persons=60, postings=60)


def _more(world: World, tmp: Path) -> dict[str, Path]:
    """Another generated batch (other seed: new persons and postings)."""
    return write_sample(tmp / "more", persons=25, postings=30, seed=99)


def test_a_rebuild_in_one_worker_reaches_the_other(
    small_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "REFRESH_SECONDS", 0.0)
    a, b = (
        EngineHolder(small_world.settings, small_world.db),
        EngineHolder(small_world.settings, small_world.db),
    )
    a.load()
    b.load()
    assert a.current is not None and b.current is not None
    first = a.current.version
    b.refresh_if_changed()
    assert not b.rebuilding and b.current.version == first  # nothing changed: no reload

    more = _more(small_world, tmp_path)
    importer.import_postings(small_world.db, more["postings_csv"])
    a.rebuild_in_background(snapshot=True)  # the worker that took the import
    assert a.wait()
    assert a.current.version != first
    b.refresh_if_changed()
    assert b.wait()
    assert b.current.version == a.current.version
    assert b.current.engine.posting_ids_ == a.current.engine.posting_ids_

    indexed = len(b.current.engine.person_ids_)
    importer.import_persons(small_world.db, more["persons_csv"])
    a.rebuild_in_background(snapshot=False)  # persons only: same snapshot, refitted persons
    assert a.wait()
    b.refresh_if_changed()
    assert b.wait()
    assert len(b.current.engine.person_ids_) == len(a.current.engine.person_ids_) > indexed

    # No ping-pong: the reload in b announces nothing, so a has nothing to reload.
    generation = a.generation
    a.refresh_if_changed()
    b.refresh_if_changed()
    assert a.wait() and b.wait()
    assert a.generation == generation


def test_a_reload_that_keeps_failing_is_retried_ever_less_often(
    small_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another worker published a snapshot this one cannot load: it keeps serving the old
    index, and tries again after 4, 8, 16 … s (not every 2 s); once a reload works, back to 2."""
    monkeypatch.setattr(state, "REFRESH_SECONDS", 2.0)
    holder = EngineHolder(small_world.settings, small_world.db)
    holder.load()
    served = holder.current
    now = [1_000.0]
    holder._clock = lambda: now[0]
    monkeypatch.setattr(holder, "_stamp", lambda: ("published-elsewhere", 1, 1))
    tries: list[float] = []
    broken = [True]

    def rebuild(*, snapshot: bool, announce: bool) -> None:
        tries.append(now[0])
        if broken[0]:
            raise OSError("snapshot unreadable")
        holder._seen = holder._stamp()

    monkeypatch.setattr(holder, "_rebuild", rebuild)

    def look_at(t: float) -> None:
        now[0] = 1_000.0 + t
        holder.refresh_if_changed()
        assert holder.wait()

    for t in (0, 1, 3, 3.9, 4, 6, 11.9, 12, 27.9, 28):
        look_at(t)
    assert [t - 1_000.0 for t in tries] == [0, 4, 12, 28]  # 4, 8, 16 s apart
    assert holder.failures == 4 and "snapshot unreadable" in (holder.last_error or "")
    assert holder.current is served  # still serving the index it had

    holder.failures = 20  # the cap: after many failures, 300 s apart, not hours
    assert holder._refresh_interval() == state.RETRY_MAX_SECONDS

    holder.failures = 1
    broken[0] = False
    look_at(32)  # 4 s after the last try: tried, and it works
    assert holder.failures == 0 and holder.last_error is None
    assert holder._refresh_interval() == 2.0


def test_serve_with_two_workers_answers_and_follows_an_import(
    small_world: World, tmp_path: Path
) -> None:
    proc, base = serve_two_workers(small_world)
    admin = {"X-API-Key": small_world.keys["admin"]}

    def versions(n: int) -> set[str]:
        # fresh connections, so the kernel spreads them over both workers
        return {httpx.get(f"{base}/version", headers=admin, timeout=10).json()["index_version"]
                for _ in range(n)}  # fmt: skip

    try:
        _wait_until(lambda: httpx.get(f"{base}/health", timeout=2).json()["index_loaded"], proc)
        before = versions(10)
        assert len(before) == 1
        more = _more(small_world, tmp_path)
        file = ("p.csv", more["postings_csv"].read_bytes(), "text/csv")
        with httpx.Client(base_url=base, timeout=60) as client:  # the job is followed on any worker
            assert run_import(client, "postings", file, admin)["status"] == "succeeded"
        _wait_until(lambda: len(after := versions(12)) == 1 and after != before, proc, 90)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    log = out.decode("utf-8", "replace")
    assert log.count("Started server process") == 2, log  # two workers served


def serve_two_workers(world: World) -> tuple[subprocess.Popen[bytes], str]:
    """``songgang serve --workers 2`` on a free loopback port over ``world``: (process, base URL)."""
    s = world.settings
    port = _free_port()
    env = os.environ | {
        "SONGGANG_DATABASE_URL": s.database_url,
        "SONGGANG_INDEX_DIR": str(s.index_dir),
        "SONGGANG_TODAY": str(s.today),
        "SONGGANG_UPLOAD_DIR": str(s.upload_dir),
    }
    cmd = [sys.executable, "-m", "matching.cli.main", "serve", "--port", str(port), "--workers", "2",
           "--keys-file", str(s.keys_file)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until(check, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, "the server exited"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)
