"""What every caseworker action on a person shares: finding the person by ID number, and the
audit line the action leaves.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.domain.idcard import normalize_id_number
from matching.exceptions import NotFoundError
from matching.store.tables import AuditLogRow, PersonRow

__all__ = ["audit_action", "person_by_id_number"]


def person_by_id_number(session: Session, id_number: str) -> PersonRow:
    """The person row with this ID number (any spelling of it); NotFoundError when none."""
    number = normalize_id_number(id_number)
    row = session.scalar(select(PersonRow).where(PersonRow.id_number == number))
    if row is None:
        raise NotFoundError(f"未找到身份证号码为{number}的人员 / no person with ID number {number}")
    return row


def audit_action(
    session: Session,
    by: str,
    id_number: str,
    action: str,
    endpoint: str,
    *,
    role: str = "caseworker",
    district: str | None = None,
) -> None:
    """Add the ``audit_log`` row of an action on this person: ``by`` (who), their ``role`` and
    ``district`` as the caller knows them (the service passes the API key's)."""
    session.add(
        AuditLogRow(
            key_id=by or "unknown",
            role=role,
            district=district,
            person_id_number=id_number,
            endpoint=endpoint,
            action=action,
        )
    )
