"""Tests for matching/ingest/importer.py: counts, rejects, inferred categories, one transaction.

Persons go through real CSV files and :mod:`matching.ingest`. Posting tests feed the importer
through a stand-in ``read_postings`` (the reader has its own tests), plus one end-to-end CSV
test. ``test_killed_import_leaves_database_unchanged`` SIGKILLs a real import process while its
transaction is open.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import REPO, make_id, tiny_postings
from sqlalchemy import Engine, select

from matching.domain.categories import Category
from matching.exceptions import MissingColumnsError
from matching.ingest import importer
from matching.schemas import Posting
from matching.store import persons as person_store
from matching.store.activity import counts
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.persons import get_person
from matching.store.postings import load_postings, posting_confidences
from matching.store.tables import ImportRunRow, PersonRow

PERSON_HEADER = ["姓名", "身份证号码", "性别", "联系电话", "所属区", "岗位意愿", "期望薪酬"]


def _idn(i: int) -> str:
    day = dt.date(1970, 1, 1) + dt.timedelta(days=i // 900)
    return make_id("120103", day.strftime("%Y%m%d"), f"{i % 900 + 100:03d}")


def person_rows(n: int, *, phone: str = "13812345678") -> list[list[str]]:
    rows = []
    for i in range(n):
        idn = _idn(i)
        gender = "男" if int(idn[16]) % 2 else "女"
        rows.append([f"张{i}", idn, gender, phone, "河西区", "A、B", "4000-5000"])
    return rows


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'songgang.db'}"


@pytest.fixture
def engine(db_url: str) -> Engine:
    eng = make_engine(db_url)
    upgrade(eng)
    return eng


def _counts(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return counts(s)


def _runs(engine: Engine) -> list[ImportRunRow]:
    with session_scope(engine) as s:
        return list(s.scalars(select(ImportRunRow).order_by(ImportRunRow.id)))


# ---------------------------------------------------------------------------- persons


def test_import_persons_counts_rejects_and_run_row(engine: Engine, tmp_path: Path) -> None:
    bad = ["坏行", "123", "男", "", "河西区", "", ""]
    path = write_csv(tmp_path / "persons.csv", PERSON_HEADER, [*person_rows(20), bad])
    report = importer.import_persons(engine, path)
    assert (report.read, report.inserted, report.updated, report.unchanged) == (21, 20, 0, 0)
    assert (report.duplicates, report.rejected) == (0, 1)
    assert report.rejects_path == tmp_path / "persons.rejects.csv"
    assert "123" in report.rejects_path.read_text(encoding="utf-8-sig")
    run = _runs(engine)[-1]
    assert run.id == report.run_id and run.status == "succeeded" and run.kind == "persons"
    assert (run.file_name, run.read, run.inserted, run.rejected) == ("persons.csv", 21, 20, 1)
    assert run.finished_at is not None and run.finished_at >= run.started_at

    again = importer.import_persons(engine, path)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 20, 1)
    assert _counts(engine)["persons"] == 20 and _counts(engine)["import_runs"] == 2


def test_import_persons_detects_a_changed_phone(engine: Engine, tmp_path: Path) -> None:
    rows = person_rows(5)
    importer.import_persons(engine, write_csv(tmp_path / "a.csv", PERSON_HEADER, rows))
    rows[2][3] = "13900001111"
    report = importer.import_persons(engine, write_csv(tmp_path / "b.csv", PERSON_HEADER, rows))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 4)
    assert report.rejects_path is None and not (tmp_path / "b.rejects.csv").exists()
    with session_scope(engine) as s:
        assert get_person(s, rows[2][1]).phone == "13900001111"  # type: ignore[union-attr]


def test_missing_columns_write_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["姓名", "性别"], [["张三", "男"]])
    before = _counts(engine)
    with pytest.raises(MissingColumnsError) as info:
        importer.import_persons(engine, path)
    assert "身份证号码" in str(info.value)
    assert _counts(engine) == before  # not even an import_runs row
    assert list(tmp_path.glob("*.rejects.*")) == []


def test_failed_write_rolls_back_and_records_a_failed_run(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(10))
    real = person_store.upsert_persons

    def fail_after_writing(session, persons):  # type: ignore[no-untyped-def]
        real(session, persons)
        session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr(person_store, "upsert_persons", fail_after_writing)
    with pytest.raises(RuntimeError, match="disk full"):
        importer.import_persons(engine, path)
    assert _counts(engine)["persons"] == 0
    (run,) = _runs(engine)
    assert run.status == "failed" and "disk full" in run.message and run.read == 10
    assert run.inserted == 0


def test_summary_is_bilingual(tmp_path: Path) -> None:
    report = importer.ImportReport(
        file=tmp_path / "p.xlsx", kind="persons", read=10, inserted=7, updated=1, unchanged=0,
        duplicates=1, rejected=1, rejects_path=tmp_path / "p.rejects.csv",
    )  # fmt: skip
    line = report.summary_zh()
    assert "\n" not in line
    assert line.startswith("p.xlsx：读取10行，新增7，更新1，未变0，合并重复1，拒绝1")
    assert "read 10, inserted 7, updated 1, unchanged 0, duplicates merged 1, rejected 1" in line
    assert "p.rejects.csv" in line


# ---------------------------------------------------------------------------- postings


def _fake_reader(postings: Sequence[Posting], monkeypatch: pytest.MonkeyPatch) -> None:
    from matching import ingest

    def read_postings(path):  # type: ignore[no-untyped-def]
        items = [(i + 2, p) for i, p in enumerate(postings)]
        return ingest.LoadResult(file=str(path), items=items, rows_read=len(postings))

    monkeypatch.setattr(ingest, "read_postings", read_postings)


def test_import_postings_infers_missing_categories(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.understand.classifier import classify_job

    given = [p.model_copy(update={"category": None}) for p in tiny_postings()[:3]]
    given.append(tiny_postings()[3])  # has category B from the file
    _fake_reader(given, monkeypatch)
    report = importer.import_postings(engine, tmp_path / "jobs.xlsx")
    assert (report.read, report.inserted) == (4, 4)
    with session_scope(engine) as s:
        stored = load_postings(s)
        confidences = posting_confidences(s, [p.id for p in stored])
    for original, back in zip(given[:3], stored[:3], strict=True):
        expected = classify_job(original.title, original.description)
        assert back.category == expected.category and back.category_inferred
        assert confidences[back.id] == pytest.approx(expected.probabilities[expected.category])
    assert stored[3].category == Category.B and not stored[3].category_inferred
    assert stored[3].id not in confidences

    again = importer.import_postings(engine, tmp_path / "jobs.xlsx")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)


def test_import_postings_without_classifier_keeps_blanks(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_reader([tiny_postings()[0].model_copy(update={"category": None})], monkeypatch)
    importer.import_postings(engine, tmp_path / "jobs.csv", classify=False)
    with session_scope(engine) as s:
        (back,) = load_postings(s)
    assert back.category is None and not back.category_inferred


def test_import_postings_merges_duplicates(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tiny_postings()[4].model_copy(update={"source_id": ""})
    twin = base.model_copy(update={"description": "重发：" + base.description})
    _fake_reader([base, twin, tiny_postings()[5]], monkeypatch)
    report = importer.import_postings(engine, tmp_path / "jobs.csv")
    assert (report.inserted, report.duplicates) == (2, 1)
    report = importer.import_postings(engine, tmp_path / "jobs.csv")
    assert (report.inserted, report.updated, report.unchanged, report.duplicates) == (0, 0, 2, 1)
    assert _counts(engine)["postings"] == 2


def test_import_postings_from_a_real_csv(engine: Engine, tmp_path: Path) -> None:
    header = ["岗位名称", "岗位描述", "招聘单位", "所在区", "薪资", "岗位类别", "来源", "来源编号"]
    rows = [
        ["保洁员", "负责小区保洁", "某物业公司", "河西区", "4000-5000元/月", "A", "街道", "J-1"],
        [
            "货车司机",
            "市内配送，需C1驾照",
            "某物流公司",
            "东丽区",
            "6000-8000元/月",
            "",
            "街道",
            "J-2",
        ],
        ["", "没有岗位名称", "某公司", "河西区", "", "", "街道", "J-3"],
    ]
    path = write_csv(tmp_path / "jobs.csv", header, rows)
    try:
        report = importer.import_postings(engine, path)
    except ModuleNotFoundError as exc:  # the posting reader's helpers land in other issues
        pytest.skip(f"matching.ingest.read_postings needs {exc.name}, not in the tree yet")
    assert (report.read, report.inserted, report.rejected) == (3, 2, 1)
    with session_scope(engine) as s:
        stored = {p.source_id: p for p in load_postings(s)}
    assert stored["J-1"].category == Category.A and not stored["J-1"].category_inferred
    assert stored["J-2"].category is not None and stored["J-2"].category_inferred


# ---------------------------------------------------------------------------- killed midway

# Runs in a child process: import persons, but stop inside the open transaction (after every
# row has been written, before COMMIT), announce it through a marker file and wait to be
# killed. The pause is a monkeypatch local to this test; the library has no test hook.
_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from matching.ingest import importer
    from matching.store import persons
    from matching.store.db import make_engine

    url, source, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    real = persons.upsert_persons

    def upsert_then_wait(session, persons):
        stats = real(session, persons)
        session.flush()
        marker.with_suffix(".tmp").write_text(str(stats.inserted))
        os.replace(marker.with_suffix(".tmp"), marker)  # atomic: the parent never reads it half
        time.sleep(120)
        return stats

    persons.upsert_persons = upsert_then_wait
    importer.import_persons(make_engine(url), source)
    """
)


def _snapshot(engine: Engine) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    with session_scope(engine) as s:
        rows = s.execute(select(PersonRow.id_number, PersonRow.phone, PersonRow.content_hash))
        return counts(s), sorted((a, b or "", c) for a, b, c in rows)


def test_killed_import_leaves_database_unchanged(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    importer.import_persons(
        engine, write_csv(tmp_path / "first.csv", PERSON_HEADER, person_rows(50))
    )
    before = _snapshot(engine)

    # 3,000 rows: the first 50 changed (→ updates), the rest new (→ inserts)
    big = write_csv(tmp_path / "big.csv", PERSON_HEADER, person_rows(3_000, phone="13700000000"))
    marker = tmp_path / "inside-transaction"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, db_url, str(big), str(marker)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the import ended early: {child.stderr.read().decode()}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the child never reached its transaction"
            time.sleep(0.05)
        assert marker.read_text() == "2950"  # rows written inside the open transaction
        assert _snapshot(engine) == before  # readers do not see uncommitted rows
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    engine.dispose()

    engine = make_engine(db_url)  # a fresh process's view: recovery from the WAL
    assert _snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    report = importer.import_persons(engine, big)  # and the database is not left locked
    assert (report.inserted, report.updated) == (2_950, 50)
    engine.dispose()
