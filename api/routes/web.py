"""The web page for caseworkers, organisers and the city admin, and the small calls it needs.

``/`` serves ``api/web/index.html`` and ``/static/{name}`` its script and style (no CDN, no
build step). The page calls the API's own endpoints with the key in ``X-API-Key``; this module
only adds what the API lacks for a page:

- ``GET /me``: the role and district of the caller's key.
- ``GET /web/options``: categories A–R with labels, the 16 districts, the outcome kinds.
- ``GET /web/persons/{person_id}/outcomes``: the outcomes recorded for a person (read back after
  a click, so the caseworker sees it stored).
- ``GET /web/postings/{posting_id}/candidates.xlsx``: the invite list as a spreadsheet, built from
  the same call (and the same masking and audit) as ``GET /postings/{id}/candidates``.
- ``GET /web/progress``: outcome counts by kind (the city admin's progress chart).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select

from api.deps import (
    AdminDep,
    LoadedDep,
    PersonReaderDep,
    PersonRowDep,
    PrincipalDep,
    SessionDep,
    SettingsDep,
)
from api.routes.persons import audit
from api.routes.postings import posting_candidates
from api.schemas import UtcDatetime
from matching.domain import divisions
from matching.domain.categories import LABELS
from matching.store import access
from matching.store.nightly_tables import NightlyRunRow, PushRow
from matching.store.tables import OUTCOME_KINDS, OutcomeRow

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC: dict[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(tags=["web"])


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class MePublic(_Public):
    """Who the key belongs to: role and (for a caseworker) district."""

    key_id: str
    role: Literal["city_admin", "caseworker", "organiser"]
    district: str | None


class OptionsPublic(_Public):
    """What the forms offer: categories A–R with labels, the 16 districts, outcome kinds."""

    categories: dict[str, str]
    districts: list[str]
    outcome_kinds: list[str]


class OutcomeLine(_Public):
    id: int
    posting_id: int
    kind: str
    reason: str
    at: UtcDatetime


class OutcomesPublic(_Public):
    data: list[OutcomeLine]
    count: int


class ProgressPublic(_Public):
    """Outcomes recorded so far, by kind (every kind present, zero when none); ``pushed`` is
    the pushes of the latest finished nightly run (``latest_run_date``), not outcomes. ``today``
    is the date the server runs as (``SONGGANG_TODAY`` when set)."""

    by_kind: dict[str, int]
    persons: int
    today: dt.date
    latest_run_date: dt.date | None


@router.get("/", include_in_schema=False)
def index_page() -> FileResponse:
    """The single page."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    """The page's script and style (a fixed list: nothing else under ``api/`` is served)."""
    media = STATIC.get(name)
    if media is None:
        raise HTTPException(404, "没有此文件 / no such file")
    return FileResponse(WEB_DIR / name, media_type=media, headers={"Cache-Control": "no-cache"})


@router.get("/me")
def who_am_i(principal: PrincipalDep) -> MePublic:
    """The role and district of the key in ``X-API-Key``."""
    return MePublic(key_id=principal.key_id, role=principal.role, district=principal.district)


@router.get("/web/options")
def form_options(_principal: PrincipalDep) -> OptionsPublic:
    """Categories, districts and outcome kinds for the page's forms."""
    return OptionsPublic(
        categories={c.value: label for c, label in LABELS.items()},
        districts=[d.name for d in divisions.DISTRICTS],
        outcome_kinds=list(OUTCOME_KINDS),
    )


@router.get("/web/persons/{person_id}/outcomes")
def person_outcomes(
    request: Request, row: PersonRowDep, principal: PersonReaderDep, session: SessionDep
) -> OutcomesPublic:
    """The outcomes recorded for a person, oldest first (same scoping as the person)."""
    audit(session, principal, request, [row.id_number], "outcomes")
    lines = [
        OutcomeLine(id=o.id, posting_id=o.posting_id, kind=o.kind, reason=o.reason, at=o.at)
        for o in access.list_outcomes(session, row.id)
    ]
    return OutcomesPublic(data=lines, count=len(lines))


@router.get(
    "/web/postings/{posting_id}/candidates.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "the invite list"}},
)
def candidates_xlsx(
    request: Request,
    posting_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    principal: PrincipalDep,
    session: SessionDep,
    loaded: LoadedDep,
    settings: SettingsDep,
    n: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """The invite list of a posting as xlsx: exactly what ``/postings/{id}/candidates`` shows."""
    from openpyxl import Workbook

    from matching.domain.spreadsheet import neutralise_row

    found = posting_candidates(request, posting_id, principal, session, loaded, settings, n)
    book = Workbook()
    sheet = book.active
    sheet.title = "邀约名单"
    organiser = principal.role == "organiser"
    header = ["序号", "姓名", "所属区", "匹配度"]
    if not organiser:
        header[2:2] = ["身份证号", "电话"]
        header.append("推荐理由")
    sheet.append(neutralise_row(header))
    for i, c in enumerate(found.data, start=1):
        line: list[object] = [i, c.name, c.district, round(c.score, 3)]
        if not organiser:
            line[2:2] = [c.id_number or "", c.phone or ""]
            line.append("；".join(c.reasons))
        sheet.append(neutralise_row(line))  # a name like =1+1 stays text
    for col, width in zip("ABCDEFG", (6, 10, 22, 14, 10, 8, 60), strict=False):
        sheet.column_dimensions[col].width = width
    buf = io.BytesIO()
    book.save(buf)
    name = f"invite-{found.posting_id}.xlsx"
    return Response(
        buf.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/web/progress")
def progress(_admin: AdminDep, session: SessionDep, settings: SettingsDep) -> ProgressPublic:
    """Outcome counts by kind, the latest nightly run's pushes, how many persons have any
    outcome, and the server's date (city admin)."""
    counted = dict(
        session.execute(select(OutcomeRow.kind, func.count()).group_by(OutcomeRow.kind)).all()
    )
    persons = session.scalar(select(func.count(func.distinct(OutcomeRow.person_id)))) or 0
    latest = session.execute(
        select(NightlyRunRow.id, NightlyRunRow.run_date)
        .where(NightlyRunRow.status == "succeeded")
        .order_by(NightlyRunRow.run_date.desc(), NightlyRunRow.id.desc())
        .limit(1)
    ).first()
    if latest is not None:
        counted["pushed"] = session.scalar(
            select(func.count()).select_from(PushRow).where(PushRow.run_id == latest.id)
        )
    return ProgressPublic(
        by_kind={k: int(counted.get(k, 0) or 0) for k in OUTCOME_KINDS},
        persons=int(persons),
        today=settings.current_day(),
        latest_run_date=latest.run_date if latest else None,
    )
