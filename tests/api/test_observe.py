"""What operators watch: /health, /ready, /metrics and the JSON request log (which never holds
an ID number, phone or name, even when the requests carry them)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import OWN, TODAY, World, nightly_lists, scan_text


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text ``text``."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = re.match(rf"{re.escape(name)}(?:{{(.*)}})? (\S+)$", line)
        if found and ",".join(sorted((found.group(1) or "").split(","))) == want:
            return float(found.group(2))
    raise AssertionError(f"no sample {name}{{{want}}}")


def test_health_and_ready_need_no_key(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["index_loaded"] is True
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "problems": []}


def test_ready_is_503_without_index_or_database(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'empty.db'}", index_dir=tmp_path / "index",
        keys_file=tmp_path / "keys.json", upload_dir=tmp_path / "up", today=TODAY,
    )  # fmt: skip
    with TestClient(create_app(settings)) as c:
        r = c.get("/ready")
        assert r.status_code == 503 and r.json()["problems"] == ["no index loaded"]
        c.app.state.db = create_engine(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
        r = c.get("/ready")
        assert r.status_code == 503 and r.json()["problems"][1].startswith("database unreachable")
        assert c.get("/health").status_code == 200  # liveness does not look at the database


def test_metrics_count_requests_by_route_template(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    nightly_lists(world, tmp_path / "nightly")
    pk = world.person_ids(OWN)[0]
    before = client.get("/metrics").text
    route = "/persons/{person_id}"
    try:
        start = _sample(
            before, "songgang_http_requests_total", route=route, method="GET", status="200"
        )
    except AssertionError:
        start = 0.0
    for _ in range(3):
        assert client.get(f"/persons/{pk}", headers=world.headers("caseworker")).status_code == 200
    assert client.get("/persons/1", headers={"X-API-Key": "sg_wrong"}).status_code == 401
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert (
        _sample(text, "songgang_http_requests_total", route=route, method="GET", status="200")
        == start + 3
    )
    assert (
        _sample(text, "songgang_http_requests_total", route=route, method="GET", status="401") >= 1
    )
    assert (
        _sample(text, "songgang_http_request_duration_seconds_count", route=route, method="GET")
        >= 3
    )
    assert f'route="/persons/{pk}"' not in text  # templates, never paths
    assert _sample(text, "songgang_index_loaded") == 1
    assert _sample(text, "songgang_index_items", kind="postings") > 0
    assert 0 <= _sample(text, "songgang_index_age_seconds") < 3600
    assert _sample(text, "songgang_index_bytes") > 0
    assert _sample(text, "songgang_import_runs", kind="persons", status="succeeded") >= 1
    assert _sample(text, "songgang_import_rows_total", kind="postings", count="inserted") > 0
    assert _sample(text, "songgang_nightly_runs", kind="nightly", status="succeeded") >= 1
    assert _sample(text, "songgang_nightly_seconds_total", kind="nightly", status="succeeded") > 0
    assert _sample(text, "songgang_nightly_rows_total", kind="nightly", count="pushes") > 0


def test_request_log_is_json_ready_and_holds_no_personal_data(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    pk = world.person_ids(OWN)[1]
    row = world.person(pk)
    h = world.headers("caseworker")
    with caplog.at_level(logging.DEBUG):
        for q in (row.id_number, row.phone or "13800000000", row.name):
            assert client.get("/persons", params={"q": q}, headers=h).status_code == 200
        assert client.get(f"/persons/{pk}", headers=h).status_code == 200
        assert client.get(f"/persons/{pk}/recommendations", headers=h).status_code == 200
        profile = {
            "skills": "保洁",
            "name": row.name,
            "phone": row.phone,
            "id_number": row.id_number,
        }
        client.post("/recommendations", json=profile, headers=h)
        client.get("/persons", params={"q": row.id_number}, headers={"X-API-Key": "sg_bad"})
        r = client.get("/postings", headers={**h, "X-Request-ID": "trace-42"})
    assert r.headers["x-request-id"] == "trace-42"
    lines = [rec for rec in caplog.records if rec.name == "songgang.request"]
    assert len(lines) == 8
    last = lines[-1]
    assert (last.request_id, last.route, last.status) == ("trace-42", "/postings", 200)  # type: ignore[attr-defined]
    assert (last.role, last.district, last.method) == ("caseworker", OWN, "GET")  # type: ignore[attr-defined]
    assert last.duration_ms >= 0  # type: ignore[attr-defined]
    assert lines[-2].status == 401 and lines[-2].role is None  # type: ignore[attr-defined]
    everything = "\n".join(
        json.dumps({k: str(v) for k, v in vars(rec).items()}, ensure_ascii=False) + rec.getMessage()
        for rec in caplog.records
        if not rec.name.startswith(("httpx", "httpcore"))  # the test client's own log
    )
    assert scan_text(everything, [row]) == []


def test_two_workers_share_metrics_and_log_json_lines(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx

    from tests.api.conftest import make_world
    from tests.api.test_workers import _free_port, _wait_until

    w = make_world("sqlite", tmp_path, persons=60, postings=60)
    s, port = w.settings, _free_port()
    env = os.environ | {
        "SONGGANG_DATABASE_URL": s.database_url, "SONGGANG_INDEX_DIR": str(s.index_dir),
        "SONGGANG_TODAY": str(s.today), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom"),
    }  # fmt: skip
    (tmp_path / "prom").mkdir()
    (tmp_path / "prom" / "counter_stale.db").write_bytes(b"left by an earlier run")
    cmd = [sys.executable, "-m", "matching.cli.main", "serve", "--port", str(port),
           "--workers", "2", "--keys-file", str(s.keys_file)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base, h = f"http://127.0.0.1:{port}", w.headers("caseworker")
    pk = w.person_ids(OWN)[0]
    row = w.person(pk)
    try:
        _wait_until(lambda: httpx.get(f"{base}/ready", timeout=2).status_code == 200, proc)
        for _ in range(20):  # fresh connections: the kernel spreads them over both workers
            assert httpx.get(f"{base}/postings", headers=h, timeout=10).status_code == 200
        for q in (row.id_number, row.name):
            httpx.get(f"{base}/persons", params={"q": q}, headers=h, timeout=10)
        text = httpx.get(f"{base}/metrics", timeout=10).text
        assert _sample(text, "songgang_http_requests_total", route="/postings", method="GET",
                       status="200") == 20  # fmt: skip
        assert "counter_stale" not in os.listdir(tmp_path / "prom")  # emptied at start
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    lines = [json.loads(x) for x in out.decode("utf-8").splitlines() if x.startswith("{")]
    requests = [x for x in lines if x["logger"] == "songgang.request"]
    assert len({x["process"] for x in lines if "Started server process" in x["message"]}) == 2
    assert len(requests) >= 23 and all(x["route"] and x["request_id"] for x in requests)
    assert scan_text(out.decode("utf-8"), [row]) == []
