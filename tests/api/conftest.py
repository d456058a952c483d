"""A small world for the API tests: generated sample data imported into SQLite (and PostgreSQL
when ``SONGGANG_TEST_POSTGRES_URL`` is set), a published snapshot, one key per role."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine, select, text

from api.main import create_app
from api.settings import Settings
from matching.generator import write_sample
from matching.ingest import importer
from matching.nightly.records import NightlyResult, NightlySettings
from matching.nightly.run import run_nightly
from matching.rank.snapshots import build_snapshot
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.keys import create_key
from matching.store.tables import Base, PersonRow

with warnings.catch_warnings():
    # starlette asks for httpx2; the TestClient itself works the same with httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PG_ENV = "SONGGANG_TEST_POSTGRES_URL"
TODAY = dt.date(2024, 11, 15)  # the sample's postings are valid around 2024-10..2025-03
OWN, OTHER = "河西区", "南开区"


def reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@dataclass
class World:
    settings: Settings
    keys: dict[str, str]  # admin, caseworker (河西区), caseworker_other (南开区), organiser
    sample: dict[str, Any]
    db: Engine

    def headers(self, who: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[who]}

    def person_ids(self, district: str, status: str = "registered") -> list[int]:
        with session_scope(self.db) as s:
            stmt = select(PersonRow.id).where(
                PersonRow.district == district, PersonRow.status == status
            )
            return list(s.scalars(stmt.order_by(PersonRow.id)))

    def person(self, pk: int) -> PersonRow:
        with session_scope(self.db) as s:
            row = s.get(PersonRow, pk)
            assert row is not None
            return row


def _db_url(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'songgang.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"needs a PostgreSQL server: set {PG_ENV}=postgresql+psycopg://… (bash .ci/postgres)"
        )
    return url


def make_world(
    backend: str, tmp: Path, *, persons: int = 400, postings: int = 300, url: str | None = None
) -> World:
    """A world on ``backend``: SQLite under ``tmp``, or the PostgreSQL database ``url`` (default
    ``SONGGANG_TEST_POSTGRES_URL``), emptied first."""
    url = url or _db_url(backend, tmp)
    db = make_engine(url)
    if backend == "postgresql":
        reset_postgres(db)
    upgrade(db)
    sample = write_sample(tmp / "sample", persons=persons, postings=postings, seed=11, bad_rows=2)
    importer.import_persons(db, sample["persons_csv"])
    importer.import_postings(db, sample["postings_csv"])
    build_snapshot(db, tmp / "index")
    settings = Settings(
        database_url=url,
        index_dir=tmp / "index",
        keys_file=tmp / "keys.json",
        upload_dir=tmp / "uploads",
        models_dir=tmp / "models",
        today=TODAY,
        max_upload_mb=1,
    )
    keys = {
        "admin": create_key(settings.keys_file, "city_admin"),
        "caseworker": create_key(settings.keys_file, "caseworker", OWN),
        "caseworker_other": create_key(settings.keys_file, "caseworker", OTHER),
        "organiser": create_key(settings.keys_file, "organiser"),
    }
    return World(settings, keys, sample, db)


@contextmanager
def served_world(tmp: Path, *, persons: int, postings: int) -> Iterator[tuple[World, TestClient]]:
    """A SQLite world of its own and a client of an app over it (lifespan run)."""
    w = make_world("sqlite", tmp, persons=persons, postings=postings)
    with TestClient(create_app(w.settings)) as c:
        yield w, c
    w.db.dispose()


def nightly_lists(w: World, out: Path) -> NightlyResult:
    """Run the nightly batch for TODAY over OWN and OTHER only (quick), writing to ``out``."""
    settings = NightlySettings(per_person=3, chunk_size=100, districts=(OWN, OTHER))
    return run_nightly(w.db, w.settings.index_dir, out, day=TODAY, settings=settings)


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    w = make_world(request.param, tmp_path_factory.mktemp(f"world-{request.param}"))
    yield w
    w.db.dispose()


@pytest.fixture(scope="session")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


def scan_text(body: str, rows: list[PersonRow]) -> list[str]:
    """Personal data of ``rows`` that occurs in ``body`` (ID numbers, phones, full names)."""
    leaks = []
    for r in rows:
        for value in (r.id_number, r.phone, r.name if len(r.name) > 1 else None):
            if value and value in body:
                leaks.append(value)
    return leaks


def run_import(
    client: Any, kind: str, file: tuple[str, bytes, str], headers: dict[str, str]
) -> dict[str, Any]:
    """Upload ``file`` to ``/imports/{kind}`` (202, a job) and follow the job to its end.

    ``client`` is a TestClient or an httpx.Client with a base URL; returns the job's state.
    """
    r = client.post(f"/imports/{kind}", files={"file": file}, headers=headers)
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["Location"] == job["status_url"] == f"/imports/{job['job_id']}"
    deadline = time.monotonic() + 300
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        r = client.get(job["status_url"], headers=headers)
        assert r.status_code == 200, r.text
        job = r.json()
    return job  # type: ignore[no-any-return]


@contextmanager
def serving(world: World, **overrides: object) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread; yields the base URL."""
    settings = world.settings.model_copy(update=overrides)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(60)
