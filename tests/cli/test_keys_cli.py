"""`songgang keys`: a key is printed once, listed masked, revoked and rotated, all audited."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from matching.cli.main import app
from matching.store.db import make_engine, session_scope
from matching.store.keyauth import KeyStore
from matching.store.tables import AuditLogRow

runner = CliRunner()
KEY = re.compile(r"密钥 key (k_[0-9a-f]+): (sg_\S+)")


def _run(tmp: Path, *args: str):  # type: ignore[no-untyped-def]
    opts = ["--keys-file", str(tmp / "keys.json")]
    if args[0] != "list":
        opts += ["--db", f"sqlite:///{tmp / 'a.db'}"]
    return runner.invoke(app, ["keys", *args, *opts])


def _audit(tmp: Path) -> list[tuple[str, str, str]]:
    with session_scope(make_engine(f"sqlite:///{tmp / 'a.db'}")) as s:
        rows = s.scalars(select(AuditLogRow).order_by(AuditLogRow.id))
        return [(r.action, r.role, r.endpoint) for r in rows]


def test_create_list_rotate_revoke(tmp_path: Path) -> None:
    made = _run(tmp_path, "create", "--role", "caseworker", "--district", "河西区",
                "--label", "河西区 窗口2", "--expires", "90d")  # fmt: skip
    assert made.exit_code == 0, made.output
    key_id, key = KEY.search(made.output).groups()  # type: ignore[union-attr]
    store = KeyStore(tmp_path / "keys.json")
    assert store.authenticate(key).district == "河西区"  # type: ignore[union-attr]

    listed = _run(tmp_path, "list")
    assert listed.exit_code == 0 and key not in listed.output
    line = next(x for x in listed.output.splitlines() if x.startswith(key_id))
    assert f"sg_…{key[-4:]}" in line and "caseworker" in line and "active" in line
    assert "never" in line.split("active")[1]  # not used yet

    rotated = _run(tmp_path, "rotate", key_id)
    assert rotated.exit_code == 0, rotated.output
    new_id, new = KEY.search(rotated.output).groups()  # type: ignore[union-attr]
    assert store.authenticate(key) is None and store.authenticate(new) is not None
    assert key_id not in _run(tmp_path, "list").output
    assert "revoked" in _run(tmp_path, "list", "--all").output

    assert _run(tmp_path, "revoke", new_id).exit_code == 0
    assert store.authenticate(new) is None
    assert [(a, r) for a, r, _ in _audit(tmp_path)] == [
        ("key_create", "operator"), ("key_rotate", "operator"), ("key_revoke", "operator"),
    ]  # fmt: skip
    endpoints = [e for _, _, e in _audit(tmp_path)]
    assert endpoints[0].endswith(key_id) and endpoints[1].endswith(new_id)
    assert all(key not in e and new not in e for e in endpoints)


def test_refusals_change_nothing_and_audit_nothing(tmp_path: Path) -> None:
    bad = [
        ("create", "--role", "caseworker", "--district", "火星区", "--label", "x"),
        ("create", "--role", "root", "--label", "x"),
        ("create", "--role", "organiser", "--label", "x", "--expires", "soon"),
        ("revoke", "k_nope"),
        ("rotate", "k_nope"),
    ]
    for args in bad:
        result = _run(tmp_path, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "error" in result.output
    assert not (tmp_path / "keys.json").exists()
    assert not (tmp_path / "a.db").exists() or _audit(tmp_path) == []


def test_serve_audits_the_demo_keys_it_creates_and_can_do_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(kw))
    for var in ("SONGGANG_KEYS_FILE", "SONGGANG_DATABASE_URL"):  # restored after the test
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)
    keys_only = ["--keys-file", str(tmp_path / "keys.json")]
    plain = runner.invoke(app, ["serve", "--no-demo-keys", *keys_only])
    assert plain.exit_code == 0, plain.output
    assert "SONGGANG_DATABASE_URL" not in os.environ  # the workers' own settings decide
    opts = [*keys_only, "--db", f"sqlite:///{tmp_path / 'a.db'}"]
    off = runner.invoke(app, ["serve", "--no-demo-keys", *opts])
    assert off.exit_code == 0, off.output
    assert "sg_demo_" not in off.output and "songgang keys create" in off.output
    assert not (tmp_path / "keys.json").exists()
    first = runner.invoke(app, ["serve", *opts])
    again = runner.invoke(app, ["serve", *opts])
    assert first.exit_code == again.exit_code == 0, first.output + again.output
    assert re.findall(r"sg_demo_\w+", first.output) == re.findall(r"sg_demo_\w+", again.output)
    created = [e for e in _audit(tmp_path) if e[0] == "key_create"]
    assert sorted(e[2].split(":")[0] for e in created) == [
        "demo-caseworker",
        "demo-city_admin",
        "demo-organiser",
    ]  # once each, though served twice
    assert all(e[1] == "operator" for e in created)
    assert len(started) == 4
    assert os.environ["SONGGANG_DATABASE_URL"] == f"sqlite:///{tmp_path / 'a.db'}"
