"""The evaluate command end to end on a tiny sample: the report's sections and figures."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from tests.conftest import shared_data_dir


def test_evaluate_command_on_tiny_sample(tmp_path: Path) -> None:
    from matching.cli.evaluate import evaluate

    app = typer.Typer()
    app.command()(evaluate)
    args = ["--out", str(tmp_path / "eval"), "--postings", "150", "--persons", "20",
            "--cases", "25", "--quick"]  # fmt: skip
    shared = shared_data_dir()
    if shared is not None:
        args += ["--shared", str(shared)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (tmp_path / "eval" / "report.md").read_text(encoding="utf-8")
    assert "self-consistency, not quality" in report
    for heading in (
        "## Regression check",
        "## Congestion and fairness",
        "## Parsers",
        "## Categories",
    ):
        assert heading in report
    for name in ("engine", "exhaustive", "random", "popularity", "category_filter", "bm25"):
        assert f"| {name} |" in report
    assert (tmp_path / "eval" / "ranking.png").stat().st_size > 1000
    assert (tmp_path / "eval" / "exposure.png").stat().st_size > 1000
    if shared is None:
        assert "skipped" in report
    else:
        assert "## Ranking quality on judged-dev" in report
        for name in ("engine", "random", "bm25", "category_district"):
            assert f"| {name} |" in report
        assert (tmp_path / "eval" / "judged.png").stat().st_size > 1000
        assert (tmp_path / "eval" / "judged_persons.png").stat().st_size > 1000
        assert "judged-dev (36 persons" in result.output


def test_evaluate_command_rejects_missing_judged_file(tmp_path: Path) -> None:
    from matching.cli.evaluate import evaluate

    app = typer.Typer()
    app.command()(evaluate)
    result = CliRunner().invoke(
        app, ["--out", str(tmp_path), "--judged", str(tmp_path / "no.jsonl")]
    )
    assert result.exit_code == 2
