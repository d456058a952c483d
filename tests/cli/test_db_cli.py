"""`songgang db upgrade|revision`: the schema step of an upgrade, on its own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from matching.cli.main import app

runner = CliRunner()


def test_upgrade_then_up_to_date(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'x.db'}"]
    assert runner.invoke(app, ["db", "revision", *db]).output.strip() == "empty"
    first = runner.invoke(app, ["db", "upgrade", *db])
    assert first.exit_code == 0 and "empty ->" in first.output
    head = runner.invoke(app, ["db", "revision", *db]).output.strip()
    assert head != "empty" and head in first.output
    again = runner.invoke(app, ["db", "upgrade", *db])
    assert again.exit_code == 0 and f"up to date: {head}" in again.output
