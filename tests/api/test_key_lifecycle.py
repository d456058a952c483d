"""Keys made by `songgang keys` in a running service: a revoked or expired key gets 401 at the
next request, and the key's last use reaches `keys list`."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from api.main import create_app
from matching.store.keys import create_key, create_key_with_id, list_keys, revoke_key
from tests.api.conftest import World


def test_revoked_and_expired_keys_get_401(client: TestClient, world: World) -> None:
    path = world.settings.keys_file
    key_id, key = create_key_with_id(path, "caseworker", "河西区", label="窗口9")
    h = {"X-API-Key": key}
    assert client.get("/postings", headers=h).status_code == 200
    revoke_key(path, key_id)
    assert client.get("/postings", headers=h).status_code == 401
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    short = {"X-API-Key": create_key(path, "organiser", expires_at=soon)}
    assert client.get("/postings", headers=short).status_code == 200
    while dt.datetime.now(dt.UTC) <= soon:
        pass
    assert client.get("/postings", headers=short).status_code == 401


def test_last_use_is_written_when_the_service_stops(world: World) -> None:
    path = world.settings.keys_file
    key_id, key = create_key_with_id(path, "organiser", label="招聘会")
    with TestClient(create_app(world.settings)) as c:
        assert c.get("/postings", headers={"X-API-Key": key}).status_code == 200
    used = {i.key_id: i.last_used_at for i in list_keys(path)}
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert used[key_id] is not None and used[key_id].startswith(today)
