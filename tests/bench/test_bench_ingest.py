"""bench/bench_ingest.py --commands: ingest timed as a bureau runs it (import, then index build)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from matching.generator import generate_postings
from matching.ingest import write_table
from matching.rank.snapshots import current_path, load_current
from matching.store.db import make_engine, session_scope
from matching.store.postings import load_postings

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_ingest.py"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_ingest_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_commands_fill_the_database_and_publish_a_snapshot(bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [{**r, "岗位类别": ""} for r in generate_postings(300, seed=7)]
    headers = list(rows[0])
    csv = write_table(tmp_path / "p.csv", headers, ([r[h] for h in headers] for r in rows))

    timings = bench.commands(csv, tmp_path / "run")

    assert list(timings) == ["import postings", "index build", "import postings --index"]
    assert all(wall > 0 and cpu > 0 for wall, cpu in timings.values())
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'run' / 'songgang.db'}")) as session:
        stored = load_postings(session)
    assert len(stored) == 300
    assert {p.source_id for p in stored} == {r["来源编号"] for r in rows}
    # the blank category column was filled by the classifier during the import
    assert all(p.category is not None and p.category_inferred for p in stored)
    snapshot = current_path(tmp_path / "run" / "index")
    assert snapshot.is_dir()
    unfilled = sum(not p.filled for p in stored)
    assert snapshot.name.endswith(f"-{unfilled}")
    loaded = load_current(tmp_path / "run" / "index")  # the snapshot loads, every open posting
    assert sorted(p.id for p in loaded.postings_) == sorted(p.id for p in stored if not p.filled)
    # the one command's database and index, in a folder of their own, hold the same
    one = load_current(tmp_path / "run" / "one" / "index")
    assert one.postings_ == loaded.postings_ and (one.sparse_ != loaded.sparse_).nnz == 0


def test_commands_option_prints_them_beside_the_chained_run(bench, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    argv = ["bench_ingest.py", "--sizes", "200", "--no-append", "--no-rjieba", "--commands"]
    monkeypatch.setattr(sys, "argv", argv)
    bench.main()
    printed = capsys.readouterr().out
    assert "200 import postings:" in printed and "200 index build:" in printed
    assert "200 import postings --index:" in printed
    header = next(line for line in printed.splitlines() if line.startswith("| n | import"))
    assert "commands / minimal" in header and "chained total" in header
    assert "import postings --index CPU s" in header and "--index CPU / minimal CPU" in header
    [row] = [line for line in printed.splitlines() if line.startswith("| 200 | ")][1:]
    assert all(cell.strip() not in ("", "None") for cell in row.strip("|").split("|"))


def test_the_default_run_prints_no_commands(bench, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    argv = ["bench_ingest.py", "--sizes", "200", "--no-append", "--no-rjieba"]
    monkeypatch.setattr(sys, "argv", argv)
    bench.main()
    printed = capsys.readouterr().out
    assert "import postings" not in printed and "index build" not in printed
    assert any(line.startswith("| 200 | ") for line in printed.splitlines())
