"""The nightly push lists over HTTP: runs, their files, and downloading one file.

The city admin sees every district's files and the run's own report; a caseworker sees only
their district's files and counts (another district's file is 404, never 403); the organiser
sees none (403), because call sheets hold names and phones. Files are served only from the
run's record (:mod:`matching.nightly.outputs`): a recorded path, under the recorded folder, with
the recorded SHA-256. Downloading a district's list is audited once per person in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as FPath
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from api.deps import PersonReaderDep, SessionDep
from api.routes.persons import audit
from api.schemas import UtcDatetime
from matching.nightly.outputs import AUDIENCE, NO_SUCH_FILE, RunFile, file_state, read_run_file
from matching.nightly.outputs import run_files as recorded_files
from matching.store import access
from matching.store.keyauth import Principal
from matching.store.nightly_tables import NightlyRunRow

router = APIRouter(prefix="/nightly", tags=["nightly"])

NOT_FOUND_RUN = "没有此夜间推送记录 / no such nightly run"
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
}
RunId = Annotated[int, FPath(ge=1, le=2**31 - 1)]


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class NightlyCounts(_Public):
    """Persons eligible, covered (≥1 posting), pushes, and persons to call (no messages)."""

    persons: int
    covered: int
    pushes: int
    call: int


class NightlyRunPublic(_Public):
    """One run as the caller may see it: counts of the whole city or of their district."""

    id: int
    run_date: dt.date
    status: str
    index_version: str
    started_at: UtcDatetime
    finished_at: UtcDatetime | None
    scope: str  # "全市" or the caseworker's district
    counts: NightlyCounts | None
    districts: list[str]  # districts whose lists the caller may download


class NightlyRunsPublic(_Public):
    data: list[NightlyRunPublic]
    count: int


class NightlyFilePublic(_Public):
    """One file of a run. ``state``: ok, missing (folder cleaned) or changed (overwritten)."""

    path: str
    district: str | None
    name: str
    size_bytes: int
    state: str
    url: str


class NightlyFilesPublic(_Public):
    run_id: int
    run_date: dt.date
    data: list[NightlyFilePublic]
    count: int


def _visible(run: NightlyRunRow, principal: Principal) -> list[RunFile]:
    """The run's files the caller may see: their district's (all of them for the city admin)."""
    return [f for f in recorded_files(run.files) if principal.sees_district(f.district)]


def _counts(run: NightlyRunRow, principal: Principal) -> NightlyCounts | None:
    """The capped allocation's per-district counts, summed over the districts the caller sees
    (None while the run has not finished)."""
    capped: dict[str, Any] = (run.counts or {}).get("capped") or {}
    if not capped:
        return None
    districts: dict[str, dict[str, int]] = capped.get("districts") or {}
    picked = [v for d, v in districts.items() if principal.sees_district(d)]
    return NightlyCounts(
        **{k: sum(int(v.get(k, 0)) for v in picked) for k in NightlyCounts.model_fields}
    )


def _run_or_404(session: SessionDep, run_id: int) -> NightlyRunRow:
    run = access.get_nightly_run(session, run_id)
    if run is None:
        raise HTTPException(404, NOT_FOUND_RUN)
    return run


@router.get("/runs")
def list_runs(
    principal: PersonReaderDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=366)] = 30,
) -> NightlyRunsPublic:
    """Nightly runs, latest first: status, counts and the districts with lists to download."""
    runs = access.list_nightly_runs(session, limit=limit)
    data = [
        NightlyRunPublic(
            id=r.id,
            run_date=r.run_date,
            status=r.status,
            index_version=r.index_version,
            started_at=r.started_at,
            finished_at=r.finished_at,
            scope="全市" if principal.role == "city_admin" else str(principal.district),
            counts=_counts(r, principal),
            districts=sorted({f.district for f in _visible(r, principal) if f.district}),
        )
        for r in runs
    ]
    return NightlyRunsPublic(data=data, count=len(data))


@router.get("/runs/{run_id}/files")
def list_files(
    run_id: RunId, principal: PersonReaderDep, session: SessionDep
) -> NightlyFilesPublic:
    """The files of a run the caller may download, and whether each is still on the server."""
    run = _run_or_404(session, run_id)
    data = [
        NightlyFilePublic(
            path=f.path,
            district=f.district,
            name=f.name,
            size_bytes=f.size_bytes,
            state=file_state(run.out_dir, f),
            url=f"/nightly/runs/{run.id}/files/{quote(f.path)}",
        )
        for f in _visible(run, principal)
    ]
    return NightlyFilesPublic(run_id=run.id, run_date=run.run_date, data=data, count=len(data))


@router.get(
    "/runs/{run_id}/files/{file_path:path}",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA.values()}, "description": "the file"}},
)
def download_file(
    request: Request,
    run_id: RunId,
    file_path: str,
    principal: PersonReaderDep,
    session: SessionDep,
) -> Response:
    """One file of a run (``河西区/call_sheet.xlsx``), exactly as the run wrote it; audited."""
    run = _run_or_404(session, run_id)
    visible = _visible(run, principal)
    f = next((x for x in visible if x.path == file_path), None)
    if f is None:
        raise HTTPException(404, NO_SUCH_FILE)
    content = read_run_file(run.out_dir, visible, file_path)  # NotFoundError → 404
    if f.district is not None and f.name in AUDIENCE:
        numbers = access.pushed_id_numbers(
            session, run.id, f.district, messaged_only=AUDIENCE[f.name] == "message"
        )
        audit(session, principal, request, list(numbers), f"nightly:{f.name}")
    name = "-".join(["nightly", run.run_date.isoformat(), *f.path.split("/")])
    ascii_name = name.encode("ascii", "ignore").decode().replace("--", "-")
    suffix = "." + f.name.rsplit(".", 1)[-1]
    return Response(
        content,
        media_type=MEDIA.get(suffix, "application/octet-stream"),
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{quote(name)}"
            ),
            "Cache-Control": "no-store",  # call sheets hold names and phones
        },
    )
