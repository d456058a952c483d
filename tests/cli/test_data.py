"""``songgang generate`` with one kind left out, and ``songgang import … --json``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from matching.cli.main import app
from tests.conftest import cli_env

runner = CliRunner()
KEYS = ["read", "inserted", "updated", "unchanged", "duplicates", "rejected", "rejects_path"]


def _generate(root: Path, *args: str) -> None:
    r = runner.invoke(app, ["generate", "--out", str(root / "sample"), *args], env=cli_env(root))
    assert r.exit_code == 0, r.output


def test_generate_postings_only_leaves_the_persons_files_alone(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "persons.csv").write_text("earlier\n", encoding="utf-8")
    _generate(tmp_path, "--persons", "0", "--postings", "25", "--bad-rows", "2")
    assert (sample / "persons.csv").read_text(encoding="utf-8") == "earlier\n"
    assert not (sample / "persons.xlsx").exists()
    assert (sample / "postings.xlsx").exists() and (sample / "postings.csv").exists()
    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    assert "persons" not in truth and len(truth["postings"]["rows"]) == 27
    with (sample / "postings.csv").open(encoding="utf-8-sig") as f:
        assert sum(1 for _ in f) == 1 + 27  # header, 25 valid rows, 2 bad ones


def test_generate_persons_only(tmp_path: Path) -> None:
    _generate(tmp_path, "--persons", "30", "--postings", "0", "--bad-rows", "0")
    sample = tmp_path / "sample"
    assert sorted(p.name for p in sample.iterdir()) == ["persons.csv", "persons.xlsx", "truth.json"]
    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    assert "postings" not in truth and len(truth["persons"]["rows"]) == 30


def test_generate_refuses_nothing_at_all(tmp_path: Path) -> None:
    r = runner.invoke(
        app, ["generate", "--out", str(tmp_path / "s"), "--persons", "0", "--postings", "0"]
    )
    said = " ".join(r.output.split())  # the error console wraps long lines
    assert r.exit_code == 2 and "不能都为 0" in said and "cannot both be 0" in said
    assert not (tmp_path / "s").exists()


def _import_json(root: Path, kind: str, path: Path) -> dict[str, object]:
    r = runner.invoke(app, ["import", kind, str(path), "--json"], env=cli_env(root))
    assert r.exit_code == 0, r.output
    (line,) = r.stdout.splitlines()  # one JSON object, no table
    out = json.loads(line)
    assert list(out) == KEYS
    return out


def test_import_json_prints_the_counts_and_the_rejects_file(tmp_path: Path) -> None:
    _generate(tmp_path, "--persons", "40", "--postings", "20", "--bad-rows", "3")
    sample = tmp_path / "sample"
    first = _import_json(tmp_path, "persons", sample / "persons.xlsx")
    rejects = str(sample / "persons.rejects.csv")
    assert first == dict(zip(KEYS, [43, 40, 0, 0, 0, 3, rejects], strict=True))
    assert Path(rejects).exists()
    again = _import_json(tmp_path, "persons", sample / "persons.csv")
    assert again == dict(
        zip(KEYS, [43, 0, 0, 40, 0, 3, str(sample / "persons.rejects.csv")], strict=True)
    )
    postings = _import_json(tmp_path, "postings", sample / "postings.csv")
    assert postings["read"] == 23 and postings["rejected"] == 3


def test_import_json_without_rejects_gives_null(tmp_path: Path) -> None:
    _generate(tmp_path, "--persons", "0", "--postings", "15", "--bad-rows", "0")
    out = _import_json(tmp_path, "postings", tmp_path / "sample" / "postings.csv")
    assert out["rejected"] == 0 and out["rejects_path"] is None
    assert out["read"] == 15 == out["inserted"] + out["duplicates"]


def test_import_json_keeps_the_exit_codes(tmp_path: Path) -> None:
    r = runner.invoke(app, ["import", "persons", str(tmp_path / "nope.csv"), "--json"])
    assert r.exit_code == 2 and "file not found" in r.output and r.stdout == ""


def test_a_file_without_a_valid_row_exits_non_zero(tmp_path: Path) -> None:
    _generate(tmp_path, "--persons", "3", "--postings", "0", "--bad-rows", "0")
    path = tmp_path / "sample" / "persons.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    bad = [lines[0]] + [",".join(["坏"] * len(lines[0].split(",")))] * 2
    path.write_text("\n".join(bad) + "\n", encoding="utf-8-sig")
    for extra in ([], ["--json"]):
        r = runner.invoke(app, ["import", "persons", str(path), *extra], env=cli_env(tmp_path))
        assert r.exit_code == 1, r.output
        assert "no valid row" in " ".join(r.output.split())
    (report,) = [line for line in r.stdout.splitlines() if line.startswith("{")]
    assert json.loads(report)["rejected"] == 2  # the counts are still printed
