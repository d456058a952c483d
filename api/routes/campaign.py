"""The campaign over HTTP (issue 5): batches, contacts, status changes with undo.

Writes go through :mod:`matching.campaign`; person-scoped routes use the same district scoping
(another district's person is 404) as reading a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as FPath
from pydantic import BaseModel, Field, StringConstraints

from api.deps import AdminDep, PersonReaderDep, PersonRowDep, SessionDep, write_first
from api.routes.persons import audit
from api.schemas import CAMPAIGN_ERRORS, ContactPublic, DayIn
from matching import campaign
from matching.campaign.contact import contact_log
from matching.schemas import OtherNeed
from matching.store.keyauth import Principal

router = APIRouter(tags=["campaign"], responses=CAMPAIGN_ERRORS)

# An ID number as sent (any spelling the core normalises); never empty.
IdNumberIn = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class BatchIn(BaseModel):
    """Persons the city hands to districts in one batch."""

    batch: str = Field(min_length=1, max_length=40, examples=["2024-10-A"])
    issued_on: DayIn
    id_numbers: list[IdNumberIn] = Field(min_length=1, max_length=100_000)
    district: str | None = Field(None, description="receiving district; default each person's own")


class AlreadyHanded(BaseModel):
    id_number: str
    earlier_batch: str


class BatchOut(BaseModel):
    batch: str
    issued_on: dt.date
    handed: int
    already_handed: list[AlreadyHanded]
    unknown: list[str]
    per_district: dict[str, int]


class ContactIn(BaseModel):
    """One row of the form's 联系服务记录."""

    contacted_on: DayIn
    method: Literal["电话", "短信", "微信", "上门", "其他"]
    content: str = Field("", max_length=2000)
    caseworker: str = Field("", max_length=50)
    reached: bool = True
    refused: bool = False
    needs: list[OtherNeed] = []


class EmploymentIn(BaseModel):
    form: Literal["单位就业", "自主创业", "灵活就业", "个体经营"]
    on: DayIn
    employer: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class DeregistrationIn(BaseModel):
    reason: int = Field(ge=1, le=12, description="one of the 12 reasons of the form")
    on: DayIn
    note: str = Field("", max_length=500)


class UndoIn(BaseModel):
    note: str = Field("", max_length=500)


class StatusChangeOut(BaseModel):
    event_id: int
    kind: str
    effective_on: dt.date
    status: str
    employment_form: str | None
    employer: str
    reason_code: int | None
    by: str
    note: str
    posting_id: int | None
    undone: bool


def _status_out(change: campaign.StatusChange) -> StatusChangeOut:
    return StatusChangeOut(
        event_id=change.event_id,
        kind=change.kind,
        effective_on=change.effective_on,
        status=str(change.status),
        employment_form=change.employment_form,
        employer=change.employer,
        reason_code=change.reason_code,
        by=change.by,
        note=change.note,
        posting_id=change.posting_id,
        undone=change.undone,
    )


@router.post("/campaign/batches", response_model=BatchOut, status_code=201)
def issue_batch(body: BatchIn, admin: AdminDep, session: SessionDep) -> BatchOut:
    """Record a batch of persons handed to districts (a person handed twice is reported)."""
    if body.district is not None:
        from matching.domain import divisions

        try:
            divisions.get(body.district)
        except KeyError:
            raise HTTPException(
                422, f"未知的区：{body.district} / unknown district {body.district!r}"
            ) from None
    result = campaign.issue_batch(
        write_first(session),
        body.id_numbers,
        batch=body.batch,
        issued_on=body.issued_on,
        district=body.district,
    )
    session.commit()  # in this thread: see api.deps.write_first
    return BatchOut(
        batch=result.batch,
        issued_on=result.issued_on,
        handed=result.handed,
        already_handed=[
            AlreadyHanded(id_number=n, earlier_batch=b) for n, b in result.already_handed
        ],
        unknown=list(result.unknown),
        per_district=result.per_district,
    )


def _by(principal: Principal) -> dict[str, str | None]:
    """Who acts, for the core's audit row: the key, its true role and district."""
    return {"by": principal.key_id, "role": principal.role, "district": principal.district}


@router.get("/persons/{person_id}/contacts", response_model=list[ContactPublic])
def list_contacts(
    request: Request, row: PersonRowDep, principal: PersonReaderDep, session: SessionDep
) -> list[ContactPublic]:
    """A person's contact log (联系服务记录), oldest first."""
    rows = contact_log(session, row.id)
    audit(session, principal, request, [row.id_number], "contacts")
    return [ContactPublic.model_validate(c, from_attributes=True) for c in rows]


@router.post("/persons/{person_id}/contacts", status_code=201)
def add_contact(
    request: Request,
    body: ContactIn,
    row: PersonRowDep,
    principal: PersonReaderDep,
    session: SessionDep,
) -> dict[str, int]:
    """Log one contact with a person (电话/短信/微信/上门/其他; reached or not)."""
    contact_id = campaign.add_contact(
        write_first(session),
        campaign.ContactInput(
            id_number=row.id_number,
            contacted_on=body.contacted_on,
            method=body.method,
            content=body.content,
            caseworker=body.caseworker or principal.key_id,
            reached=body.reached,
            refused=body.refused,
            needs=tuple(body.needs),
        ),
    )
    audit(session, principal, request, [row.id_number], "add_contact")  # commits the contact
    return {"id": contact_id}


@router.post("/persons/{person_id}/employment", response_model=StatusChangeOut, status_code=201)
def register_employment(
    body: EmploymentIn, row: PersonRowDep, principal: PersonReaderDep, session: SessionDep
) -> StatusChangeOut:
    """Employment registration: stops recommendations and pushes at once; history is kept."""
    change = campaign.register_employment(
        write_first(session),
        row.id_number,
        form=body.form,
        on=body.on,
        employer=body.employer,
        note=body.note,
        **_by(principal),
    )
    session.commit()  # in this thread: see api.deps.write_first
    return _status_out(change)


@router.post("/persons/{person_id}/deregistration", response_model=StatusChangeOut, status_code=201)
def deregister(
    body: DeregistrationIn, row: PersonRowDep, principal: PersonReaderDep, session: SessionDep
) -> StatusChangeOut:
    """Deregistration with one of the 12 reasons: stops recommendations at once."""
    change = campaign.deregister(
        write_first(session),
        row.id_number,
        reason=body.reason,
        on=body.on,
        note=body.note,
        **_by(principal),
    )
    session.commit()  # in this thread: see api.deps.write_first
    return _status_out(change)


@router.get("/persons/{person_id}/status-history", response_model=list[StatusChangeOut])
def status_history(
    request: Request, row: PersonRowDep, principal: PersonReaderDep, session: SessionDep
) -> list[StatusChangeOut]:
    """Every employment registration and deregistration of a person, undone ones included."""
    history = [_status_out(c) for c in campaign.status_history(session, row.id_number)]
    audit(session, principal, request, [row.id_number], "status_history")
    return history


@router.post("/persons/{person_id}/status-events/{event_id}/undo", response_model=StatusChangeOut)
def undo(
    event_id: Annotated[int, FPath(ge=1, le=2**31 - 1)],
    body: UndoIn,
    row: PersonRowDep,
    principal: PersonReaderDep,
    session: SessionDep,
) -> StatusChangeOut:
    """Undo a mistaken status change of this person (the undo is audited)."""
    if event_id not in {c.event_id for c in campaign.status_history(session, row.id_number)}:
        raise HTTPException(404, "此人没有该状态变更 / no such status change for this person")
    change = campaign.undo_status_change(
        write_first(session), event_id, note=body.note, **_by(principal)
    )
    session.commit()  # in this thread: see api.deps.write_first
    return _status_out(change)
