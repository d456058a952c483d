"""Imports as jobs (issue 15, points 4 and 5): 202 and a status to follow, hostile uploads
refused quickly with a bilingual message, nothing after the commit failing an import, and
``/health`` answering while an import runs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api import jobs
from api.main import create_app
from matching.generator import write_sample
from matching.ingest import importer, readers
from matching.store.db import session_scope
from matching.store.tables import PersonRow
from tests.api.conftest import World, make_world, run_import
from tests.conftest import xlsx_bomb


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world("sqlite", tmp_path, persons=30, postings=30)
    return w.__class__(w.settings.model_copy(update={"max_upload_mb": 5}), w.keys, w.sample, w.db)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


def test_an_xlsx_bomb_is_refused_with_413_at_once(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    source = world.sample["persons_csv"].with_suffix(".xlsx")
    data = xlsx_bomb(tmp_path / "bomb.xlsx", source, 200).read_bytes()
    started = time.perf_counter()
    r = client.post("/imports/persons", files={"file": ("p.xlsx", data, "application/zip")},
                    headers=world.headers("admin"))  # fmt: skip
    assert time.perf_counter() - started < 2.0
    assert r.status_code == 413, r.text
    assert "压缩比异常" in r.json()["detail"] and "refused" in r.json()["detail"]
    assert str(world.settings.upload_dir) not in r.text
    assert not any(world.settings.upload_dir.iterdir())  # nothing kept, nothing queued


def test_a_file_over_the_row_limit_fails_its_job_with_413(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    file = ("p.csv", world.sample["persons_csv"].read_bytes(), "text/csv")
    job = run_import(client, "persons", file, world.headers("admin"))
    assert (job["status"], job["error_status"], job["report"]) == ("failed", 413, None)
    assert "超过10行数据" in job["detail"] and "more than 10 data rows" in job["detail"]


def test_a_failed_job_names_the_file_not_the_server_folder(
    client: TestClient, world: World
) -> None:
    file = ("名单.csv", "姓名,电话\n张三,13800000000\n".encode(), "text/csv")
    job = run_import(client, "persons", file, world.headers("admin"))
    assert (job["status"], job["error_status"]) == ("failed", 422), job
    upload_dir = world.settings.upload_dir
    for folder in {str(upload_dir), str(upload_dir.resolve()), job["job_id"]}:
        assert folder not in job["detail"]
    assert "身份证号码" in job["detail"]  # the missing column is named
    assert not any(len(part) == 32 and part.isalnum() for part in job["detail"].split("/"))


def test_an_over_long_cell_is_a_rejected_row_and_the_import_succeeds(
    client: TestClient, world: World
) -> None:
    text = world.sample["persons_csv"].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("备注")] = "长" * 140_000
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode()
    job = run_import(client, "persons", ("p.csv", data, "text/csv"), world.headers("admin"))
    assert job["status"] == "succeeded", job
    (problem,) = [p for p in job["report"]["rejects"] if p["column"] == "备注"]
    assert "超过上限2000" in problem["reason"] and "140000 characters" in problem["reason_en"]
    rejects = client.get(job["rejects_url"], headers=world.headers("admin"))
    assert rejects.status_code == 200 and len(rejects.text) < 20_000
    assert client.get(job["rejects_url"], headers=world.headers("caseworker")).status_code == 403


def test_nothing_after_the_commit_turns_success_into_failure(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_path: object, limit: int = 1000) -> list[object]:
        raise OSError("the rejects file vanished")

    monkeypatch.setattr(jobs, "read_rejects", broken)
    holder = client.app.state.holder  # type: ignore[attr-defined]
    generation = holder.generation
    more = world.sample["persons_csv"].parent.parent / "more"
    sample = write_sample(more, persons=10, postings=0, seed=42, bad_rows=1)
    stored = _count_persons(world)
    file = ("p.csv", sample["persons_csv"].read_bytes(), "text/csv")
    job = run_import(client, "persons", file, world.headers("admin"))
    assert job["status"] == "succeeded", job
    report = job["report"]
    assert report["inserted"] == 10 and report["rejected"] >= 1 and report["rejects"] == []
    assert report["index_rebuild"] == "started" and job["rejects_url"]
    assert _count_persons(world) == stored + 10  # committed, and reported as such
    assert holder.wait(timeout=120) and holder.generation > generation  # the index refreshed


def _count_persons(world: World) -> int:
    with session_scope(world.db) as s:
        return s.scalar(select(func.count()).select_from(PersonRow)) or 0


def test_health_answers_while_an_import_runs(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, entered = threading.Event(), threading.Event()
    real = importer.import_persons

    def slow(db: object, path: Path, **kw: object) -> importer.ImportReport:
        entered.set()
        assert release.wait(60)
        return real(db, path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "import_persons", slow)
    h = world.headers("admin")
    file = {"file": ("p.csv", world.sample["persons_csv"].read_bytes(), "text/csv")}
    try:
        r = client.post("/imports/persons", files=file, headers=h)
        assert r.status_code == 202 and r.json()["status"] == "queued"
        second = client.post("/imports/persons", files=file, headers=h).json()
        assert entered.wait(30)
        started = time.perf_counter()
        assert client.get("/health").status_code == 200
        assert time.perf_counter() - started < 1.0
        assert client.get(r.json()["status_url"], headers=h).json()["status"] == "running"
        assert client.get(second["status_url"], headers=h).json()["status"] == "queued"
    finally:
        release.set()
    for job in (r.json(), second):
        deadline = time.monotonic() + 120
        while (state := client.get(job["status_url"], headers=h).json())["status"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert state["status"] == "succeeded", state


def test_unknown_jobs_and_other_roles(client: TestClient, world: World) -> None:
    h = world.headers("admin")
    assert client.get(f"/imports/{'0' * 32}", headers=h).status_code == 404
    assert client.get(f"/imports/{'0' * 32}/rejects.csv", headers=h).status_code == 404
    assert client.get("/imports/..%2F..%2Fetc", headers=h).status_code in (404, 422)
    assert (
        client.get(f"/imports/{'0' * 32}", headers=world.headers("caseworker")).status_code == 403
    )


def _orphan_job(
    world: World, name: str, owner: dict[str, object], source: Path | None = None
) -> tuple[str, Path]:
    """A job left 'running' by the process ``owner``: its id and upload."""
    job_id = uuid.uuid4().hex
    folder = world.settings.upload_dir / job_id
    folder.mkdir(parents=True)
    upload = folder / name
    shutil.copy(source or world.sample["persons_csv"], upload)
    state = {"job_id": job_id, "kind": "persons", "file": name, "status": "running",
             "submitted_at": "2026-12-07T06:00:00+00:00",
             "started_at": "2026-12-07T06:00:01+00:00", "finished_at": None, "detail": None,
             "error_status": None, "report": None, "rejects_file": None, "owner": owner}  # fmt: skip
    (folder / jobs.STATE).write_text(json.dumps(state), encoding="utf-8")
    return job_id, upload


def _dead_owner() -> dict[str, object]:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    since = psutil.Process(child.pid).create_time()
    child.wait()
    return {"host": socket.gethostname(), "pid": child.pid, "since": since}


def test_a_job_whose_process_died_before_the_commit_fails_and_changed_nothing(
    client: TestClient, world: World
) -> None:
    before = _count_persons(world)
    job_id, _ = _orphan_job(world, "名单.csv", _dead_owner())
    h = world.headers("admin")
    state = client.get(f"/imports/{job_id}", headers=h).json()
    assert (state["status"], state["error_status"]) == ("failed", 503), state
    assert "导入中断" in state["detail"] and "upload again" in state["detail"]
    assert state["finished_at"] is not None
    assert _count_persons(world) == before
    # the answer is kept: asking again gives the same state
    assert client.get(f"/imports/{job_id}", headers=h).json() == state


def test_a_job_whose_process_died_after_the_commit_is_reported_succeeded(
    client: TestClient, world: World
) -> None:
    more = write_sample(world.sample["persons_csv"].parent.parent / "more", persons=10,
                        postings=0, seed=7)  # fmt: skip
    job_id, upload = _orphan_job(world, "名单.csv", _dead_owner(), more["persons_csv"])
    report = importer.import_persons(world.db, upload, tag=jobs.job_tag(job_id))
    state = client.get(f"/imports/{job_id}", headers=world.headers("admin")).json()
    assert state["status"] == "succeeded", state
    counts = {k: state["report"][k] for k in ("read", "inserted", "updated", "rejected")}
    assert counts == {"read": report.read, "inserted": report.inserted,
                      "updated": report.updated, "rejected": report.rejected}  # fmt: skip
    assert report.inserted > 0


def test_a_job_of_a_live_process_or_another_host_is_left_as_it_is(
    client: TestClient, world: World
) -> None:
    me = psutil.Process()
    h = world.headers("admin")
    alive = {"host": socket.gethostname(), "pid": me.pid, "since": me.create_time()}
    elsewhere = {**_dead_owner(), "host": "another-host"}
    for owner in (alive, elsewhere):
        job_id, _ = _orphan_job(world, "p.csv", owner)
        assert client.get(f"/imports/{job_id}", headers=h).json()["status"] == "running"
    # the same pid, started at another time, is another process: the owner is gone
    reused = {**alive, "since": me.create_time() - 3600}
    job_id, _ = _orphan_job(world, "p.csv", reused)
    assert client.get(f"/imports/{job_id}", headers=h).json()["status"] == "failed"
