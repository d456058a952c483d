"""Group commit of the audit log: every read of a person's data is committed before the
response, and the reads of concurrent requests share one transaction.

One writer thread per process owns the writes. A request hands its rows over and waits until
they are committed (or the write failed, which fails the request). Under load many requests'
rows go in one short transaction, so SQLite sees one writer per process instead of one per
request thread, and never sleeps in its busy handler because of this process's own threads.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine


@dataclass(slots=True)
class _Entry:
    key_id: str
    role: str
    district: str | None
    numbers: Sequence[str | None]
    endpoint: str
    action: str
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditWriter:
    """Writes audit rows for the requests of one process (see the module docstring)."""

    def __init__(self, db: Engine, *, timeout: float = 30.0) -> None:
        self._db = db
        self._timeout = timeout
        self._cond = threading.Condition()
        self._pending: list[_Entry] = []
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="songgang-audit", daemon=True)
        self._thread.start()

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
        with self._cond:
            if self._closed:
                raise RuntimeError("audit writer is closed / 审计日志写入已关闭")
            self._pending.append(entry)
            self._cond.notify()
        if not entry.done.wait(self._timeout):
            raise TimeoutError("audit log write timed out / 审计日志写入超时")
        if entry.error is not None:
            raise entry.error

    def close(self) -> None:
        """Write what is pending, then stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(self._timeout)

    def _run(self) -> None:
        from matching.store.tables import AuditLogRow

        insert = AuditLogRow.__table__.insert()
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                batch, self._pending = self._pending, []
            rows = [
                {"at": e.at, "key_id": e.key_id, "role": e.role, "district": e.district,
                 "person_id_number": number,
                 "endpoint": e.endpoint, "action": e.action}
                for e in batch
                for number in e.numbers
            ]  # fmt: skip
            try:
                # One transaction for the batch, a Core insert: the ORM's unit of work cost
                # twice as much CPU for these plain appends.
                if rows:
                    with self._db.begin() as conn:
                        conn.execute(insert, rows)
            except Exception as exc:  # the requests of this batch fail; the next batch retries
                for e in batch:
                    e.error = exc
            for e in batch:
                e.done.set()
