"""``songgang import postings FILE --index``: the import, then the index built in the same process
from every open posting, its titles and descriptions cut once for both."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from matching.cli.main import app
from matching.generator import generate_persons, generate_postings
from matching.ingest import read_persons, write_table
from matching.rank.snapshots import load_current
from matching.store.db import make_engine, session_scope
from matching.store.postings import load_postings
from tests.conftest import cli_env

runner = CliRunner()
DAY = dt.date(2024, 10, 21)


def _board(tmp_path: Path) -> tuple[Path, Path]:
    """Two files of one generated board; the second leaves half its categories blank."""
    rows = generate_postings(500, seed=11)
    rows = rows[:200] + [{**r, "岗位类别": ""} if i % 2 else r for i, r in enumerate(rows[200:])]
    headers = list(rows[0])
    first, second = rows[:200], rows[200:]
    return tuple(  # type: ignore[return-value]
        write_table(tmp_path / name, headers, ([r[h] for h in headers] for r in part))
        for name, part in (("earlier.csv", first), ("today.csv", second))
    )


def _run(root: Path, *args: str) -> str:
    r = runner.invoke(app, list(args), env=cli_env(root))
    assert r.exit_code == 0, r.output
    return r.stdout


def test_import_with_index_publishes_the_snapshot_of_import_then_index_build(tmp_path: Path) -> None:  # fmt: skip
    earlier, today = _board(tmp_path)
    two, one = tmp_path / "two", tmp_path / "one"
    for root in (two, one):  # the database already holds open postings the file does not
        _run(root, "import", "postings", str(earlier))
    _run(two, "import", "postings", str(today))
    _run(two, "index", "build")
    out = json.loads(_run(one, "import", "postings", str(today), "--json", "--index"))
    assert out["inserted"] == 300 and Path(out["index_path"]).parent == one / "index"

    a, b = load_current(two / "index"), load_current(one / "index")
    with session_scope(make_engine(cli_env(one)["SONGGANG_DATABASE_URL"])) as s:
        stored = load_postings(s, unfilled=True)
    assert [p.id for p in b.postings_] == [p.id for p in stored] and len(stored) > 450
    assert b.postings_ == a.postings_  # the same categories inferred, the same columns
    assert sum(p.category_inferred for p in b.postings_) > 100
    assert (a.sparse_ != b.sparse_).nnz == 0 and np.array_equal(a.vectors_, b.vectors_)
    for field in dataclasses.fields(a.table_):  # the posting table, repost groups included
        x, y = getattr(a.table_, field.name), getattr(b.table_, field.name)
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), field.name
    assert (b.table_.repost_group >= 0).any()
    people_csv = tmp_path / "persons.csv"
    rows = generate_persons(60, 5)
    write_table(people_csv, list(rows[0]), ([r[h] for h in rows[0]] for r in rows))
    people = [p for _, p in read_persons(people_csv).items]
    top = [a.recommend_many(people, 10, today=DAY), b.recommend_many(people, 10, today=DAY)]
    assert top[0] == top[1] and sum(map(len, top[1])) > 200


def test_an_index_that_cannot_be_built_does_not_undo_the_import(tmp_path: Path) -> None:
    rows = [{**r, "已招满": "是"} for r in generate_postings(20, seed=3)]
    path = write_table(tmp_path / "filled.csv", list(rows[0]), ([*r.values()] for r in rows))
    r = runner.invoke(app, ["import", "postings", str(path), "--index"], env=cli_env(tmp_path))
    said = " ".join(r.output.split())
    assert r.exit_code == 3 and "导入已成功提交" in said and "the import succeeded" in said
    assert "no valid postings in the database to index" in said
    with session_scope(make_engine(cli_env(tmp_path)["SONGGANG_DATABASE_URL"])) as s:
        assert len(load_postings(s)) == 20  # committed
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_index_build_reads_the_table_s_second_half_in_a_fork_and_publishes_the_same(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """``index build`` is a one-threaded command: its posting table's second half is read in a
    forked process (at any size here), and the snapshot is the one read in one pass."""
    from matching.ingest import halves

    earlier, today = _board(tmp_path)
    root = tmp_path / "db"
    _run(root, "import", "postings", str(earlier))
    _run(root, "import", "postings", str(today))
    forked: list[bool] = []
    in_two = halves.in_two
    monkeypatch.setattr(halves, "in_two", lambda a, b: (forked.append(halves.can_fork()), in_two(a, b))[1])  # fmt: skip
    snapshots = []
    for least in (10**9, 2):  # one pass, then two halves
        monkeypatch.setattr(halves, "MIN_ITEMS", least)
        _run(root, "index", "build")
        snapshots.append(load_current(root / "index"))
    assert forked == [True]  # asked once, in the second build, and allowed to fork there
    a, b = snapshots
    assert b.postings_ == a.postings_ and (a.sparse_ != b.sparse_).nnz == 0
    assert np.array_equal(a.vectors_, b.vectors_)
    assert not halves.can_fork()  # outside the command, nothing forks
