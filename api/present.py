"""Conversions from core objects and rows to the public models, with masking by role."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from api.schemas import (
    CandidatePublic,
    MatchPublic,
    PersonPublic,
    PersonSummary,
    PostingPublic,
    RowProblem,
    WorkHistoryPublic,
)
from matching.domain.idcard import mask_id_number, mask_name, mask_phone
from matching.rank.engine import MatchingEngine
from matching.schemas import Match, PersonMatch, Posting
from matching.store.access import Contact
from matching.store.keyauth import Principal
from matching.store.tables import PersonRow, PostingRow


def person_summary(row: PersonRow, principal: Principal) -> PersonSummary:
    """A search-result line; ID number and phone masked unless the caller may see them."""
    full = principal.unmasked(row.district)
    return PersonSummary(
        id=row.id,
        name=row.name,
        id_number=row.id_number if full else mask_id_number(row.id_number),
        phone=(row.phone or "") if full else mask_phone(row.phone),
        gender=row.gender,
        district=row.district,
        status=row.status,
        masked=not full,
    )


def person_public(row: PersonRow, principal: Principal, *, age: int | None) -> PersonPublic:
    """The full profile (masking as in :func:`person_summary`)."""
    return PersonPublic(
        **person_summary(row, principal).model_dump(),
        age=age,
        education=row.education,
        skills=row.skills,
        residential_address=row.residential_address,
        wanted_categories=[str(c) for c in row.wanted_categories],
        expected_pay_text=row.expected_pay_text,
        location_requirement=row.location_requirement,
        work_history=[WorkHistoryPublic.model_validate(w) for w in row.work_history],
        registered_on=row.registered_on,
        unemployed_since=row.unemployed_since,
        accepts_messages=row.accepts_messages,
    )


def match_public(match: Match, engine: MatchingEngine) -> MatchPublic:
    """A recommendation with the posting's headline fields."""
    posting = engine.posting(match.posting_id)
    return MatchPublic(
        posting_id=match.posting_id,
        score=match.score,
        title=posting.title,
        employer=posting.employer,
        district=posting.district,
        salary_text=posting.salary_text,
        category=None if posting.category is None else posting.category.value,
        terms=list(match.terms),
        reasons=list(match.reasons),
        flags=list(match.flags),
    )


def posting_public(p: Posting | PostingRow) -> PostingPublic:
    """A posting, from the core model or a database row."""
    if isinstance(p, PostingRow):
        salary_min, salary_max, pid = p.salary_min_yuan, p.salary_max_yuan, str(p.id)
        category = p.category
    else:
        salary_min = p.salary.monthly_min_yuan if p.salary else None
        salary_max = p.salary.monthly_max_yuan if p.salary else None
        pid = p.id
        category = None if p.category is None else p.category.value
    return PostingPublic(
        id=pid,
        title=p.title,
        description=p.description,
        employer=p.employer,
        address=p.address,
        district=p.district,
        category=category,
        category_inferred=p.category_inferred,
        salary_text=p.salary_text,
        salary_min_yuan=salary_min,
        salary_max_yuan=salary_max,
        headcount=p.headcount,
        education_min=int(p.education_min),
        age_min=p.age_min,
        age_max=p.age_max,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        filled=p.filled,
        contact_phone=p.contact_phone,
    )


def candidate_public(match: PersonMatch, row: Contact, principal: Principal) -> CandidatePublic:
    """A reverse-matching entry: full for admin / own caseworker, masked name only otherwise."""
    if principal.role == "organiser":
        return CandidatePublic(
            person_id=None,
            name=mask_name(row.name),
            id_number=None,
            phone=None,
            district=row.district,
            score=match.score,
            terms=[],
            reasons=[],
        )
    full = principal.unmasked(row.district)
    return CandidatePublic(
        person_id=row.id,
        name=row.name,
        id_number=row.id_number if full else mask_id_number(row.id_number),
        phone=(row.phone or "") if full else mask_phone(row.phone),
        district=row.district,
        score=match.score,
        terms=list(match.terms),
        reasons=list(match.reasons),
    )


def read_rejects(path: Path | None, limit: int = 1000) -> list[RowProblem]:
    """The per-row problems of a rejects file (its last five columns), at most ``limit``."""
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows: Sequence[list[str]] = list(csv.reader(fh))
    problems = []
    for cells in rows[1 : limit + 1]:
        if len(cells) < 5:
            continue
        row, column, value, reason, reason_en = cells[-5:]
        problems.append(
            RowProblem(
                row=int(row) if row.isdigit() else None,
                column=column,
                value=value,
                reason=reason,
                reason_en=reason_en,
            )
        )
    return problems
