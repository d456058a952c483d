"""Tests for matching/store: engine settings, migrations, upserts, dedup, readers.

Every store test runs against SQLite (a temporary file) and, when SONGGANG_TEST_POSTGRES_URL
is set, against PostgreSQL too (marked ``postgres``; the database is emptied first).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, loc, make_id, posting, tiny_persons, tiny_postings
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from matching.domain.categories import Category
from matching.schemas import (
    Education,
    Gender,
    OtherNeed,
    Person,
    PersonStatus,
    Posting,
    SalaryRange,
    WorkForm,
    WorkHistoryEntry,
)
from matching.store import postings as posting_store
from matching.store.activity import counts, declined_posting_ids, record_audit
from matching.store.bulk import UpsertStats
from matching.store.db import current_revision, make_engine, session_scope, upgrade
from matching.store.fingerprints import normalize_key, posting_dedup_key, posting_fingerprint
from matching.store.persons import (
    get_person,
    iter_person_records,
    iter_persons,
    person_from_record,
    upsert_persons,
)
from matching.store.postings import get_posting, load_postings, posting_confidences, upsert_postings
from matching.store.tables import Base, OutcomeRow, PersonRow, PostingRow

PG_ENV = "SONGGANG_TEST_POSTGRES_URL"


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'db' / 'songgang.db'}")
    else:
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"needs a PostgreSQL server: set {PG_ENV}=postgresql+psycopg://…")
        eng = make_engine(url)
        _reset_postgres(eng)
    upgrade(eng)
    yield eng
    if request.param == "postgresql":
        _reset_postgres(eng)
    eng.dispose()


def rich_person(**kw: object) -> Person:
    """A person with every optional field filled, to catch any field the store drops."""
    base = {
        "id_number": make_id("120104", "19790601", "234"),
        "name": "欧阳娜娜",
        "gender": Gender.FEMALE,
        "birth_date": dt.date(1979, 6, 1),
        "phone": "13902220000",
        "education": Education.COLLEGE,
        "skills": "会计 初级职称",
        "registered_on": dt.date(2024, 3, 1),
        "unemployed_since": dt.date(2024, 1, 15),
        "household_address": "天津市南开区某路1号",
        "residential_address": "天津市南开区长虹街道某里2号",
        "residence": loc("南开区", "长虹街道").model_copy(update={"precision": "street"}),
        "work_forms": (WorkForm.STABLE, WorkForm.FLEXIBLE),
        "wanted_categories": (Category.D, Category.E),
        "expected_pay_text": "5-6千·13薪",
        "expected_pay": SalaryRange(monthly_min_yuan=5000, monthly_max_yuan=6000, months=13),
        "location_requirement": "南开区及周边",
        "other_needs": (OtherNeed.GUIDANCE, OtherNeed.SKILLS_TRAINING),
        "work_history": (
            WorkHistoryEntry(period="2010-2015", employer="某商贸公司", position="出纳"),
            WorkHistoryEntry(period="2015-2023", employer="某物业", position="会计"),
        ),
        "district": "南开区",
        "status": PersonStatus.DEREGISTERED,
        "deregistration_reason": 6,
        "accepts_messages": False,
        "note": "备注：只接受白班",
    }
    base.update(kw)
    return Person(**base)  # type: ignore[arg-type]


def bare_posting(title: str = "保洁员", **kw: object) -> Posting:
    """A posting with no source id and most fields empty."""
    return Posting(title=title, **kw)  # type: ignore[arg-type]


def stripped(p: Posting) -> Posting:
    return p.model_copy(update={"id": ""})


# ---------------------------------------------------------------------------- engine, migrations


def test_sqlite_engine_creates_folder_and_sets_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(None, default_path=tmp_path / "new" / "dir" / "x.db")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    assert (tmp_path / "new" / "dir" / "x.db").exists()
    eng.dispose()


def test_a_write_session_holds_the_lock_and_a_held_lock_is_busy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from matching.store.db import is_busy, session_scope

    eng = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=50)
    upgrade(eng)
    other = sqlite3.connect(tmp_path / "x.db", isolation_level=None, timeout=0.05)
    with session_scope(eng, write=True):
        # the write lock is taken at BEGIN, before any statement: another writer waits
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released at the end of the transaction
    try:
        started = time.perf_counter()
        with pytest.raises(OperationalError) as err, session_scope(eng, write=True):
            pass
        assert is_busy(err.value)
        assert time.perf_counter() - started >= 0.2  # 3 tries with backoff, not one
        with session_scope(eng) as session:  # readers are not blocked (WAL)
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        other.rollback()
    with session_scope(eng, write=True) as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
    other.close()
    eng.dispose()


def test_upgrade_is_idempotent_and_matches_the_tables(engine: Engine) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from matching.store.db import _alembic_config

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert current_revision(engine) == head
    upgrade(engine)  # second run: nothing to do, no error
    with engine.begin() as conn:
        command.check(_alembic_config(conn))  # raises when tables.py and migrations differ


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.execute(insert(OutcomeRow), [{"person_id": 999, "posting_id": 999, "kind": "pushed"}])


def test_session_scope_rolls_back_on_error(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        upsert_persons(s, tiny_persons())
        raise RuntimeError("boom")
    with session_scope(engine) as s:
        assert counts(s)["persons"] == 0


def test_0005_adds_folder_and_files_to_recorded_nightly_runs(engine: Engine) -> None:
    """Runs recorded before 0005 keep their rows (no folder, no files); down and up again work."""
    from alembic import command

    from matching.store.db import _alembic_config
    from matching.store.nightly_tables import NightlyRunRow

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0003")
    assert current_revision(engine) == "0003"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO nightly_runs (run_key, run_date, index_version, status, settings, "
                "counts) VALUES ('k1', '2024-10-21', 'v1', 'succeeded', '{}', '{}')"
            )
        )
    upgrade(engine)
    files = [{"path": "河西区/call_sheet.xlsx", "size_bytes": 10, "sha256": "ab" * 32}]
    with session_scope(engine) as s:
        old = s.scalars(select(NightlyRunRow)).one()
        assert (old.run_key, old.out_dir, old.files) == ("k1", None, None)
        s.add(
            NightlyRunRow(
                run_key="k2", run_date=TODAY, index_version="v1", status="succeeded",
                settings={}, counts={}, out_dir="/srv/nightly/2024-10-21", files=files,
            )
        )  # fmt: skip
    with session_scope(engine) as s:
        new = s.scalars(select(NightlyRunRow).where(NightlyRunRow.run_key == "k2")).one()
        assert (new.out_dir, new.files) == ("/srv/nightly/2024-10-21", files)


# ---------------------------------------------------------------------------- persons


@pytest.mark.parametrize(
    "p",
    [
        rich_person(),
        rich_person(residence=None, expected_pay=None, phone=None, work_history=()),
        rich_person(expected_pay=SalaryRange(negotiable=True), status=PersonStatus.REGISTERED,
                    deregistration_reason=None),
        *tiny_persons(),
    ],
    ids=["rich", "sparse", "negotiable", "tiny0", "tiny1", "tiny2", "tiny3"],
)  # fmt: skip
def test_person_round_trip(engine: Engine, p: Person) -> None:
    with session_scope(engine) as s:
        assert upsert_persons(s, [p]) == UpsertStats(inserted=1)
    with session_scope(engine) as s:
        assert get_person(s, p.id_number) == p
        assert get_person(s, make_id(seq="999")) is None


def _stamps(engine: Engine) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    with session_scope(engine) as s:
        rows = s.execute(select(PersonRow.id_number, PersonRow.created_at, PersonRow.updated_at))
        return {n: (c, u) for n, c, u in rows}


def test_reimporting_persons_changes_nothing(engine: Engine) -> None:
    persons = [*tiny_persons(), rich_person()]
    with session_scope(engine) as s:
        assert upsert_persons(s, persons) == UpsertStats(inserted=5)
    before = _stamps(engine)
    with session_scope(engine) as s:
        assert upsert_persons(s, persons) == UpsertStats(unchanged=5)
    assert _stamps(engine) == before


def test_changed_phone_is_an_update(engine: Engine) -> None:
    persons = tiny_persons()
    with session_scope(engine) as s:
        upsert_persons(s, persons)
    before = _stamps(engine)
    changed = [persons[0].model_copy(update={"phone": "13900000000"}), *persons[1:]]
    with session_scope(engine) as s:
        assert upsert_persons(s, changed) == UpsertStats(updated=1, unchanged=3)
    after = _stamps(engine)
    idn = persons[0].id_number
    assert after[idn][0] == before[idn][0] and after[idn][1] > before[idn][1]
    assert all(after[p.id_number] == before[p.id_number] for p in persons[1:])
    with session_scope(engine) as s:
        assert get_person(s, idn) == changed[0]
        assert counts(s)["persons"] == 4


def test_repeated_id_number_in_one_batch_first_wins(engine: Engine) -> None:
    p = tiny_persons()[0]
    with session_scope(engine) as s:
        stats = upsert_persons(s, [p, p.model_copy(update={"name": "别人"})])
    assert stats == UpsertStats(inserted=1, duplicates=1)
    with session_scope(engine) as s:
        assert get_person(s, p.id_number) == p


def test_iter_persons_filters(engine: Engine) -> None:
    persons = [*tiny_persons(), rich_person()]
    with session_scope(engine) as s:
        upsert_persons(s, persons)
    with session_scope(engine) as s:
        assert list(iter_persons(s)) == persons
        assert [p.name for p in iter_persons(s, district="蓟州区")] == ["赵敏", "刘伟"]
        assert list(iter_persons(s, status="deregistered")) == [persons[-1]]
        assert len(list(iter_persons(s, district="河西区", status="registered"))) == 2


def test_person_records_rebuild_the_same_persons_also_after_json(engine: Engine) -> None:
    # The nightly run reads plain records and sends them to its workers as JSON.
    import datetime as dt
    import json

    persons = [*tiny_persons(), rich_person()]
    assert any(p.work_history for p in persons) and any(p.wanted_categories for p in persons)
    with session_scope(engine) as s:
        upsert_persons(s, persons)
    with session_scope(engine) as s:
        records = list(iter_person_records(s))
        registered = list(iter_person_records(s, status="registered"))
        jizhou = list(iter_person_records(s, district="蓟州区"))
    assert [person_from_record(r) for r in records] == persons
    blob = json.dumps(records, default=lambda d: d.isoformat(), ensure_ascii=False)
    assert [person_from_record(r) for r in json.loads(blob)] == persons
    assert all(isinstance(r["birth_date"], dt.date) for r in records)
    assert all(isinstance(r["work_history"], str) for r in records)  # decoded by the builder
    assert [r["id_number"] for r in registered] == [
        p.id_number for p in persons if p.status == "registered"
    ]
    assert [r["name"] for r in jizhou] == ["赵敏", "刘伟"]


# ---------------------------------------------------------------------------- postings


def test_posting_round_trip_and_ids(engine: Engine) -> None:
    given_ = [*tiny_postings(), bare_posting(), bare_posting("普工", employer="某厂", filled=True,
              salary=SalaryRange(negotiable=True), salary_text="面议", category=Category.J,
              category_inferred=True, age_min=18, age_max=45, experience_years=1,
              education_min=Education.SENIOR, contact_phone="022-12345678")]  # fmt: skip
    with session_scope(engine) as s:
        assert upsert_postings(s, given_) == UpsertStats(inserted=10)
    with session_scope(engine) as s:
        loaded = load_postings(s)
        assert [stripped(p) for p in loaded] == [stripped(p) for p in given_]
        assert all(p.id.isdigit() for p in loaded) and len({p.id for p in loaded}) == 10
        assert get_posting(s, loaded[3].id) == loaded[3]
        assert get_posting(s, "999999") is None
        assert get_posting(s, "p3") is None


def test_reimporting_postings_changes_nothing(engine: Engine) -> None:
    given_ = [*tiny_postings(), bare_posting(), bare_posting("厨师", employer="某饭店")]
    with session_scope(engine) as s:
        upsert_postings(s, given_)
    with session_scope(engine) as s:
        first = s.execute(select(PostingRow.id, PostingRow.updated_at)).all()
    with session_scope(engine) as s:
        assert upsert_postings(s, given_) == UpsertStats(unchanged=10)
    with session_scope(engine) as s:
        assert s.execute(select(PostingRow.id, PostingRow.updated_at)).all() == first


def test_source_id_is_the_identity(engine: Engine) -> None:
    p = tiny_postings()[2]
    with session_scope(engine) as s:
        upsert_postings(s, [p])
    raised = p.model_copy(update={"salary": SalaryRange(monthly_min_yuan=7000, monthly_max_yuan=9000),
                                  "salary_text": "7000-9000元/月", "description": "新描述"})  # fmt: skip
    other_source = p.model_copy(update={"source": "51job", "employer": "另一家"})
    with session_scope(engine) as s:
        stats = upsert_postings(s, [raised, other_source])
    assert stats == UpsertStats(inserted=1, updated=1)
    with session_scope(engine) as s:
        loaded = load_postings(s)
    assert [stripped(x) for x in loaded] == [stripped(raised), stripped(other_source)]
    # the partial unique index holds even for writes that bypass the repository
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        values = posting_store._posting_values(raised, None) | {"fingerprint": "x" * 64}
        s.execute(insert(PostingRow), [values])


def test_empty_source_ids_do_not_collide(engine: Engine) -> None:
    a = bare_posting("保洁员", source="walk-in")
    b = bare_posting("司机", source="walk-in")
    with session_scope(engine) as s:
        assert upsert_postings(s, [a, b]) == UpsertStats(inserted=2)


def test_state_change_without_source_id_updates_the_row(engine: Engine) -> None:
    p = bare_posting("保洁员", employer="某物业", valid_until=TODAY)
    with session_scope(engine) as s:
        upsert_postings(s, [p])
    later = p.model_copy(update={"valid_until": TODAY + dt.timedelta(days=30), "filled": True})
    with session_scope(engine) as s:
        assert upsert_postings(s, [later]) == UpsertStats(updated=1)
        assert [stripped(x) for x in load_postings(s)] == [later]


def _dup(p: Posting, **kw: object) -> Posting:
    return p.model_copy(update={"source_id": "", **kw})


def test_duplicates_are_merged_and_counted_once(engine: Engine) -> None:
    base = _dup(tiny_postings()[0], employer="天津某物业公司", description="打扫楼道")
    twins = [
        base,
        _dup(base, employer=" 天津 某物业公司。", title="小区保洁员！", description="另一种写法"),
        _dup(base, employer="天津某物业公司", description="第三种", source="58同城"),
    ]
    other_pay = _dup(base, salary=SalaryRange(monthly_min_yuan=4500, monthly_max_yuan=5500),
                     salary_text="4500-5500元/月")  # fmt: skip
    batch = [*twins, other_pay, base]  # base again: same identity twice in one file
    with session_scope(engine) as s:
        assert upsert_postings(s, batch) == UpsertStats(inserted=2, duplicates=3)
    with session_scope(engine) as s:
        rows = s.execute(select(PostingRow.salary_min_yuan, PostingRow.duplicates_merged))
        assert dict(rows.all()) == {4000: 2, 4500: 0}
        assert counts(s)["posting_aliases"] == 2
    with session_scope(engine) as s:  # the same file again: nothing changes, same counts
        assert upsert_postings(s, batch) == UpsertStats(unchanged=2, duplicates=3)
        rows = s.execute(select(PostingRow.salary_min_yuan, PostingRow.duplicates_merged))
        assert dict(rows.all()) == {4000: 2, 4500: 0}


def test_duplicate_of_an_existing_row_is_merged(engine: Engine) -> None:
    base = _dup(tiny_postings()[4])
    with session_scope(engine) as s:
        upsert_postings(s, [base])
    with session_scope(engine) as s:
        stats = upsert_postings(s, [_dup(base, description="重新发布")])
    assert stats == UpsertStats(duplicates=1)
    with session_scope(engine) as s:
        assert s.scalar(select(PostingRow.duplicates_merged)) == 1
        assert counts(s)["postings"] == 1


@pytest.mark.parametrize(
    "first, second",
    [
        ({"filled": True}, {}),  # a filled job posted again is a new vacancy
        ({"valid_until": TODAY}, {"valid_from": TODAY + dt.timedelta(days=1)}),  # expired before
        ({"employer": ""}, {"employer": ""}),  # no employer: nothing tells them apart
        ({}, {"district": "蓟州区"}),
        ({}, {"title": "楼道保洁员"}),
    ],
)
def test_when_postings_are_not_merged(engine: Engine, first: dict, second: dict) -> None:  # type: ignore[type-arg]
    base = _dup(tiny_postings()[0], valid_from=None)
    a = base.model_copy(update=first)
    b = base.model_copy(update={"description": "另一条", **second})
    with session_scope(engine) as s:
        assert upsert_postings(s, [a, b]) == UpsertStats(inserted=2)


def test_confidence_is_stored_and_part_of_the_hash(engine: Engine) -> None:
    p = bare_posting("送餐员", employer="某外卖站", category=Category.C, category_inferred=True)
    with session_scope(engine) as s:
        upsert_postings(s, [p], confidences=[0.8])
    with session_scope(engine) as s:
        assert upsert_postings(s, [p], confidences=[0.8]) == UpsertStats(unchanged=1)
        assert upsert_postings(s, [p], confidences=[0.6]) == UpsertStats(updated=1)
        pid = load_postings(s)[0].id
        assert posting_confidences(s, [pid, "x"]) == {pid: 0.6}
    with pytest.raises(ValueError, match="parallel"), session_scope(engine) as s:
        upsert_postings(s, [p], confidences=[])


def test_load_postings_active_on(engine: Engine) -> None:
    d = dt.timedelta(days=10)
    ps = [
        bare_posting("a", valid_from=TODAY - d, valid_until=TODAY + d),
        bare_posting("b", valid_from=TODAY + dt.timedelta(days=1)),
        bare_posting("c", valid_until=TODAY - dt.timedelta(days=1)),
        bare_posting("d"),
        bare_posting("e", valid_from=TODAY, valid_until=TODAY),
    ]
    with session_scope(engine) as s:
        upsert_postings(s, ps)
    with session_scope(engine) as s:
        assert [p.title for p in load_postings(s, active_on=TODAY)] == ["a", "d", "e"]
        assert len(load_postings(s)) == 5


def test_counts_audit_and_declined(engine: Engine) -> None:
    persons = tiny_persons()
    with session_scope(engine) as s:
        upsert_persons(s, persons)
        upsert_postings(s, tiny_postings()[:2])
        record_audit(s, key_id="k1", role="caseworker", person_id_number=persons[0].id_number,
                          endpoint="GET /persons/x/matches", action="read")  # fmt: skip
    with session_scope(engine) as s:
        person_pk = s.scalar(
            select(PersonRow.id).where(PersonRow.id_number == persons[0].id_number)
        )
        post_pks = s.scalars(select(PostingRow.id).order_by(PostingRow.id)).all()
        s.add_all([OutcomeRow(person_id=person_pk, posting_id=post_pks[0], kind="declined"),
                   OutcomeRow(person_id=person_pk, posting_id=post_pks[1], kind="pushed")])  # fmt: skip
    with session_scope(engine) as s:
        assert declined_posting_ids(s, persons[0].id_number) == {str(post_pks[0])}
        assert declined_posting_ids(s, persons[1].id_number) == set()
        assert counts(s) == {"persons": 4, "postings": 2, "posting_aliases": 0,
                                  "import_runs": 0, "outcomes": 2, "audit_log": 1}  # fmt: skip


# ---------------------------------------------------------------------------- keys (no database)

_noise = st.lists(st.sampled_from([" ", "，", "。", "(", ")", "（", "）", "-", "·", "\u3000"]),
                  max_size=4).map("".join)  # fmt: skip


@given(a=_noise, b=_noise, upper=st.booleans())
def test_dedup_key_ignores_spaces_punctuation_and_case(a: str, b: str, upper: bool) -> None:
    p = posting("x", "Java开发", "写代码", Category.D, "河西区", 8000, 12000, employer="ABC科技")
    employer = a + ("abc科技" if not upper else "ＡＢＣ科技") + b
    q = p.model_copy(update={"employer": employer, "title": b + "java开发" + a, "description": "x"})
    assert posting_dedup_key(q) == posting_dedup_key(p)
    assert posting_fingerprint(q) == posting_fingerprint(p)  # identity by source_id


@given(st.text(max_size=30))
def test_normalize_key_is_idempotent(s: str) -> None:
    once = normalize_key(s)
    assert normalize_key(once) == once
    assert " " not in once


def test_stats_total() -> None:
    assert UpsertStats(1, 2, 3, 4).total == 10


# ---------------------------------------------------------------------------- speed (slow)


def _many_persons(n: int) -> list[Person]:
    base = tiny_persons()[0]
    return [base.model_copy(update={"id_number": _idn(i), "name": f"人{i}"}) for i in range(n)]


def _idn(i: int) -> str:
    # distinct valid ID numbers: vary the birth date (days since 1960) and the sequence number
    day = dt.date(1960, 1, 1) + dt.timedelta(days=i // 1000)
    return make_id("120103", day.strftime("%Y%m%d"), f"{i % 1000:03d}")


def _many_postings(n: int) -> list[Posting]:
    base = tiny_postings()
    return [
        base[i % 8].model_copy(update={"source_id": f"s{i}", "employer": f"单位{i // 2}"})
        for i in range(n)
    ]


@pytest.mark.slow
def test_bulk_upsert_speed_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(f"sqlite:///{tmp_path / 'speed.db'}")
    upgrade(eng)
    persons, postings = _many_persons(20_000), _many_postings(5_000)
    timings = {}
    for label in ("first", "again"):
        t0 = time.perf_counter()
        with session_scope(eng) as s:
            ps = upsert_persons(s, persons)
        t1 = time.perf_counter()
        with session_scope(eng) as s:
            qs = upsert_postings(s, postings)
        t2 = time.perf_counter()
        timings[label] = (t1 - t0, t2 - t1)
        print(
            f"{label}: 20,000 persons {t1 - t0:.2f} s ({ps}); 5,000 postings {t2 - t1:.2f} s ({qs})"
        )
    assert timings["first"][0] < 10 and timings["first"][1] < 5
    assert ps == UpsertStats(unchanged=20_000)
    eng.dispose()


def test_pushes_bulk_insert_reads_back_through_the_orm(engine: Engine) -> None:
    """The nightly's bulk insert (driver executemany on SQLite, Core elsewhere) stores what the
    ORM reads: the 14-day rule compares ``pushed_on`` with dates."""
    from matching.nightly.storage import _insert_pushes
    from matching.store.nightly_tables import NightlyRunRow, PushRow

    day = dt.date(2024, 10, 21)
    with session_scope(engine) as s:
        upsert_persons(s, tiny_persons()[:2])
        upsert_postings(s, tiny_postings()[:3])
    with session_scope(engine) as s:
        people = s.scalars(select(PersonRow.id).order_by(PersonRow.id)).all()
        jobs = s.scalars(select(PostingRow.id).order_by(PostingRow.id)).all()
        run = NightlyRunRow(run_key="k", run_date=day, index_version="v", status="running",
                            settings={}, counts={})  # fmt: skip
        s.add(run)
        s.flush()
        terms = {"text": 0.25, "category": 1.0, "salary": 0.5}  # given as their JSON text
        rows = [(people[0], jobs[0], 1, 0.91, "message", "AB2CD", "engine", 0.9, json.dumps(terms)),
                (people[1], jobs[2], 2, 0.5, "call", "XY3ZW", "explore", 0.0125, None)]  # fmt: skip
        _insert_pushes(s, run.id, day, rows)
        run_id = run.id
    with session_scope(engine) as s:
        got = s.scalars(select(PushRow).where(PushRow.pushed_on >= day).order_by(PushRow.rank))
        stored = [(p.run_id, p.person_id, p.posting_id, p.pushed_on, p.rank, p.score, p.channel,
                   p.code, p.placed_by, p.propensity, p.terms) for p in got]  # fmt: skip
    want = [(run_id, *r[:2], day, *r[2:-1], terms if r[-1] else None) for r in rows]
    assert stored == want


# ------------------------------------------------- import writes and reads: the same rows as the ORM's


def _generated_board(tmp_path, n: int = 400) -> tuple[list[Posting], list[Person]]:  # type: ignore[no-untyped-def]
    """A generated board read as an import reads it (postings with their inferred categories)."""
    from matching.generator import generate_persons, generate_postings
    from matching.ingest import read_persons, read_postings, write_table
    from matching.ingest.importer import infer_categories

    files = {}
    for name, rows in (("p.csv", generate_postings(n, seed=7)), ("h.csv", generate_persons(n, 7))):
        headers = list(rows[0])
        files[name] = write_table(tmp_path / name, headers, ([r[h] for h in headers] for r in rows))
    postings = [p for _, p in read_postings(files["p.csv"]).items]
    blank = [
        p.model_copy(update={"category": None}) if i % 2 else p for i, p in enumerate(postings)
    ]
    return infer_categories(blank)[0], [p for _, p in read_persons(files["h.csv"]).items]


def _stored(engine: Engine, table: type) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    skip = {"created_at", "updated_at"}
    cols = [c for c in table.__table__.columns if c.name not in skip]  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        return [tuple(r) for r in s.execute(select(*cols).order_by(table.id))]  # type: ignore[attr-defined]


def test_bulk_insert_stores_what_the_orms_row_by_row_insert_stored(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows whose NULLs fall in different columns go in one statement per chunk (a None is
    written as NULL) and store exactly what the ORM's bulk insert, which leaves a None column
    out and so groups rows by their NULLs, stored."""
    from matching.store import bulk, persons

    postings, people = _generated_board(tmp_path)
    assert len({tuple(k for k, v in posting_store._posting_values(p, None).items() if v is None)
                for p in postings}) > 5  # fmt: skip
    inserts: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        inserts.extend([statement] if statement.startswith("INSERT INTO postings") else [])

    event.listen(engine, "before_cursor_execute", count)
    with session_scope(engine) as s:
        assert upsert_postings(s, postings).inserted > 390
        assert upsert_persons(s, people).inserted > 390
    event.remove(engine, "before_cursor_execute", count)
    assert len(inserts) == 1  # one executemany for the 400 postings (the ORM's took dozens)
    new = _stored(engine, PostingRow), _stored(engine, PersonRow)
    with session_scope(engine) as s:
        s.execute(text("DELETE FROM postings"))
        s.execute(text("DELETE FROM persons"))

    def orm_insert(session, table, rows) -> None:  # type: ignore[no-untyped-def]
        for chunk in bulk.chunks(rows, bulk.BATCH):
            session.execute(insert(table), list(chunk))

    monkeypatch.setattr(posting_store, "insert_many", orm_insert)
    monkeypatch.setattr(persons, "insert_many", orm_insert)
    with session_scope(engine) as s:
        upsert_postings(s, postings)
        upsert_persons(s, people)
    old = _stored(engine, PostingRow), _stored(engine, PersonRow)
    # the ids differ by the rows deleted in between; every other column is the same
    strip = [[row[1:] for row in rows] for rows in (*new, *old)]
    assert strip[0] == strip[2] and strip[1] == strip[3]


def test_load_postings_reads_the_postings_the_orm_rows_hold(engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """load_postings reads columns, not ORM objects, and validates each posting in one call:
    the same postings, field for field."""
    postings, _ = _generated_board(tmp_path)
    postings[3] = postings[3].model_copy(update={"filled": True})
    with session_scope(engine) as s:
        upsert_postings(s, postings)
    with session_scope(engine) as s:
        rows = s.scalars(select(PostingRow).order_by(PostingRow.id)).all()
        from_orm = [posting_store.posting_from_row(r) for r in rows]
        assert load_postings(s) == from_orm
        day = dt.date(2024, 10, 21)
        assert load_postings(s, active_on=day, unfilled=True) == [
            p for p in from_orm
            if not p.filled and (p.valid_from or day) <= day <= (p.valid_until or day)
        ]  # fmt: skip
    assert sum(p.filled for p in from_orm) >= 1 and len(from_orm) > 390
    # and what was stored is what was given, field for field (location and pay included)
    given = {p.source_id: p for p in postings}
    assert [p.model_copy(update={"id": ""}) for p in from_orm] == [
        given[p.source_id] for p in from_orm
    ]
    assert sum(p.location is not None for p in from_orm) > 300
    assert sum(p.salary is not None for p in from_orm) > 300
