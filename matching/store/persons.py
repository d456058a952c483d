"""Persons in the database: bulk upsert and readers that speak :class:`~matching.schemas.Person`.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits: the caller
owns the transaction (see :func:`matching.store.db.session_scope`), so a whole import is one
transaction.

A person is identified by the ID number. ``content_hash`` (SHA-256 of the person's fields)
tells whether a re-imported row changed; an unchanged row is not written at all, so
re-importing the same file leaves even ``updated_at`` alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, Text, cast, select
from sqlalchemy.orm import Session

from matching.schemas import Person
from matching.store.bulk import UpsertStats, insert_many, update_many
from matching.store.embedded import location_from, location_values, salary_from, salary_values
from matching.store.fingerprints import person_hash
from matching.store.tables import PersonRow

__all__ = [
    "get_person",
    "iter_person_records",
    "iter_persons",
    "person_from_record",
    "person_from_row",
    "upsert_persons",
]


def _person_values(p: Person) -> dict[str, Any]:
    return {
        "id_number": p.id_number,
        "name": p.name,
        "gender": p.gender.value,
        "birth_date": p.birth_date,
        "phone": p.phone,
        "education": int(p.education),
        "skills": p.skills,
        "registered_on": p.registered_on,
        "unemployed_since": p.unemployed_since,
        "household_address": p.household_address,
        "residential_address": p.residential_address,
        **location_values("residence", p.residence),
        "work_forms": [w.value for w in p.work_forms],
        "wanted_categories": [c.value for c in p.wanted_categories],
        "expected_pay_text": p.expected_pay_text,
        **salary_values("expected_pay", p.expected_pay),
        "location_requirement": p.location_requirement,
        "other_needs": [n.value for n in p.other_needs],
        "work_history": [e.model_dump() for e in p.work_history],
        "district": p.district,
        "status": p.status.value,
        "deregistration_reason": p.deregistration_reason,
        "accepts_messages": p.accepts_messages,
        "note": p.note,
        "content_hash": person_hash(p),
    }


def person_from_row(row: PersonRow | Row[Any]) -> Person:
    """Rebuild the :class:`Person` stored in ``row`` (an ORM object or a row of its columns)."""
    return Person(
        id_number=row.id_number,
        name=row.name,
        gender=row.gender,  # type: ignore[arg-type]
        birth_date=row.birth_date,
        phone=row.phone,
        education=row.education,  # type: ignore[arg-type]
        skills=row.skills,
        registered_on=row.registered_on,
        unemployed_since=row.unemployed_since,
        household_address=row.household_address,
        residential_address=row.residential_address,
        residence=location_from(row, "residence"),
        work_forms=tuple(row.work_forms),
        wanted_categories=tuple(row.wanted_categories),
        expected_pay_text=row.expected_pay_text,
        expected_pay=salary_from(row, "expected_pay"),
        location_requirement=row.location_requirement,
        other_needs=tuple(row.other_needs),
        work_history=tuple(row.work_history),
        district=row.district,
        status=row.status,  # type: ignore[arg-type]
        deregistration_reason=row.deregistration_reason,
        accepts_messages=row.accepts_messages,
        note=row.note,
    )


def upsert_persons(session: Session, persons: Sequence[Person]) -> UpsertStats:
    """Insert new persons, update changed ones, leave identical ones untouched.

    Parameters
    ----------
    session : Session
        An open session; the caller commits.
    persons : sequence of Person
        Matched by ID number. A repeated ID number in the batch: the first row wins, the others
        count as ``duplicates``.

    Returns
    -------
    UpsertStats
    """
    existing = {
        number: (pk, digest)
        for number, pk, digest in session.execute(
            select(PersonRow.id_number, PersonRow.id, PersonRow.content_hash)
        )
    }
    now = dt.datetime.now(dt.UTC)
    seen: set[str] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = duplicates = 0
    for person in persons:
        if person.id_number in seen:
            duplicates += 1
            continue
        seen.add(person.id_number)
        values = _person_values(person)
        old = existing.get(person.id_number)
        if old is None:
            inserts.append(values | {"created_at": now, "updated_at": now})
        elif old[1] == values["content_hash"]:
            unchanged += 1
        else:
            updates.append(values | {"id": old[0], "updated_at": now})
    insert_many(session, PersonRow, inserts)
    update_many(session, PersonRow, updates)
    return UpsertStats(len(inserts), len(updates), unchanged, duplicates)


def get_person(session: Session, id_number: str) -> Person | None:
    """The person with this ID number, or None."""
    row = session.scalars(select(PersonRow).where(PersonRow.id_number == id_number)).first()
    return None if row is None else person_from_row(row)


def iter_persons(
    session: Session, *, district: str | None = None, status: str | None = None
) -> Iterator[Person]:
    """Stream persons in insertion order, optionally of one district and/or status."""
    # Plain rows, not ORM objects: a city's 200k persons load in half the time.
    stmt = select(*PersonRow.__table__.columns).order_by(PersonRow.id)
    if district is not None:
        stmt = stmt.where(PersonRow.district == district)
    if status is not None:
        stmt = stmt.where(PersonRow.status == str(status))
    for row in session.execute(stmt.execution_options(yield_per=1_000)):
        yield person_from_row(row)


# JSON columns of persons: read as their text, decoded where the Person is built.
_PERSON_JSON_COLUMNS = ("work_forms", "wanted_categories", "other_needs", "work_history")


def iter_person_records(
    session: Session, *, district: str | None = None, status: str | None = None
) -> Iterator[dict[str, Any]]:
    """:func:`iter_persons` as plain column dicts, not validated (see :func:`person_from_record`).

    For batches that send persons elsewhere (the nightly run's workers): reading 200k rows
    this way costs a fraction of building their :class:`Person` models, which the workers then
    do in parallel. The JSON columns stay text.
    """
    table = PersonRow.__table__
    cols = [
        cast(c, Text).label(c.name) if c.name in _PERSON_JSON_COLUMNS else c for c in table.columns
    ]
    stmt = select(*cols).order_by(PersonRow.id)
    if district is not None:
        stmt = stmt.where(PersonRow.district == district)
    if status is not None:
        stmt = stmt.where(PersonRow.status == str(status))
    # through the session's connection (Core): the ORM's per-row loading doubled the cost
    for row in session.connection().execute(stmt.execution_options(yield_per=1_000)).mappings():
        yield dict(row)


def person_from_record(record: dict[str, Any]) -> Person:
    """The :class:`Person` of a record of :func:`iter_person_records` (dates may be ISO text)."""
    values = dict(record)
    for name in _PERSON_JSON_COLUMNS:
        if isinstance(values[name], str):
            values[name] = json.loads(values[name])
    return person_from_row(SimpleNamespace(**values))  # type: ignore[arg-type]
