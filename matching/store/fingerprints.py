"""Hashes that identify stored records and tell whether a re-imported one changed.

- :func:`person_hash`, :func:`posting_hash`: SHA-256 of every field; equal hashes mean
  nothing changed, so an unchanged row is not written at all.
- :func:`posting_fingerprint`: a posting's identity, from ``(source, source_id)`` or else its
  normalised descriptive content; :func:`posting_dedup_key`: what makes two postings the same
  job. How :mod:`matching.store.postings` uses them is told in its docstring.
- :func:`normalize_key`: the letters-and-digits folding both are built on.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from matching.schemas import Person, Posting

__all__ = [
    "normalize_key",
    "person_hash",
    "posting_dedup_key",
    "posting_fingerprint",
    "posting_hash",
    "posting_keys",
]

# a posting's (fingerprint, dedup key, content hash): what the store compares it by
PostingKeys = tuple[str, str | None, str]


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
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text or "").casefold())


# What is not a letter or digit (Unicode category L* or N*): \w is str.isalnum() or "_", the
# same code points as those categories (each of them is checked in the tests); one pass in C
# instead of each character's category looked up in Python (40 µs a description).
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


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


def posting_keys(posting: Posting, confidence: float | None = None) -> PostingKeys:
    """``(posting_fingerprint, posting_dedup_key, posting_hash)`` of ``posting``, as stored
    with it; an import may compute them beside its other per-posting work
    (:func:`matching.ingest.prepare.read_texts`)."""
    return (posting_fingerprint(posting), posting_dedup_key(posting),
            posting_hash(posting, confidence))  # fmt: skip
