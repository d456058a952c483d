"""The `songgang` command end to end on a small generated sample: what `make run` relies on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching.cli.main import app
from tests.conftest import cli_env

runner = CliRunner()
DATE = "2024-10-21"


@pytest.fixture(scope="module")
def env(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("cli")
    e = cli_env(root)
    r = runner.invoke(
        app,
        [
            "generate",
            "--out",
            str(root / "sample"),
            "--persons",
            "400",
            "--postings",
            "300",
            "--bad-rows",
            "3",
        ],
        env=e,
    )
    assert r.exit_code == 0, r.output
    e["ROOT"] = str(root)
    return e


def run(env, *args):  # type: ignore[no-untyped-def]
    r = runner.invoke(app, list(args), env={k: v for k, v in env.items() if k != "ROOT"})
    return r


def test_import_index_recommend(env):  # type: ignore[no-untyped-def]
    sample = Path(env["ROOT"]) / "sample"
    r = run(env, "import", "persons", str(sample / "persons.xlsx"))
    assert r.exit_code == 0, r.output
    assert counts(r.output) == [
        403,
        400,
        0,
        0,
        0,
        3,
    ]  # read/inserted/updated/unchanged/dup/rejected
    rejects = sample / "persons.rejects.csv"
    assert rejects.exists()
    with rejects.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3 and all(row["原因"] and row["reason"] for row in rows)

    # Importing the same file again changes nothing.
    again = run(env, "import", "persons", str(sample / "persons.xlsx"))
    assert again.exit_code == 0 and counts(again.output) == [403, 0, 0, 400, 0, 3]
    assert run(env, "import", "postings", str(sample / "postings.csv")).exit_code == 0

    r = run(env, "index", "build")
    assert r.exit_code == 0, r.output
    assert (Path(env["SONGGANG_INDEX_DIR"]) / "CURRENT").exists()

    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    assert truth  # the generator's truth file exists alongside the sample
    person_id = _first_registered_id(sample)
    r = run(env, "recommend", person_id, "-n", "5", "--date", DATE)
    assert r.exit_code == 0, r.output
    assert "1. " in r.output and ("意向类别" in r.output or "岗位类别" in r.output)
    assert person_id not in r.output  # the ID number is masked in the output
    assert person_id[:6] + "********" + person_id[-4:] in r.output

    r = run(env, "demo", "-n", "3", "--date", DATE)
    assert r.exit_code == 0 and r.output.count("1. ") == 3

    # The nightly lists, scored on a local cluster of two processes (the default on 2 CPUs).
    out = Path(env["ROOT"]) / "nightly"
    r = run(env, "nightly", "--date", DATE, "--out", str(out), "--workers", "2", "--no-progress")
    assert r.exit_code == 0, r.output
    assert "推送 pushes" in r.output and (out / "report.md").exists()
    sheets = sorted(out.glob("*/call_sheet.xlsx"))
    assert len(sheets) >= 2 and all(p.with_name("sms.csv").exists() for p in sheets)
    assert person_id not in "".join(p.read_text(encoding="utf-8-sig") for p in out.glob("*/*.csv"))
    r = run(env, "nightly", "--date", DATE, "--out", str(out), "--district", "火星区")
    assert r.exit_code == 2 and "火星区" in r.output
    r = run(env, "nightly", "--date", DATE, "--out", str(out), "--exploration", "1.5")
    assert r.exit_code == 2 and "exploration share must be within 0 and 1" in r.output
    assert "探索比例" in r.output and "1.5" in r.output


def counts(output: str) -> list[int]:
    """The numbers of the import summary table's data row."""
    import re

    rows = [line for line in output.splitlines() if re.fullmatch(r"[│\s\d]+", line) and "│" in line]
    assert rows, output
    return [int(x) for x in re.findall(r"\d+", rows[-1])]


def _first_registered_id(sample: Path) -> str:
    with (sample / "persons.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["人员状态"] in ("登记失业", "") and row["岗位意愿"]:
                from matching.domain.idcard import parse_id_number
                from matching.exceptions import InputError

                try:
                    return parse_id_number(row["身份证号码"]).number
                except InputError:
                    continue
    raise AssertionError("no registered person in the sample")


def test_clear_errors_for_bad_input(env, tmp_path):  # type: ignore[no-untyped-def]
    r = run(env, "import", "persons", str(tmp_path / "nope.xlsx"))
    assert r.exit_code == 2 and "文件不存在" in r.output and "file not found" in r.output

    missing = tmp_path / "missing.csv"
    missing.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    r = run(env, "import", "persons", str(missing))
    assert r.exit_code == 2 and "身份证号码" in r.output and "missing required columns" in r.output

    r = run(env, "recommend", "12345")
    assert r.exit_code == 2 and "18" in r.output

    from conftest import make_id

    r = run(env, "recommend", make_id(seq="999"))
    assert r.exit_code == 2 and "no such person" in r.output


def test_recommend_without_index_says_what_to_do(tmp_path):  # type: ignore[no-untyped-def]
    e = {
        "SONGGANG_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SONGGANG_INDEX_DIR": str(tmp_path / "index"),
    }
    r = runner.invoke(app, ["index", "build"], env=e)
    assert r.exit_code == 2 and "import postings first" in r.output
