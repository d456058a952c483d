"""Postings in the database: bulk upsert with merging, and readers that speak
:class:`~matching.schemas.Posting`.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits: the caller
owns the transaction (see :func:`matching.store.db.session_scope`), so a whole import is one
transaction.

Identity and change detection
-----------------------------
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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, or_, select, update
from sqlalchemy.orm import Session

from matching.schemas import Posting
from matching.store.bulk import IN_CHUNK, UpsertStats, chunks, insert_many, update_many
from matching.store.embedded import location_fields, location_values, salary_fields, salary_values
from matching.store.fingerprints import PostingKeys, posting_keys
from matching.store.tables import PostingAliasRow, PostingRow

__all__ = [
    "get_posting",
    "load_postings",
    "posting_confidences",
    "posting_from_row",
    "upsert_postings",
]


def _posting_values(
    p: Posting, confidence: float | None, keys: PostingKeys | None = None
) -> dict[str, Any]:
    fingerprint, dedup_key, content_hash = posting_keys(p, confidence) if keys is None else keys
    return {
        "source": p.source,
        "source_id": p.source_id,
        "fingerprint": fingerprint,
        "dedup_key": dedup_key,
        "title": p.title,
        "description": p.description,
        "employer": p.employer,
        "address": p.address,
        "district": p.district,
        **location_values("location", p.location),
        "salary_text": p.salary_text,
        **salary_values("salary", p.salary),
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
        "content_hash": content_hash,
    }


def posting_from_row(row: PostingRow | Row[Any]) -> Posting:
    """Rebuild the :class:`Posting` stored in ``row`` (an ORM row, or a result row of
    :data:`_POSTING_COLUMNS`); its ``id`` is ``str(row.id)``."""
    return _posting_from({c.name: getattr(row, c.name) for c in _POSTING_COLUMNS})


def _posting_from(values: dict[str, Any]) -> Posting:
    """The :class:`Posting` stored in the column ``values`` (name → value), validated in one
    call (its location and pay as nested fields)."""
    fields = {name: values[name] for name in _POSTING_FIELDS}
    fields["id"] = str(values["id"])
    fields["location"] = location_fields(values, "location")
    fields["salary"] = salary_fields(values, "salary")
    return Posting.model_validate(fields)


# the columns posting_from_row reads (not the bookkeeping: fingerprints, hashes, timestamps)
_POSTING_COLUMNS = [
    c for c in PostingRow.__table__.columns
    if c.name not in {"fingerprint", "dedup_key", "duplicates_merged", "category_confidence",
                      "content_hash", "created_at", "updated_at"}
]  # fmt: skip
# the Posting fields stored as they are, each in the column of its name
_POSTING_FIELDS = [
    name for name in Posting.model_fields if name not in {"id", "location", "salary"}
]


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
    keys: Sequence[PostingKeys] | None = None,
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
    keys : sequence of (str, str or None, str), optional
        Parallel to ``postings``: each one's :func:`~matching.store.fingerprints.posting_keys`
        (with its confidence), when the caller has computed them; else they are computed here.

    Returns
    -------
    UpsertStats
        ``duplicates`` counts rows merged into another posting (new or already known).
    """
    if confidences is not None and len(confidences) != len(postings):
        raise ValueError("confidences must be parallel to postings (same length)")
    if keys is not None and len(keys) != len(postings):
        raise ValueError("keys must be parallel to postings (same length)")
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
        confidence = confidences[i] if confidences else None
        values = _posting_values(posting, confidence, None if keys is None else keys[i])
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
    insert_many(session, PostingRow, list(pending.values()))
    update_many(session, PostingRow, updates)
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
    for chunk in chunks(missing, IN_CHUNK):
        stmt = select(PostingRow.fingerprint, PostingRow.id).where(
            PostingRow.fingerprint.in_(chunk)
        )
        ids.update((fp, pk) for fp, pk in session.execute(stmt))
    rows = [{"fingerprint": fp, "posting_id": ids[target]} for fp, target in new_aliases.items()]
    insert_many(session, PostingAliasRow, rows)


def load_postings(
    session: Session,
    *,
    active_on: dt.date | None = None,
    unfilled: bool = False,
    known: Mapping[str, Posting] | None = None,
) -> list[Posting]:
    """All postings (``id`` = database id), or those whose validity covers ``active_on``.

    A missing ``valid_from`` / ``valid_until`` counts as open-ended. Filled postings are
    included unless ``unfilled``. Reads the columns a :class:`Posting` needs, not ORM objects
    (a fifth of the time at 100k postings).

    ``known`` may give postings the caller holds (an import that just wrote them) by their
    content hash (:func:`~matching.store.fingerprints.posting_hash`, every field but the id):
    a row whose stored hash is one of them is that posting with the row's id, not built again
    from its columns (equal hashes, equal fields: ``tests/store/test_load_known.py``).
    """
    columns = _POSTING_COLUMNS if known is None else [*_POSTING_COLUMNS, PostingRow.content_hash]
    stmt = select(*columns).order_by(PostingRow.id)
    if active_on is not None:
        stmt = stmt.where(
            or_(PostingRow.valid_from.is_(None), PostingRow.valid_from <= active_on),
            or_(PostingRow.valid_until.is_(None), PostingRow.valid_until >= active_on),
        )
    if unfilled:
        stmt = stmt.where(PostingRow.filled.is_(False))
    names = [c.name for c in _POSTING_COLUMNS]
    if known is None:
        return [_posting_from(dict(zip(names, row, strict=True))) for row in session.execute(stmt)]
    out: list[Posting] = []
    pk = names.index("id")
    for row in session.execute(stmt):
        held = known.get(row[-1])
        if held is None:
            out.append(_posting_from(dict(zip(names, row[:-1], strict=True))))
        else:
            out.append(held.model_copy(update={"id": str(row[pk])}))
    return out


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
    for chunk in chunks(ids, IN_CHUNK):
        stmt = select(PostingRow.id, PostingRow.category_confidence).where(
            PostingRow.id.in_(chunk), PostingRow.category_confidence.is_not(None)
        )
        found.update((str(pk), conf) for pk, conf in session.execute(stmt))
    return found
