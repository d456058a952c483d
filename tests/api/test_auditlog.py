"""The audit writer: rows are committed before ``write`` returns; concurrent writes share
transactions; a failed write fails the caller."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from api.auditlog import AuditWriter
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.tables import AuditLogRow


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
