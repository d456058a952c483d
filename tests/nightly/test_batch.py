"""The nightly run end to end on a small generated world: caps, the 14-day and declined rules,
opt-outs, SMS length and masking, the run record, resume after SIGKILL, and Dask equality."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

import matching.store.nightly_tables  # noqa: F401  (registers the tables on Base)
from matching.domain.phone import is_mobile, mobile_number
from matching.nightly.messages import SMS_SEGMENT, PersonPush, PushItem, reply_code, sms_text
from matching.nightly.pairs import exposure_caps
from matching.nightly.records import NightlySettings
from matching.nightly.run import run_nightly
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.nightly_tables import NightlyRunRow, PushRow, RankerPromotionRow
from matching.store.tables import OutcomeRow, PersonRow, PostingRow

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2024, 10, 21)
SETTINGS = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40)
ID_RE = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 persons, 400 postings (≈60 valid on DAY), imported and indexed; some opted out."""
    from matching.generator import write_sample
    from matching.ingest.importer import import_persons, import_postings
    from matching.rank.snapshots import build_snapshot

    root = tmp_path_factory.mktemp("nightly")
    info = write_sample(root / "sample", persons=200, postings=400, seed=4)
    engine = make_engine(f"sqlite:///{root / 'world.db'}")
    upgrade(engine)
    import_persons(engine, info["persons_csv"])
    import_postings(engine, info["postings_csv"], classify=False)
    with session_scope(engine) as s:
        ids = s.scalars(select(PersonRow.id).order_by(PersonRow.id)).all()
        s.execute(
            update(PersonRow).where(PersonRow.id.in_(ids[::7])).values(accepts_messages=False)
        )
    build_snapshot(engine, root / "index", active_on=DAY)
    engine.dispose()
    return root


@pytest.fixture
def db(world: Path, tmp_path: Path) -> Engine:
    """A private copy of the world's database for one test."""
    shutil.copy(world / "world.db", tmp_path / "db.sqlite")
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield engine
    engine.dispose()


def _run(db: Engine, world: Path, out: Path, day: dt.date = DAY, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("processes", 1)  # writer processes: one test below uses two
    return run_nightly(
        db, world / "index", out, day=day, settings=kw.pop("settings", SETTINGS), **kw
    )


def _pushes(db: Engine, day: dt.date) -> list[tuple[str, int, str]]:
    with session_scope(db) as s:
        stmt = (
            select(PersonRow.id_number, PushRow.posting_id, PushRow.channel)
            .join(PersonRow, PersonRow.id == PushRow.person_id)
            .where(PushRow.pushed_on == day)
        )
        return [tuple(r) for r in s.execute(stmt)]  # type: ignore[misc]


def _files(out: Path) -> dict[str, object]:
    """Every output file's content (xlsx: its cell values; xlsx bytes carry a save time)."""
    from openpyxl import load_workbook

    found: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if path.is_dir() or ".checkpoints" in path.parts:
            continue
        key = str(path.relative_to(out))
        if path.suffix == ".xlsx":
            ws = load_workbook(path).active
            found[key] = [tuple(r) for r in ws.iter_rows(values_only=True)]
        else:
            found[key] = path.read_bytes()
    return found


# --------------------------------------------------------------------------- caps and record
def test_no_posting_over_its_cap_and_the_run_is_recorded(
    db: Engine, world: Path, tmp_path: Path
) -> None:
    result = _run(db, world, tmp_path / "out")
    pushes = _pushes(db, DAY)
    assert pushes and len(pushes) == result.counts["capped"]["pushes"]
    per_posting = Counter(pid for _, pid, _ in pushes)
    with session_scope(db) as s:
        heads = dict(s.execute(select(PostingRow.id, PostingRow.headcount)).all())
        run = s.get(NightlyRunRow, result.run_id)
        assert run is not None
        assert (run.status, run.run_date) == ("succeeded", DAY)
        assert run.settings["cap_multiple"] == 3.0 and run.index_version
        assert run.counts["capped"]["pushes"] == len(pushes)
        # where the files went, for the service to serve them (issue 7)
        assert run.out_dir == str((tmp_path / "out").resolve())
        recorded = {f["path"]: f for f in run.files or []}
    written = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert sorted(recorded) == [p.relative_to(tmp_path / "out").as_posix() for p in written]
    assert {"report.md", "report.png"} < set(recorded)
    for path in written:
        entry = recorded[path.relative_to(tmp_path / "out").as_posix()]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["size_bytes"] == path.stat().st_size
    districts = {p.split("/")[0] for p in recorded if "/" in p}
    assert districts and all(
        f"{d}/{n}" in recorded
        for d in districts
        for n in ("call_sheet.xlsx", "call_sheet.csv", "sms.csv", "wechat.csv")
    )
    for pid, count in per_posting.items():
        cap = exposure_caps([heads[pid]], multiple=3.0, default_headcount=2)[0]
        assert count <= cap
    assert max(Counter(idn for idn, _, _ in pushes).values()) <= SETTINGS.per_person
    capped, uncapped = result.counts["capped"], result.counts["uncapped"]
    assert capped["over_cap"] == 0 and uncapped["over_cap"] > 0  # the caps bind on this world
    # a 地点要求 is a preference, so a capped posting's persons usually find another one nearby
    assert capped["pushes"] <= uncapped["pushes"]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| exposure Gini (used postings) |" in report and "uncapped" in report
    assert (tmp_path / "out" / "report.png").read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "out" / ".checkpoints").exists()


# --------------------------------------------------------------------------- texts and masking
def test_messages_fit_one_segment_and_never_carry_an_id(
    db: Engine, world: Path, tmp_path: Path
) -> None:
    import csv
    import io

    _run(db, world, tmp_path / "out")
    with session_scope(db) as s:
        people = {r.id_number: r for r in s.scalars(select(PersonRow))}
    opted_out_phones = {r.phone for r in people.values() if not r.accepts_messages}
    by_phone = {mobile_number(r.phone): r.id_number for r in people.values() if r.phone}
    sms_files = sorted((tmp_path / "out").glob("*/sms.csv"))
    assert sms_files
    n_sms = 0
    for path in sms_files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]
        for phone, posting_id, code, text in rows:
            n_sms += 1
            assert len(text) <= SMS_SEGMENT
            assert code in text and not ID_RE.search(text)
            assert phone not in opted_out_phones and is_mobile(phone)
            assert code == reply_code(DAY, by_phone[phone], posting_id)
    assert n_sms > 0
    for path in (tmp_path / "out").glob("*/*.csv"):
        assert not ID_RE.search(path.read_text(encoding="utf-8-sig")), path
    from openpyxl import load_workbook

    called = 0
    for path in (tmp_path / "out").glob("*/call_sheet.xlsx"):
        rows = list(load_workbook(path).active.iter_rows(min_row=3, values_only=True))
        for _, name, masked, phone, how, postings, result in rows:
            assert "*" in masked and not ID_RE.search(masked)
            assert result is None  # the caseworker's column is empty
            assert postings.startswith("1. 岗位编号")
            assert all(re.match(r"\d+\. 岗位编号\d+｜.*｜回复码\w{5}", line)
                       for line in postings.split("\n"))  # fmt: skip
            person = next(p for p in people.values() if p.phone == phone and p.name == name)
            assert masked == person.id_number[:6] + "********" + person.id_number[-4:]
            if not person.accepts_messages:
                called += 1
                assert how == "电话（本人不接收短信）"
    assert called > 0  # opted-out persons are listed for a call instead


@pytest.mark.parametrize(
    ("title", "pay"),
    [
        ("保洁员", "月薪4000-5000元"),
        (
            "招聘公司保险客户经理 多劳多得 待遇优厚 五险一金 双休 包吃住 带薪年假 节日福利",
            "月薪9167-15833元，13薪",
        ),
        ("仓库理货员", "底薪3000-4000元+提成，另有全勤奖、绩效奖、住房补贴和交通补贴每月发放" * 2),
    ],
)
def test_sms_is_one_segment(title: str, pay: str) -> None:
    item = PushItem("1", 1, 0.9, "ABCDE", title, "某公司", "滨海新区", pay, ("同区",))
    text = sms_text(item)
    assert len(text) <= SMS_SEGMENT and "ABCDE" in text and "滨海新区" in text
    assert text.startswith("【送岗】" + title[:2])


def test_reply_codes_are_stable_and_distinct() -> None:
    codes = {reply_code(DAY, "120103198503121234", str(i)) for i in range(500)}
    assert len(codes) >= 499 and all(len(c) == 5 and c.isalnum() for c in codes)
    assert reply_code(DAY, "120103198503121234", "7") == reply_code(DAY, "120103198503121234", "7")
    # Codes already sent stay valid: the same inputs give the same code as when they were sent.
    day = dt.date(2024, 10, 21)
    assert [reply_code(day, "120103198503121234", pid) for pid in ("7", "12345")] == [
        "PQS3K",
        "FYSKU",
    ]
    assert reply_code(day, "120103198503121234", "7", length=13) == "PQS3KGFM3ALME"


def test_wechat_text_has_reasons_and_masked_name() -> None:
    from matching.nightly.messages import wechat_text

    item = PushItem(
        "1", 1, 0.9, "ABCDE", "保洁员", "某物业", "河西区", "月薪4000元", ("同区", "薪资符合期望")
    )
    text = wechat_text(
        PersonPush("120103198503121234", "王芳", "13812345678", "河西区", True, (item,))
    )
    assert text.startswith("王*您好") and "薪资符合期望" in text and "ABCDE" in text
    assert "120103" not in text and "王芳" not in text


# --------------------------------------------------------------------------- repeat and decline
def test_fourteen_day_and_declined_rules(db: Engine, world: Path, tmp_path: Path) -> None:
    _run(db, world, tmp_path / "d0")
    first = {(idn, pid) for idn, pid, _ in _pushes(db, DAY)}
    declined_idn, declined_pid = sorted(first)[0]
    with session_scope(db) as s:
        pk = s.scalar(select(PersonRow.id).where(PersonRow.id_number == declined_idn))
        s.add(OutcomeRow(person_id=pk, posting_id=declined_pid, kind="declined"))

    week = DAY + dt.timedelta(days=7)
    _run(db, world, tmp_path / "d7", day=week)
    second = {(idn, pid) for idn, pid, _ in _pushes(db, week)}
    assert second and not (first & second)  # nothing resent within 14 days

    later = DAY + dt.timedelta(days=20)  # window [DAY+6, DAY+20): DAY is out, DAY+7 still in
    _run(db, world, tmp_path / "d20", day=later)
    third = {(idn, pid) for idn, pid, _ in _pushes(db, later)}
    assert (declined_idn, declined_pid) not in third  # declined: never again
    assert not (second & third)
    assert first & third  # the 14 days are over for the first night's pushes


def test_district_filter(db: Engine, world: Path, tmp_path: Path) -> None:
    settings = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, districts=("河西区",))
    result = _run(db, world, tmp_path / "out", settings=settings)
    assert [p.name for p in (tmp_path / "out").iterdir() if p.is_dir()] == ["河西区"]
    assert set(result.counts["capped"]["districts"]) == {"河西区"}


def test_a_night_with_nobody_eligible_is_recorded_empty(
    db: Engine, world: Path, tmp_path: Path
) -> None:
    with session_scope(db) as s:  # everyone found work
        s.execute(update(PersonRow).values(status="employed"))
    result = _run(db, world, tmp_path / "out", settings=SETTINGS)
    assert result.counts["capped"]["persons"] == 0 and result.counts["capped"]["pushes"] == 0
    assert (tmp_path / "out" / "report.md").exists()
    assert not [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    with session_scope(db) as s:
        run = s.get(NightlyRunRow, result.run_id)
        assert run is not None and run.status == "succeeded"


# --------------------------------------------------------------------------- resume after kill
_CHILD = textwrap.dedent(
    """
    import datetime as dt, os, sys, time
    from pathlib import Path
    import matching.store.nightly_tables
    from matching.nightly.records import NightlySettings
    from matching.nightly.run import run_nightly
    from matching.store.db import make_engine

    url, index, out, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])

    def after_chunk(n):
        if n == 1:  # two chunks on disk: announce it and wait to be killed
            marker.write_text("2")
            time.sleep(120)

    run_nightly(make_engine(url), index, out, day=dt.date(2024, 10, 21),
                settings=NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40),
                on_chunk=after_chunk)
    """
)


def test_killed_run_resumes_to_identical_output(db: Engine, world: Path, tmp_path: Path) -> None:
    _run(db, world, tmp_path / "straight")
    expected_pushes = sorted(_pushes(db, DAY))

    out = tmp_path / "resumed"
    marker = tmp_path / "two-chunks-done"
    url = str(db.url)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(world / "index"), str(out), str(marker)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the run ended early: {child.stderr.read().decode()}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the child never finished two chunks"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    assert not (out / "report.md").exists()
    assert len(list(out.rglob("chunk-*.npz"))) == 2

    redone: list[int] = []
    _run(db, world, out, on_chunk=redone.append)
    assert 0 not in redone and 1 not in redone and redone  # the two saved chunks were reused
    assert _files(out) == _files(tmp_path / "straight")
    assert sorted(_pushes(db, DAY)) == expected_pushes


# --------------------------------------------------------------------------- dask
def test_dask_run_equals_single_process(db: Engine, world: Path, tmp_path: Path) -> None:
    # ... and the files written by two writer processes equal those written in-process
    from distributed import Client, LocalCluster

    _run(db, world, tmp_path / "single")
    single = sorted(_pushes(db, DAY))
    with (
        LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        result = _run(db, world, tmp_path / "dask", dask_scheduler=client, processes=2)
    files = _files(tmp_path / "dask")
    assert files == _files(tmp_path / "single")
    assert sum(k.endswith("call_sheet.xlsx") for k in files) >= 2  # several districts' writers
    assert sorted(_pushes(db, DAY)) == single
    with session_scope(db) as s:
        run = s.get(NightlyRunRow, result.run_id)
        assert run is not None and run.status == "succeeded"
        assert sorted(f["path"] for f in run.files or []) == sorted(files)


def test_a_worker_whose_checkpoint_is_not_seen_here_stops_the_run_with_its_path(
    db: Engine, world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a worker on another machine that does not see the output folder writes elsewhere
    from distributed import Client, LocalCluster

    from matching.exceptions import MatchingError
    from matching.nightly import scoring

    monkeypatch.setattr(scoring, "_score_chunk_to", lambda path, *args, **kw: 0)
    with (
        LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        with pytest.raises(MatchingError, match=r"chunk-000000\.npz.*output folder"):
            _run(db, world, tmp_path / "out", dask_scheduler=client)


def test_late_reasons_built_on_the_workers_equal_this_processs(
    db: Engine, world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reasons of pushes explored in from deeper than the pool are built on the Dask
    workers when there are some: the same texts (in the WeChat files) and pushes as in one
    process."""
    from distributed import Client, LocalCluster

    import matching.nightly.scoring as scoring_module

    settings = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=0.3)
    _run(db, world, tmp_path / "single", settings=settings)
    single = sorted(_pushes(db, DAY))
    threads: list[str] = []  # where each batch of late reasons was built
    explain = scoring_module._explain

    def seen(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return explain(*args)

    monkeypatch.setattr(scoring_module, "_explain", seen)
    with (
        LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        _run(db, world, tmp_path / "dask", settings=settings, dask_scheduler=client)
    assert threads and "MainThread" not in threads  # on the workers (threads here)
    assert _files(tmp_path / "dask") == _files(tmp_path / "single")
    assert sorted(_pushes(db, DAY)) == single


def test_dask_tasks_carry_paths_not_the_persons_and_their_files_go(
    db: Engine, world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The persons' rows reach the workers in files beside the checkpoints, not inside the
    tasks (a scheduler in this process keeps every task's pickled arguments: ≈ 450 MB at 200k
    persons); each file is gone once its task is done; the lists are the same."""
    import pickle

    from distributed import Client, LocalCluster

    settings = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=0.3)
    _run(db, world, tmp_path / "single", settings=settings)
    single = sorted(_pushes(db, DAY))
    out = tmp_path / "dask"
    sent: list[tuple[str, int]] = []  # (task, bytes of its pickled arguments)
    left: list[str] = []  # parcels still there once their chunk was done

    def done(n: int) -> None:
        left.extend(p.name for p in out.rglob(f"chunk-{n:06d}.persons.json*"))

    with (
        LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        submit = client.submit

        def measured(fn, *args, **kw):  # type: ignore[no-untyped-def]
            sent.append((fn.__name__, len(pickle.dumps(args))))
            return submit(fn, *args, **kw)

        monkeypatch.setattr(client, "submit", measured)
        _run(db, world, out, settings=settings, dask_scheduler=client, on_chunk=done)
    tasks = Counter(name for name, _ in sent)
    assert tasks["_score_chunk_to"] == 5 and tasks["_explain_at"] >= 1  # 180 persons, 40 a chunk
    assert max(size for _, size in sent) < 1500  # a chunk's 40 stored rows are ≈ 60 kB
    assert left == [] and not list(out.rglob("late-*.npz"))
    assert _files(out) == _files(tmp_path / "single")
    assert sorted(_pushes(db, DAY)) == single


def test_the_engine_and_persons_are_left_out_of_the_collector_during_the_run_only(
    db: Engine, world: Path, tmp_path: Path
) -> None:
    """While the night runs, what lives through it (the engine, the persons) is out of the
    cycle collector's passes; afterwards nothing is left frozen, also when a run fails."""
    import gc

    frozen: list[int] = []
    _run(db, world, tmp_path / "out", on_chunk=lambda n: frozen.append(gc.get_freeze_count()))
    assert frozen and min(frozen) > 10_000 and gc.get_freeze_count() == 0

    def fail(n: int) -> None:
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        _run(db, world, tmp_path / "failed", on_chunk=fail)
    assert gc.get_freeze_count() == 0


def test_call_sheet_layout_keeps_numbers_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from matching.nightly.messages import CALL_SHEET_COLUMNS, write_call_sheet

    rows = [
        ["1", "王芳", "120103********1234", "02223456789", "短信+微信", "1. 保洁员\n2. 理货员", ""]
    ]
    path = tmp_path / "sheet.xlsx"
    write_call_sheet(path, "河西区 岗位推送电话跟进表 2024-10-21", rows)
    ws = load_workbook(path).active
    assert ws.title == "电话跟进" and ws.freeze_panes == "A3"
    assert ws["A1"].value.startswith("河西区") and ws["A1"].font.b
    assert [c.value for c in ws[2]] == list(CALL_SHEET_COLUMNS) and ws["A2"].font.b
    got = [c.value for c in ws[3]]
    assert got[:6] == rows[0][:6] and got[6] is None  # leading 0 kept; result column empty
    assert ws["F3"].alignment.wrap_text
    assert not list(tmp_path.glob(".*"))  # written atomically: no temporary file left


def test_reply_codes_in_bulk_equal_one_by_one() -> None:
    from matching.nightly.messages import reply_codes

    ids = [f"1201031985031{i:05d}" for i in range(300)]
    pids = [str(7 * i + 1) for i in range(300)]
    bulk = reply_codes(DAY, ids, pids)
    assert bulk == [reply_code(DAY, i, p) for i, p in zip(ids, pids, strict=True)]
    assert all(len(c) == 5 for c in bulk) and len(set(bulk)) > 290
    assert reply_codes(DAY, [], []) == []
    with pytest.raises(ValueError, match="1 to 13"):
        reply_codes(DAY, ids[:1], pids[:1], length=14)


def test_pushes_are_stored_with_a_larger_sqlite_cache_then_the_setting_is_restored(
    db: Engine,
) -> None:
    from sqlalchemy import text

    from matching.nightly.storage import _sqlite_cache

    with session_scope(db) as s:
        before = s.execute(text("PRAGMA cache_size")).scalar_one()
        with _sqlite_cache(s, mebibytes=64):
            assert s.execute(text("PRAGMA cache_size")).scalar_one() == -64 * 1024
        assert s.execute(text("PRAGMA cache_size")).scalar_one() == before


# --------------------------------------------------------------------------- exploration
def test_exploration_0_gives_the_lists_of_the_allocation_alone(
    db: Engine, world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With exploration 0 the lists are those the capped allocation gave before exploration
    existed: the same files, the same pushes, every push placed by the engine with 1.0."""
    import matching.nightly.pushes as pushes_module
    from matching.nightly.explore import Explored, list_positions

    off = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=0.0)
    assert off.retrieved == off.m  # no more candidates scored than before
    _run(db, world, tmp_path / "off", settings=off)
    with session_scope(db) as s:
        stored = s.execute(select(PushRow.placed_by, PushRow.propensity, PushRow.terms)).all()
    assert stored and all(by == "engine" and p == 1.0 and terms for by, p, terms in stored)
    expected = sorted(_pushes(db, DAY))

    def allocation_alone(c, chosen, caps, exploration, seed):  # type: ignore[no-untyped-def]
        position = list_positions(c, chosen)
        return Explored(chosen.copy(), chosen & False, chosen * 1.0, position)

    monkeypatch.setattr(pushes_module, "explore_lists", allocation_alone)
    _run(db, world, tmp_path / "alone", settings=off)
    assert sorted(_pushes(db, DAY)) == expected
    assert _files(tmp_path / "off") == _files(tmp_path / "alone")


def test_explored_pushes_are_eligible_candidates_within_the_caps(
    db: Engine, world: Path, tmp_path: Path
) -> None:
    from matching.nightly.candidates_file import CANDIDATES_FILE, read_candidates
    from matching.nightly.outputs import run_files
    from matching.nightly.scoring import engine_at
    from matching.rank.scoring import TERMS
    from matching.rank.snapshots import current_path
    from matching.store.persons import iter_persons

    share = 0.3
    settings = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=share)
    result = _run(db, world, tmp_path / "out", settings=settings)
    with session_scope(db) as s:
        rows = s.execute(
            select(PersonRow.id_number, PushRow.posting_id, PushRow.placed_by, PushRow.propensity,
                   PushRow.rank, PushRow.terms, PersonRow.id)
            .join(PersonRow, PersonRow.id == PushRow.person_id)
        ).all()  # fmt: skip
        heads = dict(s.execute(select(PostingRow.id, PostingRow.headcount)).all())
        persons = {p.id_number: p for p in iter_persons(s)}
        run = s.get(NightlyRunRow, result.run_id)
        assert run is not None
        recorded = run_files(run.files)
    explored = [r for r in rows if r.placed_by == "explore"]
    assert explored and len(rows) == result.counts["capped"]["pushes"]
    # every explored posting passes the engine's hard filters for that person
    engine = engine_at(str(current_path(world / "index").resolve()))
    for r in explored:
        passing = engine.recommend(persons[r.id_number], k=len(engine.posting_ids_), today=DAY)
        assert str(r.posting_id) in {m.posting_id for m in passing}
    # caps hold, positions are 1..g, propensities in (0, 1], terms stored
    for pid, count in Counter(r.posting_id for r in rows).items():
        assert count <= exposure_caps([heads[pid]], multiple=3.0, default_headcount=2)[0]
    by_person: dict[str, list[int]] = {}
    for r in rows:
        by_person.setdefault(r.id_number, []).append(r.rank)
        assert 0.0 < r.propensity <= 1.0 and set(r.terms) == set(TERMS)
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_person.values())
    # the share of explored slots scatters around its expectation (4 standard deviations)
    capped = result.counts["capped"]
    assert capped["explored"] == len(explored)
    mean = capped["explored_expected"]
    assert 0 < mean <= share * len(rows) + 1e-9
    assert abs(len(explored) - mean) <= 4 * mean**0.5
    # the candidates file: recorded, outside every district folder, holds each pushed pair
    entry = next(f for f in recorded if f.path == CANDIDATES_FILE)
    assert entry.district is None
    log = read_candidates((tmp_path / "out" / CANDIDATES_FILE).read_bytes())
    pairs = set()
    for k, person in enumerate(log.person.tolist()):
        pairs |= {(person, p) for p in log.posting[log.start[k] : log.start[k + 1]].tolist()}
    assert {(r.id, r.posting_id) for r in rows} <= pairs
    assert len(set(log.person.tolist())) == len(by_person)


@pytest.mark.parametrize(("share", "learned"), [(0.0, False), (0.3, False), (0.3, True)])
def test_reasons_built_for_the_pool_and_explored_pushes_only_give_the_same_lists(
    db: Engine,
    world: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    share: float,
    learned: bool,
) -> None:
    """The scoring stores reasons for each person's best ``m`` candidates only; a posting
    explored in from deeper gets its reasons once chosen. The lists, reasons and files equal
    those of a run that built the reasons of every retrieved candidate while scoring, with the
    hand weights and with a promoted learned ranker (which orders each posting's reasons)."""
    import matching.nightly.pushes as pushes_module
    import matching.nightly.run as run_module
    import matching.nightly.scoring as scoring_module
    from matching.nightly.records import ALL_EXPLAINED
    from matching.rank.learned import LearnedRanker

    if learned:
        model = request.getfixturevalue("pay_model")
        ranker = LearnedRanker.load(model)
        with session_scope(db, write=True) as s:
            s.add(RankerPromotionRow(action="promote", model_id=ranker.model_id,
                                     model_path=str(model), model_sha256=ranker.sha256,
                                     by_key="王科长"))  # fmt: skip
    settings = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=share)
    late: list[int] = []  # per run: pushed pairs whose reasons were built late
    built: list[list[PersonPush]] = []  # per run: the pushes, district by district
    explain_pairs, district_pushes = pushes_module.explain_pairs, run_module.district_pushes

    def counted(engine, persons, alloc, edges, day, *cluster):  # type: ignore[no-untyped-def]
        late.append(len(edges))  # once a run, before its pushes are built
        return explain_pairs(engine, persons, alloc, edges, day, *cluster)

    def kept(*args):  # type: ignore[no-untyped-def]
        built.append([])
        seen: list[str] = []
        for sheet, stored in district_pushes(*args):  # one district at a time, each once
            group, district = sheet.pushes(), sheet.district
            assert district not in seen and all(p.district == district for p in group)
            seen.append(district)
            built[-1].extend(group)
            yield sheet, stored

    monkeypatch.setattr(pushes_module, "explain_pairs", counted)
    monkeypatch.setattr(run_module, "district_pushes", kept)
    _run(db, world, tmp_path / "pool", settings=settings)
    pushed = sorted(_pushes(db, DAY))
    score_chunk = scoring_module.score_chunk

    def every_reason(engine, persons, excluded, day, m, explain=ALL_EXPLAINED):  # type: ignore[no-untyped-def]
        return score_chunk(engine, persons, excluded, day, m, ALL_EXPLAINED)

    monkeypatch.setattr(scoring_module, "score_chunk", every_reason)
    _run(db, world, tmp_path / "every", settings=settings)
    assert late[1] == 0  # every reason was stored: nothing built late
    if share == 0.0:
        assert late[0] == 0
    else:  # some explored pushes came from deeper than the pool, and got their reasons late
        assert late[0] > 0
    assert built[0] == built[1] and all(i.reasons for p in built[0] for i in p.items)
    assert sorted(_pushes(db, DAY)) == pushed
    assert _files(tmp_path / "pool") == _files(tmp_path / "every")


def test_a_promoted_learned_ranker_orders_the_lists_and_a_rollback_restores_them(
    world: Path, tmp_path: Path, pay_model: Path
) -> None:
    from matching.learn.guard import rollback
    from matching.rank.learned import LearnedRanker

    off = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=0.0)
    ranker = LearnedRanker.load(pay_model)

    def night(name: str, ledger: str) -> tuple[list[tuple[str, int, str]], dict[str, object]]:
        shutil.copy(world / "world.db", tmp_path / f"{name}.sqlite")
        db = make_engine(f"sqlite:///{tmp_path / f'{name}.sqlite'}")
        with session_scope(db, write=True) as s:
            if ledger in ("promoted", "rolled back"):
                s.add(RankerPromotionRow(action="promote", model_id=ranker.model_id,
                                         model_path=str(pay_model),
                                         model_sha256=ranker.sha256, by_key="王科长"))  # fmt: skip
        if ledger == "rolled back":
            with session_scope(db, write=True) as s:
                assert rollback(s, by="王科长") is None
        _run(db, world, tmp_path / name, settings=off)
        with session_scope(db) as s:
            stmt = (
                select(PersonRow.id_number, PushRow.rank, PushRow.posting_id)
                .join(PersonRow, PersonRow.id == PushRow.person_id)
                .order_by(PersonRow.id_number, PushRow.rank)
            )
            rows = [tuple(r) for r in s.execute(stmt)]
            heads = dict(s.execute(select(PostingRow.id, PostingRow.headcount)).all())
        for pid, count in Counter(r[2] for r in rows).items():  # the caps still hold
            assert count <= exposure_caps([heads[pid]], multiple=3.0, default_headcount=2)[0]
        db.dispose()
        return rows, _files(tmp_path / name)  # type: ignore[return-value]

    hand, hand_files = night("hand", "none")
    learned, _ = night("learned", "promoted")
    back, back_files = night("back", "rolled back")
    assert learned != hand  # the promoted model orders the night's lists
    assert back == hand and back_files == hand_files  # a rollback restores them exactly
    # a promoted file that went missing: the night still goes out, on the hand weights
    from matching.nightly import scoring

    scoring._ENGINES.clear()  # as in a new process: the verified model is not in memory
    moved = pay_model.rename(pay_model.with_suffix(".moved"))
    try:
        assert night("missing", "promoted")[0] == hand
    finally:
        moved.rename(pay_model)
