"""End to end: a real uvicorn on 127.0.0.1 (free port, subprocess), called with httpx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from tests.api.conftest import OWN, World


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_real_uvicorn_serves_health_and_a_recommendation(world: World) -> None:
    port = _free_port()
    s = world.settings
    env = os.environ | {
        "SONGGANG_DATABASE_URL": s.database_url,
        "SONGGANG_INDEX_DIR": str(s.index_dir),
        "SONGGANG_KEYS_FILE": str(s.keys_file),
        "SONGGANG_TODAY": str(s.today),
    }
    cmd = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.2)
        assert health.json()["index_loaded"] is True
        pk = world.person_ids(OWN)[0]
        r = httpx.get(
            f"{base}/persons/{pk}/recommendations",
            params={"n": 3},
            headers={"X-API-Key": world.keys["caseworker"]},
            timeout=30,
        )
        assert r.status_code == 200 and len(r.json()["data"]) <= 3
        r = httpx.get(
            f"{base}/persons",
            params={"q": "13800000000"},
            headers={"X-API-Key": world.keys["admin"]},
        )
        assert r.status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    log = out.decode("utf-8", "replace")
    assert f"GET /persons/{pk}/recommendations HTTP/1.1" in log
    assert "q=" not in log and "13800000000" not in log  # query strings never reach the log
