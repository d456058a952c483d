"""The keys file: expiry, revocation, rotation and last use, as the API and `songgang keys` see."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest

from matching.store.keyauth import KeyStore
from matching.store.keys import (
    create_key,
    create_key_with_id,
    list_keys,
    merge_last_used,
    parse_expiry,
    read_last_used,
    revoke_key,
    rotate_key,
)

NOW = dt.datetime(2025, 1, 10, 8, 30, tzinfo=dt.UTC)


def test_parse_expiry() -> None:
    assert parse_expiry("90d", NOW) == NOW + dt.timedelta(days=90)
    assert parse_expiry("2w", NOW) == NOW + dt.timedelta(weeks=2)
    assert parse_expiry("36h", NOW) == NOW + dt.timedelta(hours=36)
    # a date: the key works through that whole day
    assert parse_expiry("2025-06-30", NOW) == dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    for bad in ("soon", "90", "-3d", "2024-12-31"):
        with pytest.raises(ValueError):
            parse_expiry(bad, NOW)


def test_revoked_and_expired_keys_stop_working_at_once(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    key_id, key = create_key_with_id(path, "caseworker", "河西区", label="窗口2")
    assert store.authenticate(key) is not None  # a new key works without a restart
    assert revoke_key(path, key_id) is True and revoke_key(path, key_id) is False
    assert store.authenticate(key) is None  # the cached store re-reads the changed file
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    expired = create_key(path, "organiser", expires_at=past)
    assert store.authenticate(expired) is None
    future = create_key(path, "organiser", expires_at=past + dt.timedelta(days=1))
    assert store.authenticate(future) is not None
    with pytest.raises(KeyError):
        revoke_key(path, "k_nope")


def test_rotate_keeps_role_district_label_and_expiry(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    expiry = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    old_id, old = create_key_with_id(path, "caseworker", "南开区", label="窗口1", expires_at=expiry)
    new_id, new = rotate_key(path, old_id)
    assert store.authenticate(old) is None
    principal = store.authenticate(new)
    assert principal is not None and principal.key_id == new_id
    assert (principal.role, principal.district) == ("caseworker", "南开区")
    info = {i.key_id: i for i in list_keys(path)}
    assert info[new_id].label == "窗口1" and info[new_id].expires_at == expiry.isoformat()
    assert info[old_id].state() == "revoked" and info[new_id].state() == "active"
    with pytest.raises(ValueError):
        rotate_key(path, old_id)


def test_listing_is_masked_and_the_file_holds_no_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key = create_key(path, "city_admin", label="市局")
    text = path.read_text(encoding="utf-8")
    assert key not in text and key[:-4] not in text
    (info,) = list_keys(path)
    assert info.masked == "sg_…" + key[-4:] and info.last_used_at is None
    assert oct(path.stat().st_mode)[-3:] == "600"


def test_last_use_is_noted_in_memory_and_merged_by_flush(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key_id, key = create_key_with_id(path, "organiser")
    stat = path.stat()
    store = KeyStore(path)  # flushes at most once a minute
    assert store.authenticate(key) is not None
    assert read_last_used(path) == {}  # nothing written on the request path
    store.close()
    assert list_keys(path)[0].last_used_at is not None
    assert path.stat().st_mtime_ns == stat.st_mtime_ns  # the keys file itself is untouched


def test_last_use_merge_keeps_the_latest_from_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    early, late = NOW, NOW + dt.timedelta(hours=1)

    def worker(i: int) -> None:
        merge_last_used(path, {f"k_{i}": early, "k_shared": late if i == 3 else early})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    used = json.loads((tmp_path / "keys.json.last-used").read_text())
    assert set(used) == {f"k_{i}" for i in range(8)} | {"k_shared"}
    assert used["k_shared"] == late.isoformat(timespec="minutes")
    merge_last_used(path, {"k_shared": early})
    assert read_last_used(path)["k_shared"] == late.isoformat(timespec="minutes")


def test_a_due_flush_runs_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key_id, key = create_key_with_id(path, "organiser")
    store = KeyStore(path, flush_seconds=0)
    assert store.authenticate(key) is not None
    for t in threading.enumerate():
        if t.name == "songgang-keys-used":
            t.join(5)
    assert key_id in read_last_used(path)
