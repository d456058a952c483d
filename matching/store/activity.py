"""What happened, as the database records it: import runs, the audit log, declined
outcomes, and row counts per table.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits: the caller
owns the transaction (see :func:`matching.store.db.session_scope`), so a whole import is one
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.store.bulk import UpsertStats
from matching.store.tables import (
    AuditLogRow,
    ImportRunRow,
    OutcomeRow,
    PersonRow,
    PostingAliasRow,
    PostingRow,
)

__all__ = [
    "add_import_run",
    "counts",
    "declined_posting_ids",
    "record_audit",
]


def counts(session: Session) -> dict[str, int]:
    """Row counts per table: persons, postings, posting_aliases, import_runs, outcomes, audit_log."""
    tables: dict[str, type[Any]] = {
        "persons": PersonRow,
        "postings": PostingRow,
        "posting_aliases": PostingAliasRow,
        "import_runs": ImportRunRow,
        "outcomes": OutcomeRow,
        "audit_log": AuditLogRow,
    }
    return {
        name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in tables.items()
    }


def add_import_run(
    session: Session,
    *,
    kind: str,
    file_name: str,
    started_at: dt.datetime,
    stats: UpsertStats | None = None,
    read: int = 0,
    rejected: int = 0,
    status: str = "succeeded",
    message: str = "",
) -> int:
    """Record one import (finished now) and return its id."""
    stats = stats or UpsertStats()
    row = ImportRunRow(
        kind=kind,
        file_name=file_name,
        started_at=started_at,
        finished_at=dt.datetime.now(dt.UTC),
        read=read,
        inserted=stats.inserted,
        updated=stats.updated,
        unchanged=stats.unchanged,
        duplicates=stats.duplicates,
        rejected=rejected,
        status=status,
        message=message,
    )
    session.add(row)
    session.flush()
    return row.id


def committed_import(session: Session, tag: str) -> ImportRunRow | None:
    """The succeeded import run recorded with ``tag`` (``add_import_run(message=tag)``), if any."""
    return session.scalars(
        select(ImportRunRow)
        .where(ImportRunRow.message == tag, ImportRunRow.status == "succeeded")
        .order_by(ImportRunRow.id)
        .limit(1)
    ).first()


def record_audit(
    session: Session,
    *,
    key_id: str,
    role: str,
    person_id_number: str | None,
    endpoint: str,
    action: str,
    district: str | None = None,
) -> None:
    """Append one line to ``audit_log`` (who read or changed whose data, where)."""
    session.add(
        AuditLogRow(
            key_id=key_id,
            role=role,
            district=district,
            person_id_number=person_id_number,
            endpoint=endpoint,
            action=action,
        )
    )


def declined_posting_ids(session: Session, id_number: str) -> set[str]:
    """Ids of the postings this person declined (outcome ``declined``): not to be pushed again."""
    stmt = (
        select(OutcomeRow.posting_id)
        .join(PersonRow, PersonRow.id == OutcomeRow.person_id)
        .where(PersonRow.id_number == id_number, OutcomeRow.kind == "declined")
    )
    return {str(pk) for pk in session.scalars(stmt)}
