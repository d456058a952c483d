"""`songgang backup` while the service writes, then `songgang restore` into a new place: the
restored service knows the same keys and serves the same recommendations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from matching.cli.main import app as cli
from tests.api.conftest import OWN, World, make_world

runner = CliRunner()


def _recommendations(c: TestClient, w: World, keys: dict[str, str], pks: list[int]) -> list:
    h = {"X-API-Key": keys["caseworker"]}
    return [
        [(m["posting_id"], m["score"]) for m in c.get(f"/persons/{pk}/recommendations",
                                                     params={"n": 5}, headers=h).json()["data"]]
        for pk in pks
    ]  # fmt: skip


def _audit_rows(db_file: Path) -> int:
    with sqlite3.connect(db_file) as con:
        return int(con.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_backup_while_serving_and_restore_serves_the_same(tmp_path: Path) -> None:
    w = make_world("sqlite", tmp_path / "live", persons=150, postings=120)
    s = w.settings
    pks = w.person_ids(OWN)[:4]
    where = [
        "--db",
        s.database_url,
        "--index-dir",
        str(s.index_dir),
        "--keys-file",
        str(s.keys_file),
    ]
    with TestClient(create_app(s)) as c:
        before = _recommendations(c, w, w.keys, pks)
        assert any(before)
        stop = threading.Event()

        def reads() -> None:  # every read of a person writes an audit row
            while not stop.is_set():
                assert (
                    c.get(f"/persons/{pks[0]}", headers=w.headers("caseworker")).status_code == 200
                )

        writer = threading.Thread(target=reads)
        writer.start()
        try:
            while _audit_rows(tmp_path / "live" / "songgang.db") < 20:
                pass
            audited_before = _audit_rows(tmp_path / "live" / "songgang.db")
            made = runner.invoke(cli, ["backup", "--out", str(tmp_path / "bk"), *where])
        finally:
            stop.set()
            writer.join()
        assert made.exit_code == 0, made.output
    assert "songgang.db" in made.output and not (tmp_path / "bk.partial").exists()
    assert _audit_rows(tmp_path / "bk" / "songgang.db") >= audited_before

    new = tmp_path / "restored"
    there = ["--db", f"sqlite:///{new / 'songgang.db'}", "--index-dir", str(new / "index"),
             "--keys-file", str(new / "keys.json")]  # fmt: skip
    done = runner.invoke(cli, ["restore", str(tmp_path / "bk"), *there])
    assert done.exit_code == 0, done.output
    settings = s.model_copy(update={
        "database_url": f"sqlite:///{new / 'songgang.db'}", "index_dir": new / "index",
        "keys_file": new / "keys.json",
    })  # fmt: skip
    with TestClient(create_app(settings)) as c:
        assert c.get("/ready").status_code == 200
        assert _recommendations(c, w, w.keys, pks) == before  # the same keys work too

    again = runner.invoke(cli, ["restore", str(tmp_path / "bk"), *there])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(cli, ["restore", str(tmp_path / "bk"), *there, "--force"]).exit_code == 0


def test_refusals(tmp_path: Path, world: World) -> None:
    s = world.settings
    keys = ["--keys-file", str(s.keys_file), "--index-dir", str(s.index_dir)]
    pg = runner.invoke(cli, ["backup", "--out", str(tmp_path / "a"), "--db",
                             "postgresql+psycopg://u@127.0.0.1:1/x", *keys])  # fmt: skip
    assert pg.exit_code == 2 and "pg_dump" in pg.output and not (tmp_path / "a").exists()
    index_only = runner.invoke(cli, ["backup", "--out", str(tmp_path / "b"), "--no-database",
                                     "--db", "postgresql+psycopg://u@127.0.0.1:1/x", *keys])  # fmt: skip
    assert index_only.exit_code == 0, index_only.output
    assert (tmp_path / "b" / "keys.json").exists() and not (tmp_path / "b" / "songgang.db").exists()
    assert (
        runner.invoke(
            cli, ["backup", "--out", str(tmp_path / "b"), "--no-database", *keys]
        ).exit_code
        == 2
    )
    damaged = tmp_path / "b" / "keys.json"
    damaged.write_text("{}", encoding="utf-8")
    target = tmp_path / "t"
    bad = runner.invoke(cli, ["restore", str(tmp_path / "b"), "--db", f"sqlite:///{target / 'x.db'}",
                              "--index-dir", str(target / "i"), "--keys-file", str(target / "k.json")])  # fmt: skip
    assert bad.exit_code == 2 and "keys.json" in bad.output and not target.exists()
