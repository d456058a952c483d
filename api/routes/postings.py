"""Postings: browse with filters, one posting, its candidates (reverse matching), ad-hoc matches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from api.deps import LoadedDep, PrincipalDep, SessionDep, SettingsDep
from api.present import candidate_public, match_public, posting_public
from api.routes.persons import audit
from api.schemas import (
    AdhocProfile,
    CandidatesPublic,
    DayIn,
    MatchesPublic,
    PostingPublic,
    PostingsPublic,
)
from matching.domain.categories import Category
from matching.store import access
from matching.store.postings import get_posting

router = APIRouter(tags=["postings"])

PostingId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Yuan = Annotated[int | None, Query(ge=0, le=1_000_000)]
NOT_FOUND_POSTING = "没有此岗位 / no such posting"


@router.get("/postings")
def list_postings(
    _principal: PrincipalDep,
    session: SessionDep,
    category: Category | None = None,
    district: Annotated[str | None, Query(max_length=16)] = None,
    keyword: Annotated[str | None, Query(max_length=50)] = None,
    pay_min: Yuan = None,
    pay_max: Yuan = None,
    valid_on: DayIn | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> PostingsPublic:
    """Postings (not filled) by category, district, keyword, monthly pay range, valid day."""
    found = access.search_postings(
        session,
        category=None if category is None else category.value,
        district=district,
        keyword=keyword,
        pay_min=pay_min,
        pay_max=pay_max,
        valid_on=valid_on,
        page=page,
        page_size=page_size,
    )
    return PostingsPublic(
        data=[posting_public(r) for r in found.items],
        count=found.total,
        page=page,
        page_size=page_size,
    )


@router.get("/postings/{posting_id}")
def read_posting(
    posting_id: PostingId, _principal: PrincipalDep, session: SessionDep
) -> PostingPublic:
    """One posting."""
    posting = get_posting(session, str(posting_id))
    if posting is None:
        raise HTTPException(404, NOT_FOUND_POSTING)
    return posting_public(posting)


@router.get("/postings/{posting_id}/candidates")
def posting_candidates(
    request: Request,
    posting_id: PostingId,
    principal: PrincipalDep,
    session: SessionDep,
    loaded: LoadedDep,
    settings: SettingsDep,
    n: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CandidatesPublic:
    """Whom to invite or push the posting to (a caseworker: own district's persons only)."""
    engine = loaded.engine
    pid = str(posting_id)
    if pid not in engine.row_of_:
        if get_posting(session, pid) is None:
            raise HTTPException(404, NOT_FOUND_POSTING)
        raise HTTPException(
            404, "此岗位不在当前索引中（已招满或已过期）/ posting not in the current index"
        )
    # Who may be shown is decided by the database now, never by the engine's fitted persons:
    # an import may have moved a person to another district (or ended their registration)
    # since the persons were indexed, in this worker or in another. Only the ranked persons
    # are asked about, a slice at a time, not the whole scope (200,000 for the city).
    district = principal.district or "" if principal.role == "caseworker" else None
    rows: dict[str, access.Contact] = {}

    def admit(numbers: Sequence[str]) -> Collection[str]:
        found = access.registered_persons(session, numbers, district)
        rows.update(found)
        return found.keys()

    matches = engine.candidates_for_posting(pid, n, today=settings.current_day(), admit=admit)
    kept = [(m, rows[m.id_number]) for m in matches]
    audit(
        session,
        principal,
        request,
        [r.id_number for _, r in kept],
        "candidates_masked" if principal.role == "organiser" else "candidates",
    )
    return CandidatesPublic(
        posting_id=pid,
        data=[candidate_public(m, r, principal) for m, r in kept],
        count=len(kept),
        by_district=dict(Counter(r.district for _, r in kept)),
    )


@router.post("/recommendations", tags=["persons"])
def recommend_adhoc(
    body: AdhocProfile, _principal: PrincipalDep, loaded: LoadedDep, settings: SettingsDep
) -> MatchesPublic:
    """Explained top-N for a walk-in job seeker's profile (nothing is stored)."""
    engine = loaded.engine
    matches = engine.recommend_adhoc(
        wanted_categories=[c.value for c in body.wanted_categories],
        skills=body.skills,
        positions=body.positions,
        expected_pay=body.expected_pay,
        residential_address=body.residential_address,
        location_requirement=body.location_requirement,
        education=body.education,
        age=body.age,
        k=body.n,
        today=settings.current_day(),
    )
    message = None if matches else "没有符合条件的有效岗位 / no valid posting passes the filters"
    return MatchesPublic(
        data=[match_public(m, engine) for m in matches], count=len(matches), message=message
    )
