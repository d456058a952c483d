"""Reverse matching decides who may be shown from the database at the time of the request.

An import moves persons of 河西区 to 南开区; the very next ``/postings/{id}/candidates`` of the
河西区 caseworker must not show them (their former caseworker would see names, ID numbers and
phones in full), and the 南开区 caseworker sees them at once. The engine's indexed persons are
left stale on purpose (no rebuild is announced), on one worker and on two.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from matching.ingest import importer
from tests.api.conftest import OTHER, TestClient, World, make_world
from tests.api.test_workers import _wait_until, serve_two_workers

Get = Callable[[str, str], httpx.Response]


@pytest.fixture()
def small_world(tmp_path: Path) -> World:
    return make_world("sqlite", tmp_path, persons=80, postings=60)


def _own_candidates(get: Get) -> tuple[int, set[str]]:
    """A posting for which the 河西区 caseworker sees candidates, and their ID numbers."""
    for pid in range(1, 61):
        r = get(f"/postings/{pid}/candidates?n=500", "caseworker")
        if r.status_code == 200 and r.json()["count"] >= 2:
            return pid, {c["id_number"] for c in r.json()["data"]}
    raise AssertionError("no posting with candidates in 河西区")


def _move(world: World, numbers: set[str], tmp: Path) -> None:
    """Import these persons again with 所属区 = 南开区 (one transaction)."""
    source = world.sample["persons_csv"]
    with Path(source).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    number_col, district_col = header.index("身份证号码"), header.index("所属区")
    moved = [r for r in rows[1:] if r[number_col] in numbers]
    for r in moved:
        r[district_col] = OTHER
    assert len(moved) == len(numbers)
    target = tmp / "moved.csv"
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *moved])
    report = importer.import_persons(world.db, target)
    assert report.updated == len(numbers), report


def _check_moved(world: World, get: Get, tmp: Path, asks: int) -> None:
    pid, before = _own_candidates(get)
    _move(world, before, tmp)
    for _ in range(asks):  # at once, and on every worker
        own = get(f"/postings/{pid}/candidates?n=500", "caseworker")
        assert own.status_code == 200, own.text
        shown = {c["id_number"] for c in own.json()["data"]}
        assert not shown & before, "moved persons still shown to their former district"
        assert OTHER not in own.json()["by_district"]
        other = get(f"/postings/{pid}/candidates?n=500", "caseworker_other")
        assert before <= {c["id_number"] for c in other.json()["data"]}


def test_a_move_is_seen_at_once_by_one_worker(small_world: World, tmp_path: Path) -> None:
    with TestClient(create_app(small_world.settings)) as client:

        def get(url: str, who: str) -> httpx.Response:
            return client.get(url, headers=small_world.headers(who))

        _check_moved(small_world, get, tmp_path, asks=3)


def test_a_move_is_seen_at_once_by_two_workers(small_world: World, tmp_path: Path) -> None:
    proc, base = serve_two_workers(small_world)

    def get(url: str, who: str) -> httpx.Response:
        # a fresh connection each time, so the kernel spreads the requests over both workers
        return httpx.get(base + url, headers=small_world.headers(who), timeout=30)

    try:
        _wait_until(lambda: httpx.get(f"{base}/health", timeout=2).json()["index_loaded"], proc)
        _check_moved(small_world, get, tmp_path, asks=12)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert out.decode("utf-8", "replace").count("Started server process") == 2
