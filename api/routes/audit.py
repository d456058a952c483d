"""The audit log of reads of personal data (city admin only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import AdminDep, SessionDep
from api.schemas import AuditEntryPublic, AuditPublic, DayIn
from matching.store import access

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
def query_audit(
    _admin: AdminDep,
    session: SessionDep,
    person_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    key_id: Annotated[str | None, Query(max_length=64)] = None,
    date_from: DayIn | None = None,
    date_to: Annotated[DayIn | None, Query(description="inclusive")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPublic:
    """Who read whose data, newest first; filter by person, key and days (UTC)."""
    number = None
    if person_id is not None:
        row = access.get_person_row(session, person_id)
        if row is None:
            raise HTTPException(404, "没有此人 / no such person")
        number = row.id_number
    since = _utc(date_from) if date_from else None
    until = _utc(date_to + dt.timedelta(days=1)) if date_to and date_to < dt.date.max else None
    found = access.query_audit(
        session,
        person_id_number=number,
        key_id=key_id,
        since=since,
        until=until,
        page=page,
        page_size=page_size,
    )
    return AuditPublic(
        data=[
            AuditEntryPublic(
                id=r.id,
                at=r.at,
                key_id=r.key_id,
                role=r.role,
                district=r.district,
                person_id_number=r.person_id_number,
                endpoint=r.endpoint,
                action=r.action,
            )
            for r in found.items
        ],
        count=found.total,
        page=page,
        page_size=page_size,
    )


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
