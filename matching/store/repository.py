"""Repository functions: bulk upserts and readers that speak :mod:`matching.schemas` models.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits: the caller
owns the transaction (see :func:`matching.store.db.session_scope`), so a whole import is one
transaction.

Identity and change detection
-----------------------------
- A person is identified by the ID number. ``content_hash`` (SHA-256 of the person's fields)
  tells whether a re-imported row changed; an unchanged row is not written at all, so
  re-importing the same file leaves even ``updated_at`` alone.
- A posting is identified by ``fingerprint``: a hash of ``(source, source_id)`` when the source
  gave an id, else a hash of its normalised descriptive content (title, employer, description,
  address, district, pay text, headcount, requirements, phone; ignoring case, spaces and
  punctuation). State fields (category, validity dates, filled) are not part of the content
  fingerprint, so a re-upload that extends ``valid_until`` or marks a posting filled *updates*
  the row instead of creating a new one.
- ``dedup_key`` is a hash of normalised ``employer|title|district|pay``. A *new* posting whose
  dedup key equals that of an open posting (not filled, not expired before the new one starts)
  is merged into it: no new row, the target's ``duplicates_merged`` goes up by one and the new
  identity is remembered in ``posting_aliases``, so the next import of the same file finds it
  again and counts it as a duplicate without touching the row. Postings without an employer
  are never merged (nothing tells two of them apart).
- Within one batch the first occurrence of an identity wins; later ones count as duplicates.

For every batch: ``inserted + updated + unchanged + duplicates == len(batch)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, Text, bindparam, cast, func, insert, or_, select, update
from sqlalchemy.orm import Session

from matching.schemas import Location, Person, Posting, SalaryRange
from matching.store.tables import (
    AuditLogRow,
    ImportRunRow,
    OutcomeRow,
    PersonRow,
    PostingAliasRow,
    PostingRow,
)

BATCH = 2_000  # rows per executemany call
_IN_CHUNK = 500  # values per IN (...) list; far below SQLite's and PostgreSQL's limits


@dataclass(frozen=True, slots=True)
class UpsertStats:
    """What an upsert did. ``inserted + updated + unchanged + duplicates`` = rows given."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0

    @property
    def total(self) -> int:
        """Rows given to the upsert."""
        return self.inserted + self.updated + self.unchanged + self.duplicates


# ---------------------------------------------------------------------------- hashing


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_json(data: object) -> str:
    return _sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def normalize_key(text: str | None) -> str:
    """Letters and digits only, NFKC-folded and case-folded: the basis of fingerprints.

    Examples
    --------
    >>> normalize_key(" 天津ＡＢＣ 物业（河西） ")
    '天津abc物业河西'
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def person_hash(person: Person) -> str:
    """SHA-256 of every field of ``person``: equal hashes mean nothing changed."""
    return _hash_json(person.model_dump(mode="json"))


def posting_hash(posting: Posting, confidence: float | None = None) -> str:
    """SHA-256 of every field of ``posting`` except the store-assigned ``id``."""
    data = posting.model_dump(mode="json", exclude={"id"})
    data["category_confidence"] = None if confidence is None else round(confidence, 6)
    return _hash_json(data)


def _pay_key(posting: Posting) -> str:
    s = posting.salary
    if s is not None and (s.monthly_min_yuan is not None or s.monthly_max_yuan is not None):
        return f"{s.monthly_min_yuan or ''}-{s.monthly_max_yuan or ''}"
    return normalize_key(posting.salary_text)


def posting_dedup_key(posting: Posting) -> str | None:
    """Hash of normalised ``employer|title|district|pay``; None without an employer."""
    employer = normalize_key(posting.employer)
    if not employer:
        return None
    parts = (
        employer,
        normalize_key(posting.title),
        normalize_key(posting.district),
        _pay_key(posting),
    )
    return _sha256("|".join(parts))


def posting_fingerprint(posting: Posting) -> str:
    """The posting's identity: ``(source, source_id)`` when given, else its normalised content."""
    if posting.source_id:
        return _sha256(f"id\x1f{posting.source}\x1f{posting.source_id}")
    p = posting
    parts = [
        *(normalize_key(x) for x in (p.source, p.title, p.employer, p.description, p.address)),
        normalize_key(p.district),
        normalize_key(p.salary_text),
        *(str(x) for x in (p.headcount, int(p.education_min), p.age_min, p.age_max)),
        str(p.experience_years),
        normalize_key(p.contact_phone),
    ]
    return _sha256("content\x1f" + "\x1f".join(parts))


# ---------------------------------------------------------------------------- model <-> row


def _location_values(prefix: str, loc: Location | None) -> dict[str, Any]:
    fields = ("city", "district", "district_code", "street", "lat", "lon", "precision")
    return {f"{prefix}_{f}": None if loc is None else getattr(loc, f) for f in fields}


def _location_from(row: Any, prefix: str) -> Location | None:
    if getattr(row, f"{prefix}_city") is None:
        return None
    fields = ("city", "district", "district_code", "street", "lat", "lon", "precision")
    return Location(**{f: getattr(row, f"{prefix}_{f}") for f in fields})


def _salary_values(prefix: str, pay: SalaryRange | None) -> dict[str, Any]:
    return {
        f"{prefix}_min_yuan": pay.monthly_min_yuan if pay else None,
        f"{prefix}_max_yuan": pay.monthly_max_yuan if pay else None,
        f"{prefix}_months": pay.months if pay else None,
        f"{prefix}_negotiable": pay.negotiable if pay else None,
        f"{prefix}_commission": pay.commission if pay else None,
    }


def _salary_from(row: Any, prefix: str) -> SalaryRange | None:
    if getattr(row, f"{prefix}_months") is None:
        return None
    return SalaryRange(
        monthly_min_yuan=getattr(row, f"{prefix}_min_yuan"),
        monthly_max_yuan=getattr(row, f"{prefix}_max_yuan"),
        months=getattr(row, f"{prefix}_months"),
        negotiable=bool(getattr(row, f"{prefix}_negotiable")),
        commission=bool(getattr(row, f"{prefix}_commission")),
    )


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
        **_location_values("residence", p.residence),
        "work_forms": [w.value for w in p.work_forms],
        "wanted_categories": [c.value for c in p.wanted_categories],
        "expected_pay_text": p.expected_pay_text,
        **_salary_values("expected_pay", p.expected_pay),
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
        residence=_location_from(row, "residence"),
        work_forms=tuple(row.work_forms),
        wanted_categories=tuple(row.wanted_categories),
        expected_pay_text=row.expected_pay_text,
        expected_pay=_salary_from(row, "expected_pay"),
        location_requirement=row.location_requirement,
        other_needs=tuple(row.other_needs),
        work_history=tuple(row.work_history),
        district=row.district,
        status=row.status,  # type: ignore[arg-type]
        deregistration_reason=row.deregistration_reason,
        accepts_messages=row.accepts_messages,
        note=row.note,
    )


def _posting_values(p: Posting, confidence: float | None) -> dict[str, Any]:
    return {
        "source": p.source,
        "source_id": p.source_id,
        "fingerprint": posting_fingerprint(p),
        "dedup_key": posting_dedup_key(p),
        "title": p.title,
        "description": p.description,
        "employer": p.employer,
        "address": p.address,
        "district": p.district,
        **_location_values("location", p.location),
        "salary_text": p.salary_text,
        **_salary_values("salary", p.salary),
        "headcount": p.headcount,
        "education_min": int(p.education_min),
        "age_min": p.age_min,
        "age_max": p.age_max,
        "experience_years": p.experience_years,
        "category": None if p.category is None else p.category.value,
        "category_inferred": p.category_inferred,
        "category_confidence": confidence,
        "valid_from": p.valid_from,
        "valid_until": p.valid_until,
        "filled": p.filled,
        "contact_phone": p.contact_phone,
        "content_hash": posting_hash(p, confidence),
    }


def posting_from_row(row: PostingRow) -> Posting:
    """Rebuild the :class:`Posting` stored in ``row``; its ``id`` is ``str(row.id)``."""
    return Posting(
        id=str(row.id),
        title=row.title,
        description=row.description,
        employer=row.employer,
        address=row.address,
        district=row.district,
        location=_location_from(row, "location"),
        salary_text=row.salary_text,
        salary=_salary_from(row, "salary"),
        headcount=row.headcount,
        education_min=row.education_min,  # type: ignore[arg-type]
        age_min=row.age_min,
        age_max=row.age_max,
        experience_years=row.experience_years,
        category=row.category,  # type: ignore[arg-type]
        category_inferred=row.category_inferred,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        filled=row.filled,
        source=row.source,
        source_id=row.source_id,
        contact_phone=row.contact_phone,
    )


# ---------------------------------------------------------------------------- bulk writes


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_many(session: Session, table: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows, BATCH):
        session.execute(insert(table), list(chunk))


def _update_many(session: Session, table: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    # ORM bulk UPDATE by primary key: one executemany per chunk.
    for chunk in _chunks(rows, BATCH):
        session.execute(update(table), list(chunk))


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
    _insert_many(session, PersonRow, inserts)
    _update_many(session, PersonRow, updates)
    return UpsertStats(len(inserts), len(updates), unchanged, duplicates)


@dataclass(slots=True)
class _Target:
    """A posting a later duplicate may merge into (existing row or pending insert)."""

    fingerprint: str
    filled: bool
    valid_until: dt.date | None


def _mergeable(target: _Target, posting: Posting) -> bool:
    if target.filled:
        return False  # a filled job posted again is a new vacancy
    return not (
        target.valid_until and posting.valid_from and target.valid_until < posting.valid_from
    )


def upsert_postings(
    session: Session,
    postings: Sequence[Posting],
    *,
    confidences: Sequence[float | None] | None = None,
) -> UpsertStats:
    """Insert, update or merge postings (see the module docstring for the identity rules).

    Parameters
    ----------
    session : Session
        An open session; the caller commits.
    postings : sequence of Posting
        Their ``id`` is ignored.
    confidences : sequence of float or None, optional
        Parallel to ``postings``: the classifier's probability for an inferred category.

    Returns
    -------
    UpsertStats
        ``duplicates`` counts rows merged into another posting (new or already known).
    """
    if confidences is not None and len(confidences) != len(postings):
        raise ValueError("confidences must be parallel to postings (same length)")
    rows = session.execute(
        select(
            PostingRow.id,
            PostingRow.fingerprint,
            PostingRow.dedup_key,
            PostingRow.content_hash,
            PostingRow.filled,
            PostingRow.valid_until,
        ).order_by(PostingRow.id)
    ).all()
    by_fp = {r.fingerprint: (r.id, r.content_hash) for r in rows}
    by_dedup = {
        r.dedup_key: _Target(r.fingerprint, r.filled, r.valid_until) for r in rows if r.dedup_key
    }
    aliases = set(session.scalars(select(PostingAliasRow.fingerprint)))

    now = dt.datetime.now(dt.UTC)
    seen: set[str] = set()
    pending: dict[str, dict[str, Any]] = {}  # fingerprint -> insert values
    updates: list[dict[str, Any]] = []
    merged: Counter[str] = Counter()  # target fingerprint -> new duplicates
    new_aliases: dict[str, str] = {}  # duplicate fingerprint -> target fingerprint
    unchanged = duplicates = 0
    for i, posting in enumerate(postings):
        values = _posting_values(posting, confidences[i] if confidences else None)
        fp = values["fingerprint"]
        if fp in seen or fp in aliases:
            duplicates += 1
            continue
        seen.add(fp)
        if fp in by_fp:
            pk, digest = by_fp[fp]
            if digest == values["content_hash"]:
                unchanged += 1
            else:
                updates.append(values | {"id": pk, "updated_at": now})
            continue
        target = by_dedup.get(values["dedup_key"])
        if target is not None and _mergeable(target, posting):
            duplicates += 1
            merged[target.fingerprint] += 1
            new_aliases[fp] = target.fingerprint
            continue
        pending[fp] = values | {"created_at": now, "updated_at": now, "duplicates_merged": 0}
        if values["dedup_key"]:
            by_dedup[values["dedup_key"]] = _Target(fp, posting.filled, posting.valid_until)

    for target_fp, n in merged.items():
        if target_fp in pending:
            pending[target_fp]["duplicates_merged"] += n
    _insert_many(session, PostingRow, list(pending.values()))
    _update_many(session, PostingRow, updates)
    _bump_merged(session, {by_fp[fp][0]: n for fp, n in merged.items() if fp in by_fp}, now)
    _insert_aliases(session, new_aliases, by_fp)
    return UpsertStats(len(pending), len(updates), unchanged, duplicates)


def _bump_merged(session: Session, counts: dict[int, int], now: dt.datetime) -> None:
    if not counts:
        return
    t = PostingRow.__table__
    stmt = (
        update(t)
        .where(t.c.id == bindparam("pk"))
        .values(duplicates_merged=t.c.duplicates_merged + bindparam("n"), updated_at=now)
    )
    session.execute(stmt, [{"pk": pk, "n": n} for pk, n in counts.items()])


def _insert_aliases(
    session: Session, new_aliases: dict[str, str], by_fp: dict[str, tuple[int, str]]
) -> None:
    if not new_aliases:
        return
    ids = {fp: pk for fp, (pk, _) in by_fp.items()}
    missing = sorted({t for t in new_aliases.values() if t not in ids})
    for chunk in _chunks(missing, _IN_CHUNK):
        stmt = select(PostingRow.fingerprint, PostingRow.id).where(
            PostingRow.fingerprint.in_(chunk)
        )
        ids.update((fp, pk) for fp, pk in session.execute(stmt))
    rows = [{"fingerprint": fp, "posting_id": ids[target]} for fp, target in new_aliases.items()]
    _insert_many(session, PostingAliasRow, rows)


# ---------------------------------------------------------------------------- readers


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
    for row in session.execute(stmt.execution_options(yield_per=1_000)).mappings():
        yield dict(row)


def person_from_record(record: dict[str, Any]) -> Person:
    """The :class:`Person` of a record of :func:`iter_person_records` (dates may be ISO text)."""
    values = dict(record)
    for name in _PERSON_JSON_COLUMNS:
        if isinstance(values[name], str):
            values[name] = json.loads(values[name])
    return person_from_row(SimpleNamespace(**values))  # type: ignore[arg-type]


def load_postings(session: Session, *, active_on: dt.date | None = None) -> list[Posting]:
    """All postings (``id`` = database id), or those whose validity covers ``active_on``.

    A missing ``valid_from`` / ``valid_until`` counts as open-ended. Filled postings are
    included; callers filter on ``Posting.filled``.
    """
    stmt = select(PostingRow).order_by(PostingRow.id)
    if active_on is not None:
        stmt = stmt.where(
            or_(PostingRow.valid_from.is_(None), PostingRow.valid_from <= active_on),
            or_(PostingRow.valid_until.is_(None), PostingRow.valid_until >= active_on),
        )
    return [posting_from_row(row) for row in session.scalars(stmt)]


def get_posting(session: Session, posting_id: str) -> Posting | None:
    """The posting with this id (``Posting.id``), or None (also for a malformed id)."""
    if not posting_id.isdigit():
        return None
    row = session.get(PostingRow, int(posting_id))
    return None if row is None else posting_from_row(row)


def posting_confidences(session: Session, posting_ids: Iterable[str]) -> dict[str, float]:
    """Stored classifier confidences of inferred categories, by posting id."""
    ids = [int(x) for x in posting_ids if x.isdigit()]
    found: dict[str, float] = {}
    for chunk in _chunks(ids, _IN_CHUNK):
        stmt = select(PostingRow.id, PostingRow.category_confidence).where(
            PostingRow.id.in_(chunk), PostingRow.category_confidence.is_not(None)
        )
        found.update((str(pk), conf) for pk, conf in session.execute(stmt))
    return found


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


# ---------------------------------------------------------------------------- runs, audit, outcomes


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


def record_audit(
    session: Session,
    *,
    key_id: str,
    role: str,
    person_id_number: str | None,
    endpoint: str,
    action: str,
) -> None:
    """Append one line to ``audit_log`` (who read or changed whose data, where)."""
    session.add(
        AuditLogRow(
            key_id=key_id,
            role=role,
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
