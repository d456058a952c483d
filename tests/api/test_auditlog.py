"""The audit writer: rows are committed before ``write`` returns; concurrent writes share
transactions; a failed write fails the caller."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from api.auditlog import AuditWriter
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.tables import AuditLogRow
from tests.api.conftest import _db_url, reset_postgres


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as s:
        return int(s.scalar(select(func.count()).select_from(AuditLogRow)) or 0)


def test_concurrent_reads_are_all_committed_in_shared_transactions(tmp_path: Path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(db)
    commits = []
    event.listen(db, "commit", lambda conn: commits.append(1))
    writer = AuditWriter(db)
    seen_after_return: list[int] = []

    def read(i: int) -> None:
        writer.write(key_id=f"k{i}", role="caseworker", numbers=[f"12010319850312{i:04d}"],
                     endpoint="GET /persons/1", action="read")  # fmt: skip
        with session_scope(db) as s:  # committed before write() returned
            stmt = select(func.count()).where(AuditLogRow.key_id == f"k{i}")
            seen_after_return.append(int(s.scalar(stmt) or 0))

    threads = [threading.Thread(target=read, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    assert seen_after_return == [1] * 40
    assert _count(db) == 40
    assert len(commits) < 40 + 40  # the writer's transactions are fewer than the 40 writes


def test_a_failed_write_fails_the_request_and_the_writer_goes_on(tmp_path: Path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'b.db'}")  # no tables yet: the insert fails
    writer = AuditWriter(db)
    with pytest.raises(Exception, match="audit_log"):
        writer.write(key_id="k", role="city_admin", numbers=["x"], endpoint="GET /", action="read")
    upgrade(db)
    writer.write(key_id="k", role="city_admin", numbers=["x"], endpoint="GET /", action="read")
    writer.close()
    assert _count(db) == 1
    with pytest.raises(RuntimeError, match="closed"):
        writer.write(key_id="k", role="city_admin", numbers=["x"], endpoint="GET /", action="r")


def _write(writer: AuditWriter, i: int, errors: list[BaseException]) -> None:
    try:
        writer.write(key_id=f"k{i}", role="city_admin", numbers=[f"n{i}"],
                     endpoint="GET /persons/1", action="read")  # fmt: skip
    except Exception as exc:
        errors.append(exc)


def _race(writer: AuditWriter, *, later: int) -> tuple[list[BaseException], list[BaseException]]:
    """Write k0, then k1..k``later`` while k0's write is under way; the errors of each side."""
    first_errors: list[BaseException] = []
    later_errors: list[BaseException] = []
    first = threading.Thread(target=_write, args=(writer, 0, first_errors))
    first.start()
    time.sleep(0.1)  # the first write is under way
    rest = [threading.Thread(target=_write, args=(writer, i, later_errors))
            for i in range(1, later + 1)]  # fmt: skip
    for t in rest:
        t.start()
    for t in [first, *rest]:
        t.join()
    return first_errors, later_errors


def _slow_first_insert(db, *, fail: bool) -> list[int]:  # type: ignore[no-untyped-def]
    """Make the first audit insert take 0.3 s (and fail when ``fail``); count the inserts."""
    inserts: list[int] = []

    def before(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO audit_log"):
            inserts.append(len(params) if many else 1)
            if len(inserts) == 1:
                time.sleep(0.3)
                if fail:
                    raise RuntimeError("disk full in audit_log")

    event.listen(db, "before_cursor_execute", before)
    return inserts


def test_rows_handed_in_during_a_write_all_go_in_the_next_transaction(tmp_path: Path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(db)
    inserts = _slow_first_insert(db, fail=False)
    writer = AuditWriter(db)
    first_errors, later_errors = _race(writer, later=10)
    writer.close()
    assert first_errors == later_errors == []
    assert _count(db) == 11
    assert inserts == [1, 10]  # the ten waiting requests shared one transaction


def test_a_failed_batch_fails_only_its_requests_and_loses_no_later_row(tmp_path: Path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(db)
    _slow_first_insert(db, fail=True)
    writer = AuditWriter(db)
    first_errors, later_errors = _race(writer, later=5)
    writer.close()
    assert [str(e) for e in first_errors] == ["disk full in audit_log"]
    assert later_errors == []
    with session_scope(db) as s:
        assert sorted(s.scalars(select(AuditLogRow.key_id))) == [f"k{i}" for i in range(1, 6)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_rows_stored_are_those_handed_in(backend: str, tmp_path: Path) -> None:
    """The insert goes to the driver as prepared once (api.auditlog._PreparedInsert): each
    field comes back as given, the time that of the write, on both databases."""
    db = make_engine(_db_url(backend, tmp_path))
    if backend == "postgresql":
        reset_postgres(db)
    upgrade(db)
    writer = AuditWriter(db)
    before = dt.datetime.now(dt.UTC)
    writer.write(
        key_id="k1",
        role="caseworker",
        district="河西区",
        numbers=["120103198503120011", None],
        endpoint="GET /persons/7",
        action="read",
    )
    writer.write(key_id="k2", role="city_admin", numbers=["120103198503120022"],
                 endpoint="GET /persons/8/recommendations", action="recommend")  # fmt: skip
    writer.close()
    with session_scope(db) as s:
        rows = s.scalars(select(AuditLogRow).order_by(AuditLogRow.id)).all()
        got = [(r.key_id, r.role, r.district, r.person_id_number, r.endpoint, r.action)
               for r in rows]  # fmt: skip
        times = [r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC) for r in rows]
    db.dispose()
    assert got == [
        ("k1", "caseworker", "河西区", "120103198503120011", "GET /persons/7", "read"),
        ("k1", "caseworker", "河西区", None, "GET /persons/7", "read"),
        ("k2", "city_admin", None, "120103198503120022", "GET /persons/8/recommendations",
         "recommend"),
    ]  # fmt: skip
    assert all(before <= t <= dt.datetime.now(dt.UTC) for t in times)
    assert times[0] == times[1]  # one moment for one request's rows
