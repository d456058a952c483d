"""Writes under concurrency (issue 15, point 3): twelve clients writing contacts, employment
registrations, deregistrations and undos, plus two overlapping imports, against a real server
on a real database file (and PostgreSQL when ``SONGGANG_TEST_POSTGRES_URL`` is set). No answer
is a server error, and every write the server acknowledged is in the database afterwards. A
write lock held by someone else past the retries is a 503 with ``Retry-After``."""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from matching.store.campaign_tables import ContactRow, StatusEventRow
from matching.store.db import session_scope
from tests.api.conftest import OWN, World, make_world, serving

WRITERS = 12
SECONDS = float(os.environ.get("SONGGANG_CONCURRENCY_SECONDS", "15"))


@dataclass
class Acknowledged:
    contacts: dict[int, str] = field(default_factory=dict)  # id -> content
    events: dict[int, bool] = field(default_factory=dict)  # id -> undone
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self, code: int) -> None:
        with self.lock:
            self.statuses.append(code)


def _writer(base: str, world: World, persons: list[int], seed: int, ack: Acknowledged) -> None:
    rng = random.Random(seed)
    h = world.headers(rng.choice(["admin", "caseworker"]))
    on = dt.date(2024, 11, 1).isoformat()
    stop = time.monotonic() + SECONDS
    with httpx.Client(base_url=base, headers=h, timeout=120) as client:
        n = 0
        while time.monotonic() < stop:
            n += 1
            pk = rng.choice(persons)
            content = f"w{seed}-{n}"
            r = client.post(f"/persons/{pk}/contacts",
                            json={"contacted_on": on, "method": "电话", "content": content})  # fmt: skip
            ack.status(r.status_code)
            if r.status_code == 201:
                with ack.lock:
                    ack.contacts[r.json()["id"]] = content
            body = (
                ("employment", {"form": "单位就业", "on": on})
                if n % 2
                else ("deregistration", {"reason": 2, "on": on})
            )
            r = client.post(f"/persons/{pk}/{body[0]}", json=body[1])
            ack.status(r.status_code)
            if r.status_code != 201:
                continue
            event = r.json()["event_id"]
            with ack.lock:
                ack.events[event] = False
            r = client.post(f"/persons/{pk}/status-events/{event}/undo", json={"note": content})
            ack.status(r.status_code)
            if r.status_code == 200:
                with ack.lock:
                    ack.events[event] = True


def _importer(base: str, world: World, ack: Acknowledged, results: list[dict[str, object]]) -> None:
    """One import of the sample's persons (the same rows again: all unchanged or updated)."""
    data = world.sample["persons_csv"].read_bytes()
    with httpx.Client(base_url=base, headers=world.headers("admin"), timeout=120) as client:
        r = client.post("/imports/persons", files={"file": ("persons.csv", data, "text/csv")})
        ack.status(r.status_code)
        assert r.status_code == 202, r.text
        job = r.json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.2)
            r = client.get(f"/imports/{job['job_id']}")
            ack.status(r.status_code)
            job = r.json()
        results.append(job)


def _run_writers(world: World) -> tuple[Acknowledged, list[dict[str, object]]]:
    persons = world.person_ids(OWN)[:40]
    ack, imports = Acknowledged(), []
    # 2 threads per process, as `songgang serve --threads 2`: a write must not hold the lock
    # while it waits for a pool thread (docs/benchmarks.md, "mixed reads and writes")
    with serving(world, threads=2) as base:
        threads = [
            threading.Thread(target=_writer, args=(base, world, persons, i, ack))
            for i in range(WRITERS)
        ]
        threads += [
            threading.Thread(target=_importer, args=(base, world, ack, imports)) for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(SECONDS + 300)
    return ack, imports


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_twelve_writers_get_no_server_error_and_lose_no_write(backend: str, tmp_path: Path) -> None:
    world = make_world(backend, tmp_path, persons=120, postings=60)
    ack, imports = _run_writers(world)
    errors = [s for s in ack.statuses if s >= 500]
    assert not errors, f"{len(errors)} server errors of {len(ack.statuses)} answers"
    assert len(ack.contacts) >= 50 and len(ack.events) >= 20, (len(ack.contacts), len(ack.events))
    assert [j["status"] for j in imports] == ["succeeded", "succeeded"], imports
    with session_scope(world.db) as s:
        contacts = dict(s.execute(select(ContactRow.id, ContactRow.content)).all())
        events = {
            i: u is not None
            for i, u in s.execute(select(StatusEventRow.id, StatusEventRow.undone_at))
        }
    assert {i: contacts.get(i) for i in ack.contacts} == ack.contacts
    assert {i: events.get(i) for i in ack.events} == ack.events
    world.db.dispose()


def test_a_write_lock_held_past_the_retries_is_503_with_retry_after(tmp_path: Path) -> None:
    world = make_world("sqlite", tmp_path, persons=30, postings=30)
    pk = world.person_ids(OWN)[0]
    path = world.settings.database_url.removeprefix("sqlite:///")
    with serving(world, busy_timeout_ms=100) as base:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        try:
            r = httpx.post(f"{base}/persons/{pk}/contacts", headers=world.headers("caseworker"),
                           json={"contacted_on": "2024-11-01", "method": "电话"}, timeout=60)  # fmt: skip
        finally:
            holder.rollback()
            holder.close()
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "2"
        assert "数据库正忙" in r.json()["detail"] and "try again" in r.json()["detail"]
        r = httpx.post(f"{base}/persons/{pk}/contacts", headers=world.headers("caseworker"),
                       json={"contacted_on": "2024-11-01", "method": "电话"}, timeout=60)  # fmt: skip
        assert r.status_code == 201, r.text
    world.db.dispose()
