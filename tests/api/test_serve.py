"""``songgang serve``: what it hands to uvicorn and to the worker processes' environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from matching.cli.main import app

runner = CliRunner()


@pytest.fixture()
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder of its arguments and the environment then."""
    calls: list[dict[str, Any]] = []
    for name in ("SONGGANG_THREADS", "SONGGANG_KEYS_FILE", "SONGGANG_WORKERS"):
        monkeypatch.delenv(name, raising=False)  # put back after the test, whatever serve sets

    def run(target: str, **kwargs: Any) -> None:
        calls.append({"target": target, **kwargs, "threads": os.environ.get("SONGGANG_THREADS")})

    monkeypatch.setattr(uvicorn, "run", run)
    return calls


def test_serve_passes_workers_threads_and_access_log(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    keys = tmp_path / "keys.json"
    args = ["serve", "--keys-file", str(keys), "--workers", "2", "--threads", "3"]
    result = runner.invoke(app, [*args, "--no-access-log"])
    assert result.exit_code == 0, result.output
    (call,) = served
    assert call["target"] == "api.main:create_app" and call["factory"] is True
    assert (call["workers"], call["threads"], call["access_log"]) == (2, "3", False)
    assert os.environ["SONGGANG_KEYS_FILE"] == str(keys)
    assert "demo key" in result.output


def test_serve_defaults_keep_the_access_log_and_anyios_threads(
    served: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(app, ["serve", "--keys-file", str(tmp_path / "keys.json")])
    assert result.exit_code == 0, result.output
    assert (served[0]["workers"], served[0]["threads"], served[0]["access_log"]) == (1, None, True)
    monkeypatch.setenv("SONGGANG_THREADS", "2")  # the option reads the same variable
    result = runner.invoke(app, ["serve", "--keys-file", str(tmp_path / "keys.json")])
    assert result.exit_code == 0 and served[1]["threads"] == "2"
    assert runner.invoke(app, ["serve", "--threads", "0"]).exit_code != 0
