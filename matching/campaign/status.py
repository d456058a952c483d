"""Registration status: employment registration, deregistration, undo, and the history.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`). Results are frozen
dataclasses, ready for the CLI or an API route.

Status
------
``persons.status`` is the *current* state (``registered`` / ``employed`` / ``deregistered``;
only ``registered`` persons get recommendations). It is derived from ``status_events``: the
latest event that is not undone wins, none means ``registered``. Undo marks an event undone
(history kept), recomputes the status and writes an ``audit_log`` row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.campaign.caseworker import audit_action, person_by_id_number
from matching.exceptions import InputError, NotFoundError
from matching.schemas import PersonStatus
from matching.store.campaign_tables import EMPLOYMENT_FORMS, StatusEventRow
from matching.store.tables import OutcomeRow, PersonRow

__all__ = [
    "ATTRIBUTING_KINDS",
    "EMPLOYED_REASONS",
    "StatusChange",
    "deregister",
    "register_employment",
    "status_history",
    "undo_status_change",
]

# Deregistration reasons that mean the person found work (DOMAIN.md 2–5).
EMPLOYED_REASONS = frozenset({2, 3, 4, 5})
# Outcome kinds after which an employment is attributed to the push/recommendation.
ATTRIBUTING_KINDS = ("hired", "interviewed", "interested", "contacted", "pushed")


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One row of a person's status history."""

    event_id: int
    id_number: str
    kind: str  # employment | deregistration
    effective_on: dt.date
    status: PersonStatus  # the person's status after the change (or after the undo)
    employment_form: str | None = None
    employer: str = ""
    reason_code: int | None = None
    by: str = ""
    note: str = ""
    outcome_id: int | None = None
    posting_id: int | None = None
    undone: bool = False


def _change(event: StatusEventRow, id_number: str, status: str) -> StatusChange:
    return StatusChange(
        event_id=event.id,
        id_number=id_number,
        kind=event.kind,
        effective_on=event.effective_on,
        status=PersonStatus(status),
        employment_form=event.employment_form,
        employer=event.employer,
        reason_code=event.reason_code,
        by=event.by,
        note=event.note,
        outcome_id=event.outcome_id,
        posting_id=event.posting_id,
        undone=event.undone_at is not None,
    )


def _refresh_status(session: Session, person: PersonRow) -> str:
    session.flush()
    latest = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.person_id == person.id, StatusEventRow.undone_at.is_(None))
        .order_by(StatusEventRow.effective_on.desc(), StatusEventRow.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        person.status, person.deregistration_reason = PersonStatus.REGISTERED.value, None
    elif latest.kind == "employment":
        person.status, person.deregistration_reason = PersonStatus.EMPLOYED.value, None
    else:
        person.status = PersonStatus.DEREGISTERED.value
        person.deregistration_reason = latest.reason_code
    return person.status


def _attribution(session: Session, person_id: int, on: dt.date) -> OutcomeRow | None:
    """The push/recommendation an employment on ``on`` followed: hired first, then latest."""
    end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = session.scalars(
        select(OutcomeRow).where(
            OutcomeRow.person_id == person_id,
            OutcomeRow.kind.in_(ATTRIBUTING_KINDS),
            OutcomeRow.at < end,
        )
    ).all()
    if not rows:
        return None
    rank = {k: i for i, k in enumerate(ATTRIBUTING_KINDS)}
    return min(rows, key=lambda r: (rank[r.kind], -r.at.timestamp() if r.at else 0, -r.id))


def register_employment(
    session: Session,
    id_number: str,
    *,
    form: str,
    on: dt.date,
    employer: str = "",
    by: str = "",
    note: str = "",
    role: str = "caseworker",
    district: str | None = None,
) -> StatusChange:
    """Employment registration (单位就业/自主创业/灵活就业/个体经营): recommendations stop at once.

    The employment is attributed to the person's push or recommendation (``outcomes``) on or
    before ``on``, a ``hired`` outcome first, when there is one.
    """
    if form not in EMPLOYMENT_FORMS:
        raise InputError(
            f"就业形式应为{'/'.join(EMPLOYMENT_FORMS)}之一，实为“{form}” / "
            f"employment form must be one of {', '.join(EMPLOYMENT_FORMS)}, got {form!r}"
        )
    person = person_by_id_number(session, id_number)
    outcome = _attribution(session, person.id, on)
    event = StatusEventRow(
        person_id=person.id,
        kind="employment",
        effective_on=on,
        employment_form=form,
        employer=employer,
        by=by,
        note=note,
        outcome_id=outcome.id if outcome else None,
        posting_id=outcome.posting_id if outcome else None,
    )
    session.add(event)
    status = _refresh_status(session, person)
    audit_action(
        session,
        by,
        person.id_number,
        "register_employment",
        "campaign.status",
        role=role,
        district=district,
    )
    return _change(event, person.id_number, status)


def deregister(
    session: Session,
    id_number: str,
    *,
    reason: int,
    on: dt.date,
    by: str,
    note: str = "",
    role: str = "caseworker",
    district: str | None = None,
) -> StatusChange:
    """Deregistration with one of the 12 reasons of DOMAIN.md; recommendations stop at once."""
    if not 1 <= int(reason) <= 12:
        raise InputError(
            f"注销原因编号应为1–12，实为{reason} / deregistration reason must be 1–12, got {reason}"
        )
    person = person_by_id_number(session, id_number)
    event = StatusEventRow(
        person_id=person.id,
        kind="deregistration",
        effective_on=on,
        reason_code=int(reason),
        by=by,
        note=note,
    )
    if int(reason) in EMPLOYED_REASONS:
        outcome = _attribution(session, person.id, on)
        event.outcome_id = outcome.id if outcome else None
        event.posting_id = outcome.posting_id if outcome else None
    session.add(event)
    status = _refresh_status(session, person)
    audit_action(
        session, by, person.id_number, "deregister", "campaign.status", role=role, district=district
    )
    return _change(event, person.id_number, status)


def undo_status_change(
    session: Session,
    event_id: int,
    *,
    by: str,
    note: str = "",
    role: str = "caseworker",
    district: str | None = None,
) -> StatusChange:
    """Take back a mistaken change: the event stays in the history marked undone, the
    person's status is recomputed from the remaining events, and the undo is audited."""
    event = session.get(StatusEventRow, event_id)
    if event is None:
        raise NotFoundError(f"未找到状态变更{event_id} / no status change {event_id}")
    if event.undone_at is not None:
        raise InputError(f"状态变更{event_id}已撤销 / status change {event_id} is already undone")
    event.undone_at = dt.datetime.now(dt.UTC)
    event.undone_by = by
    event.undo_note = note
    person = session.get(PersonRow, event.person_id)
    assert person is not None
    status = _refresh_status(session, person)
    audit_action(
        session,
        by,
        person.id_number,
        f"undo_{event.kind}",
        "campaign.status.undo",
        role=role,
        district=district,
    )
    return _change(event, person.id_number, status)


def status_history(session: Session, id_number: str) -> list[StatusChange]:
    """Every status change of a person, oldest first, undone ones included."""
    person = person_by_id_number(session, id_number)
    rows = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.person_id == person.id)
        .order_by(StatusEventRow.effective_on, StatusEventRow.id)
    ).all()
    return [_change(r, person.id_number, person.status) for r in rows]
