"""Reads and writes the HTTP API needs beyond :mod:`matching.store.persons`,
:mod:`matching.store.postings` and :mod:`matching.store.activity`.

Person look-ups by integer primary key (URLs never carry ID numbers), person search within a
district, outcomes, nightly runs and who they pushed, and the audit log. Like those modules, every function takes an open
:class:`~sqlalchemy.orm.Session` and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from matching.store.nightly_tables import NightlyRunRow, PushRow
from matching.store.tables import OUTCOME_KINDS, AuditLogRow, OutcomeRow, PersonRow, PostingRow

_IN_CHUNK = 500
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing: the rows and the total number of matching rows."""

    items: list[T]
    total: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _paged(session: Session, stmt: Select[Any], page: int, page_size: int) -> Page[Any]:
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    items = list(session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return Page(items, total)


# ---------------------------------------------------------------------------- persons


def get_person_row(session: Session, person_id: int) -> PersonRow | None:
    """The person row with this primary key, or None."""
    return session.get(PersonRow, person_id)


def search_persons(
    session: Session,
    *,
    q: str = "",
    district: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> Page[PersonRow]:
    """Persons whose name, ID number or phone contains ``q``, optionally within one district.

    A query made of digits (and a final ``X``) is looked up in ID numbers and phones, anything
    else in names. ``district`` is the district in charge (所属区).
    """
    stmt = select(PersonRow).order_by(PersonRow.id)
    if district is not None:
        stmt = stmt.where(PersonRow.district == district)
    if status is not None:
        stmt = stmt.where(PersonRow.status == status)
    q = "".join(q.split()).upper()
    if q:
        pattern = f"%{_escape_like(q)}%"
        if q.rstrip("X").isdigit():
            stmt = stmt.where(
                or_(
                    PersonRow.id_number.like(pattern, escape="\\"),
                    PersonRow.phone.like(pattern, escape="\\"),
                )
            )
        else:
            stmt = stmt.where(PersonRow.name.like(pattern, escape="\\"))
    return _paged(session, stmt, page, page_size)


class Contact(Protocol):
    """What reverse matching shows of a person (a row of :func:`registered_persons`)."""

    id: int
    name: str
    id_number: str
    phone: str | None
    district: str | None


def registered_persons(
    session: Session, numbers: Iterable[str], district: str | None
) -> dict[str, Contact]:
    """The persons of ``numbers`` who are registered now and, unless ``district`` is None,
    in that district's charge now, keyed by ID number: whom reverse matching may show, decided
    by the database at the time of the request for the ranked persons only. Plain rows of the
    shown columns (the full ORM rows decode every JSON column)."""
    numbers = list(dict.fromkeys(numbers))
    found: dict[str, Contact] = {}
    p = PersonRow
    for start in range(0, len(numbers), _IN_CHUNK):
        stmt = select(p.id, p.name, p.id_number, p.phone, p.district).where(
            p.id_number.in_(numbers[start : start + _IN_CHUNK]), p.status == "registered"
        )
        if district is not None:
            stmt = stmt.where(p.district == district)
        found.update((row.id_number, row) for row in session.execute(stmt))
    return found


# ---------------------------------------------------------------------------- outcomes


def add_outcome(
    session: Session,
    *,
    person_id: int,
    posting_id: int,
    kind: str,
    reason: str = "",
    by_key: str = "",
) -> OutcomeRow:
    """Record what happened after ``posting_id`` reached ``person_id``; returns the new row.

    Raises
    ------
    ValueError
        ``kind`` is not one of :data:`~matching.store.tables.OUTCOME_KINDS`.
    """
    if kind not in OUTCOME_KINDS:
        raise ValueError(
            f"未知的结果类型 {kind!r} / unknown outcome kind; expected {OUTCOME_KINDS}"
        )
    row = OutcomeRow(
        person_id=person_id, posting_id=posting_id, kind=kind, reason=reason, by_key=by_key
    )
    session.add(row)
    session.flush()
    return row


def list_outcomes(session: Session, person_id: int) -> list[OutcomeRow]:
    """The outcomes recorded for one person, oldest first."""
    stmt = select(OutcomeRow).where(OutcomeRow.person_id == person_id).order_by(OutcomeRow.id)
    return list(session.scalars(stmt))


def posting_exists(session: Session, posting_id: int) -> bool:
    """Whether a posting with this primary key is stored."""
    return session.get(PostingRow, posting_id) is not None


# ---------------------------------------------------------------------------- postings


def search_postings(
    session: Session,
    *,
    category: str | None = None,
    district: str | None = None,
    keyword: str | None = None,
    pay_min: int | None = None,
    pay_max: int | None = None,
    valid_on: dt.date | None = None,
    include_filled: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> Page[PostingRow]:
    """Postings matching every given filter, newest id first.

    The pay filters keep postings whose monthly range overlaps ``[pay_min, pay_max]``
    (postings without a parsed salary are dropped when a pay filter is given). ``valid_on``
    keeps postings whose validity covers that day (missing bounds count as open-ended).
    """
    stmt = select(PostingRow).order_by(PostingRow.id.desc())
    if not include_filled:
        stmt = stmt.where(PostingRow.filled.is_(False))
    if category:
        stmt = stmt.where(PostingRow.category == category)
    if district:
        stmt = stmt.where(PostingRow.district == district)
    if keyword and keyword.strip():
        pattern = f"%{_escape_like(keyword.strip())}%"
        stmt = stmt.where(
            or_(
                PostingRow.title.like(pattern, escape="\\"),
                PostingRow.description.like(pattern, escape="\\"),
                PostingRow.employer.like(pattern, escape="\\"),
            )
        )
    hi = func.coalesce(PostingRow.salary_max_yuan, PostingRow.salary_min_yuan)
    lo = func.coalesce(PostingRow.salary_min_yuan, PostingRow.salary_max_yuan)
    if pay_min is not None:
        stmt = stmt.where(hi >= pay_min)
    if pay_max is not None:
        stmt = stmt.where(lo <= pay_max)
    if valid_on is not None:
        stmt = stmt.where(
            or_(PostingRow.valid_from.is_(None), PostingRow.valid_from <= valid_on),
            or_(PostingRow.valid_until.is_(None), PostingRow.valid_until >= valid_on),
        )
    return _paged(session, stmt, page, page_size)


# ---------------------------------------------------------------------------- nightly runs


def list_nightly_runs(session: Session, *, limit: int = 30) -> list[NightlyRunRow]:
    """The newest ``limit`` nightly runs, latest night first."""
    stmt = select(NightlyRunRow).order_by(NightlyRunRow.run_date.desc(), NightlyRunRow.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def get_nightly_run(session: Session, run_id: int) -> NightlyRunRow | None:
    """The nightly run with this id, or None."""
    return session.get(NightlyRunRow, run_id)


def pushed_id_numbers(
    session: Session, run_id: int, district: str, *, messaged_only: bool = False
) -> list[str]:
    """ID numbers of the persons of ``district`` a run pushed postings to (each once, sorted).

    ``messaged_only`` keeps those sent SMS/WeChat (channel ``message`` and a phone on file),
    the persons of a district's ``sms.csv`` and ``wechat.csv``. The district is the person's
    district now, which is the one the run wrote them under unless it changed since.
    """
    stmt = (
        select(PersonRow.id_number)
        .join(PushRow, PushRow.person_id == PersonRow.id)
        .where(PushRow.run_id == run_id, PersonRow.district == district)
        .distinct()
    )
    if messaged_only:
        stmt = stmt.where(
            PushRow.channel == "message", PersonRow.phone.is_not(None), PersonRow.phone != ""
        )
    return sorted(session.scalars(stmt))


# ---------------------------------------------------------------------------- audit log


def query_audit(
    session: Session,
    *,
    person_id_number: str | None = None,
    key_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[AuditLogRow]:
    """Audit rows matching every given filter, newest first; ``until`` is exclusive."""
    stmt = select(AuditLogRow).order_by(AuditLogRow.at.desc(), AuditLogRow.id.desc())
    if person_id_number is not None:
        stmt = stmt.where(AuditLogRow.person_id_number == person_id_number)
    if key_id is not None:
        stmt = stmt.where(AuditLogRow.key_id == key_id)
    if since is not None:
        stmt = stmt.where(AuditLogRow.at >= since)
    if until is not None:
        stmt = stmt.where(AuditLogRow.at < until)
    return _paged(session, stmt, page, page_size)
