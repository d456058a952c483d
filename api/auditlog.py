"""Group commit of the audit log: every read of a person's data is committed before the
response, and the reads of concurrent requests share one transaction.

No thread of its own: the request that finds no write under way becomes the leader and commits
its row, together with every row handed in meanwhile, in its own thread; requests arriving
while a leader writes wait, and when it is done the first of them that is still unwritten
leads the next transaction with all the rows pending by then. So one transaction at a time per
process (SQLite sees one writer per process, never sleeping in its busy handler because of this
process's own threads), many requests' rows per transaction under load, and no hand-over to
another thread when there is no contention (that hand-over, a wake-up of a writer thread and
of the request again, cost about as much CPU as the insert itself; docs/benchmarks.md).
A request returns once its rows are committed, or fails when their transaction failed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Table
from sqlalchemy.engine import Dialect


@dataclass(slots=True)
class _Entry:
    key_id: str
    role: str
    district: str | None
    numbers: Sequence[str | None]
    endpoint: str
    action: str
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    done: bool = False
    error: BaseException | None = None


_COLUMNS = ("at", "key_id", "role", "district", "person_id_number", "endpoint", "action")


class _PreparedInsert:
    """The audit row's INSERT compiled once for the database's dialect, and its values put
    through the columns' own bind processors (SQLite stores the time as SQLAlchemy writes it):
    the rows of every request then go to the driver as they are, without SQLAlchemy
    compiling or looking up the statement again (50 µs of the 150 an insert costs)."""

    def __init__(self, dialect: Dialect, table: Table) -> None:
        compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(_COLUMNS))
        self.sql = str(compiled)
        self._order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        )
        processors = {c: table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
                      for c in _COLUMNS}  # fmt: skip
        self._processors = {c: p for c, p in processors.items() if p is not None}

    def params(self, row: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """``row`` as the driver takes it (a tuple in the statement's order, or by name)."""
        for column, process in self._processors.items():
            row[column] = process(row[column])
        return row if self._order is None else tuple(row[c] for c in self._order)


class AuditWriter:
    """Writes audit rows for the requests of one process (see the module docstring)."""

    def __init__(self, db: Engine, *, timeout: float = 30.0) -> None:
        from matching.store.tables import AuditLogRow

        self._db = db
        self._timeout = timeout
        self._insert = _PreparedInsert(db.dialect, AuditLogRow.__table__)
        self._cond = threading.Condition()
        self._pending: list[_Entry] = []
        self._writing = False
        self._closed = False

    def write(
        self,
        *,
        key_id: str,
        role: str,
        district: str | None = None,
        numbers: Sequence[str | None],
        endpoint: str,
        action: str,
    ) -> None:
        """Record that ``key_id`` (``role``, ``district``) read or changed these persons;
        returns once the rows are committed."""
        entry = _Entry(key_id, role, district, list(numbers), endpoint, action)
        deadline = time.monotonic() + self._timeout
        batch: list[_Entry] | None = None
        with self._cond:
            if self._closed:
                raise RuntimeError("audit writer is closed / 审计日志写入已关闭")
            self._pending.append(entry)
            while self._writing and not entry.done:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    if entry in self._pending:  # not taken by a leader: never written
                        self._pending.remove(entry)
                    raise TimeoutError("audit log write timed out / 审计日志写入超时")
            if not entry.done:  # no write under way: lead one with everything pending
                self._writing = True
                batch, self._pending = self._pending, []
        if batch is not None:
            self._commit(batch)
        if entry.error is not None:
            raise entry.error

    def _commit(self, batch: list[_Entry]) -> None:
        rows = [
            self._insert.params(
                {"at": e.at, "key_id": e.key_id, "role": e.role, "district": e.district,
                 "person_id_number": number, "endpoint": e.endpoint, "action": e.action}
            )
            for e in batch
            for number in e.numbers
        ]  # fmt: skip
        error: BaseException | None = RuntimeError("audit write interrupted / 审计日志写入中断")
        try:
            # One transaction for the batch, the insert's SQL made once (_PreparedInsert): the
            # ORM's unit of work cost twice as much CPU for these plain appends.
            if rows:
                with self._db.begin() as conn:
                    conn.exec_driver_sql(self._insert.sql, rows)
            error = None
        except Exception as exc:  # the requests of this batch fail; the next batch retries
            error = exc
        finally:
            with self._cond:
                for e in batch:
                    e.error, e.done = error, True
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        """Refuse new writes; wait (up to the timeout) for those already handed in."""
        with self._cond:
            self._closed = True
            self._cond.wait_for(lambda: not self._writing and not self._pending, self._timeout)
