"""Persons: search, profile, recommendations, outcomes (caseworkers and the city admin)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import TypeAdapter
from sqlalchemy import Engine, and_, bindparam, select
from starlette.concurrency import run_in_threadpool

from api.deps import (
    PersonIdPath,
    PersonReaderDep,
    PersonRowDep,
    SessionDep,
    SettingsDep,
    current_loaded,
    visible_or_404,
    write_first,
)
from api.prepared import PreparedSelect
from api.present import match_public, person_public, person_summary
from api.schemas import MatchesPublic, OutcomeCreate, OutcomePublic, PersonPublic, PersonsPublic
from api.state import Loaded
from matching.store import access
from matching.store.keyauth import Principal
from matching.store.persons import person_from_row
from matching.store.tables import OutcomeRow, PersonRow

router = APIRouter(prefix="/persons", tags=["persons"])

Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]


def audit(
    session: SessionDep,
    principal: Principal,
    request: Request,
    numbers: list[str | None],
    action: str,
) -> None:
    """Record that ``principal`` read the data of these persons at this path (no query).

    Committed before the response by the process's :class:`~api.auditlog.AuditWriter`
    (created in the lifespan; concurrent requests share one transaction).
    """
    if not numbers:
        return
    # End the request's transaction first: the writer's connection would otherwise wait for a
    # write lock this request holds while it waits for the writer.
    session.commit()
    record_read(principal, request, numbers, action)


def record_read(
    principal: Principal, request: Request, numbers: list[str | None], action: str
) -> None:
    """:func:`audit` for a request that holds no transaction (nothing to end first)."""
    request.app.state.audit.write(
        key_id=principal.key_id,
        role=principal.role,
        district=principal.district,
        numbers=numbers,
        endpoint=f"{request.method} {request.url.path}",
        action=action,
    )


@router.get("")
def search_persons(
    request: Request,
    principal: PersonReaderDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=50, description="姓名、身份证号或电话的一部分")] = "",
    district: Annotated[str | None, Query(max_length=16)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> PersonsPublic:
    """Search persons by name, ID number or phone (a caseworker: own district only)."""
    if principal.role == "caseworker":
        district = principal.district
    found = access.search_persons(
        session, q=q, district=district, status=status, page=page, page_size=page_size
    )
    audit(session, principal, request, [r.id_number for r in found.items], "search")
    return PersonsPublic(
        data=[person_summary(r, principal) for r in found.items],
        count=found.total,
        page=page,
        page_size=page_size,
    )


def _age(row: PersonRow, settings: SettingsDep) -> int | None:
    day, birth = settings.current_day(), row.birth_date
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@router.get("/{person_id}")
def get_person(
    request: Request,
    row: PersonRowDep,
    principal: PersonReaderDep,
    session: SessionDep,
    settings: SettingsDep,
) -> PersonPublic:
    """One person's profile."""
    audit(session, principal, request, [row.id_number], "read")
    return person_public(row, principal, age=_age(row, settings))


# The response's JSON as FastAPI writes it for a ``MatchesPublic`` return value (pydantic's
# ``dump_json``, the same bytes), made in the worker thread: FastAPI would first validate again
# the model built here, then serialize it on the event loop.
_MATCHES_JSON = TypeAdapter(MatchesPublic)


@router.get("/{person_id}/recommendations", response_model=MatchesPublic)
async def recommend_for_person(
    request: Request,
    person_id: PersonIdPath,
    principal: PersonReaderDep,
    n: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    """The explained top-N postings for a registered person (declined ones excluded)."""
    # The busiest endpoint: all its blocking work in one trip to the thread pool (a plain def
    # endpoint with a def dependency makes three, each a wait for the GIL under load), the
    # loaded engine taken there too (a reload check may read the database).
    today = request.app.state.settings.current_day()
    body = await run_in_threadpool(_recommend_json, request, person_id, principal, today, n)
    return Response(body, media_type="application/json")


def _recommend_json(
    request: Request, person_id: int, principal: Principal, today: dt.date, n: int
) -> bytes:
    loaded = current_loaded(request)
    return _MATCHES_JSON.dump_json(_recommend(request, person_id, principal, loaded, today, n))


# The person and their declined postings, as plain rows (Core): the ORM's session, identity
# map and unit of work cost twice the reads themselves (0.75 vs 0.33 ms with person_from_row).
# One statement: the person's columns on every row, one row per declined posting (one row
# with a NULL when none); a second query for the declined cost 0.1 ms more. Run on the
# driver's connection (PreparedSelect): 0.07 instead of 0.2 ms.
_PERSONS, _OUTCOMES = PersonRow.__table__, OutcomeRow.__table__
_PERSON_AND_DECLINED = (
    select(_PERSONS, _OUTCOMES.c.posting_id.label("declined_posting_id"))
    .outerjoin(
        _OUTCOMES, and_(_OUTCOMES.c.person_id == _PERSONS.c.id, _OUTCOMES.c.kind == "declined")
    )
    .where(_PERSONS.c.id == bindparam("pk"))
)


@lru_cache(maxsize=8)  # one per database engine (an application's; tests make several)
def _person_read(db: Engine) -> PreparedSelect:
    return PreparedSelect(db, _PERSON_AND_DECLINED)


def _person_and_declined(db: Engine, person_id: int, principal: Principal) -> tuple[Any, set[str]]:
    """The person (404 unless ``principal`` sees them) and the postings they declined, read in
    one statement; declined only for a registered person (nothing is recommended to the
    others)."""
    rows = _person_read(db).all(pk=person_id)
    row = visible_or_404(rows[0] if rows else None, principal)
    if row.status != "registered":
        return row, set()
    return row, {str(r.declined_posting_id) for r in rows if r.declined_posting_id is not None}


def _recommend(
    request: Request,
    person_id: int,
    principal: Principal,
    loaded: Loaded,
    today: dt.date,
    n: int,
) -> MatchesPublic:
    row, declined = _person_and_declined(request.app.state.db, person_id, principal)
    record_read(principal, request, [row.id_number], "recommend")
    if row.status != "registered":
        return MatchesPublic(
            data=[],
            count=0,
            message=f"此人状态为“{row.status}”，不再推荐岗位 / not registered: no recommendations",
        )
    matches = loaded.recommend(person_from_row(row), n, today=today, exclude_posting_ids=declined)
    message = None if matches else "没有符合条件的有效岗位 / no valid posting passes the filters"
    return MatchesPublic(
        data=[match_public(m, loaded.engine) for m in matches],
        count=len(matches),
        message=message,
    )


@router.post("/{person_id}/outcomes", status_code=201)
def add_outcome(
    request: Request,
    body: OutcomeCreate,
    row: PersonRowDep,
    principal: PersonReaderDep,
    session: SessionDep,
) -> OutcomePublic:
    """Record what happened with a posting (declined: never recommended to them again)."""
    if not access.posting_exists(session, body.posting_id):
        raise HTTPException(404, "没有此岗位 / no such posting")
    out = access.add_outcome(
        write_first(session),
        person_id=row.id,
        posting_id=body.posting_id,
        kind=body.kind,
        reason=body.reason,
        by_key=principal.key_id,
    )
    audit(session, principal, request, [row.id_number], f"outcome:{body.kind}")
    return OutcomePublic(
        id=out.id,
        person_id=out.person_id,
        posting_id=out.posting_id,
        kind=out.kind,
        reason=out.reason,
        at=out.at,
    )
