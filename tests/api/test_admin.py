"""Imports (with the background rebuild), the audit log, keys and the access-log filter."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import StripQueryFilter, create_app
from api.settings import Settings
from matching.generator import write_sample
from matching.store.keyauth import KeyStore
from matching.store.keys import create_key, ensure_demo_keys, hash_key
from tests.api.conftest import TODAY, World, run_import


@pytest.fixture
def empty_app(tmp_path: Path) -> tuple[TestClient, dict[str, str], dict]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", index_dir=tmp_path / "index",
        keys_file=tmp_path / "keys.json", upload_dir=tmp_path / "up", today=TODAY,
        max_upload_mb=0.2,
    )  # fmt: skip
    h = {"X-API-Key": create_key(settings.keys_file, "city_admin")}
    sample = write_sample(tmp_path / "s", persons=60, postings=40, seed=3, bad_rows=2)
    return TestClient(create_app(settings)), h, sample


def test_import_then_background_rebuild_swaps_the_index(empty_app) -> None:  # type: ignore[no-untyped-def]
    client, h, sample = empty_app
    with client:
        holder = client.app.state.holder  # type: ignore[attr-defined]
        assert client.get("/health").json()["index_loaded"] is False
        assert (
            client.post("/recommendations", json={"skills": "保洁"}, headers=h).status_code == 503
        )
        file = ("persons.csv", sample["persons_csv"].read_bytes(), "text/csv")
        job = run_import(client, "persons", file, h)
        assert job["status"] == "succeeded", job
        rep = job["report"]
        assert (rep["inserted"], rep["rejected"]) == (60, 2) and len(rep["rejects"]) == 2
        assert rep["rejects"][0]["row"] and rep["rejects"][0]["reason"]
        rejects = client.get(job["rejects_url"], headers=h)
        assert rejects.status_code == 200 and rejects.text.count("\n") == 3  # header + 2 rows
        holder.wait()
        file = ("postings.csv", sample["postings_csv"].read_bytes(), "text/csv")
        job = run_import(client, "postings", file, h)
        assert job["status"] == "succeeded" and job["report"]["index_rebuild"] == "started"
        assert holder.wait(timeout=120)
        first = holder.current
        assert first is not None and client.get("/health").json()["index_loaded"]
        # a second import rebuilds; the request in flight keeps the old engine object
        holder.rebuild_in_background(snapshot=True)
        during = client.post("/recommendations", json={"skills": "保洁", "n": 3}, headers=h)
        assert during.status_code == 200
        assert holder.wait(timeout=120)
        assert holder.current is not first and holder.current.version != first.version
        version = client.get("/version", headers=h).json()
        assert version["postings"] == 40 and version["index_version"] == holder.current.version


def test_bad_and_oversized_uploads(empty_app) -> None:  # type: ignore[no-untyped-def]
    client, h, _ = empty_app
    with client:
        cases = [
            (("p.xlsx", b"not a zip at all", "application/octet-stream"), 422),
            (("p.txt", b"x", "text/plain"), 422),
            (("p.csv", b"a" * 300_000, "text/csv"), 413),
        ]
        for file, status in cases:  # refused at once, no job
            r = client.post("/imports/postings", files={"file": file}, headers=h)
            assert r.status_code == status, (file[0], r.text)
            assert r.json()["detail"]
        # refused by the job: it fails with the reason, nothing written
        job = run_import(
            client, "postings", ("p.csv", "姓名,电话\n张三,1\n".encode(), "text/csv"), h
        )
        assert (job["status"], job["error_status"]) == ("failed", 422)
        assert "缺少必需的列" in job["detail"] and "missing required columns" in job["detail"]
        r = client.post("/imports/postings", headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "file"]


def test_all_rows_bad_is_422_with_the_report(empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, h, sample = empty_app
    lines = sample["persons_csv"].read_text(encoding="utf-8-sig").splitlines()
    header = lines[0]
    bad = (
        header
        + "\n"
        + "\n".join(
            ",".join(["王五", "12345"] + [""] * (header.count(",")))[: len(header)]
            for _ in range(2)
        )
    )
    with client:
        job = run_import(client, "persons", ("bad.csv", bad.encode(), "text/csv"), h)
    assert (job["status"], job["error_status"]) == ("failed", 422)
    assert job["detail"] == "文件中没有有效行 / no valid row in the file"
    assert job["report"]["rejected"] == 2 and len(job["report"]["rejects"]) == 2


def test_audit_log_filters(client: TestClient, world: World) -> None:
    pk = world.person_ids("河西区")[2]
    number = world.person(pk).id_number
    client.get(f"/persons/{pk}", headers=world.headers("caseworker"))
    h = world.headers("admin")
    body = client.get("/audit", params={"person_id": pk}, headers=h).json()
    assert body["count"] >= 1 and all(e["person_id_number"] == number for e in body["data"])
    latest = body["data"][0]
    assert latest["endpoint"] == f"GET /persons/{pk}" and latest["role"] == "caseworker"
    key_id = latest["key_id"]
    by_key = client.get("/audit", params={"key_id": key_id, "page_size": 500}, headers=h).json()
    assert by_key["count"] >= 1 and {e["key_id"] for e in by_key["data"]} == {key_id}
    import datetime as dt

    today = dt.datetime.now(dt.UTC).date()
    assert (
        client.get("/audit", params={"date_from": today.isoformat()}, headers=h).json()["count"]
        >= 1
    )
    old = client.get("/audit", params={"date_to": "2000-01-01"}, headers=h).json()
    assert old["count"] == 0
    assert client.get("/audit", params={"person_id": 9999999}, headers=h).status_code == 404


def test_keys_are_hashed_and_demo_keys_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key = create_key(path, "caseworker", "河西区")
    text = path.read_text(encoding="utf-8")
    assert key not in text and hash_key(key) in text
    first = ensure_demo_keys(path)
    assert ensure_demo_keys(path) == first
    assert set(first) == {"city_admin", "caseworker:河西区", "organiser"}
    store = KeyStore(path)
    assert store.authenticate(first["caseworker:河西区"]).district == "河西区"  # type: ignore[union-attr]
    assert all(k not in path.read_text(encoding="utf-8") for k in first.values())
    assert len(json.loads(text)["keys"]) == 1 and len(json.loads(path.read_text())["keys"]) == 4
    time.sleep(0.01)
    late = create_key(path, "organiser")
    assert store.authenticate(late) is not None and store.authenticate("sg_x") is None
    with pytest.raises(ValueError):
        create_key(path, "caseworker", "火星区")
    with pytest.raises(ValueError):
        create_key(path, "root")


def test_access_log_filter_strips_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/persons?q=120103198503121234", "1.1", 200), None,
    )  # fmt: skip
    assert StripQueryFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /persons HTTP/1.1" 200'
