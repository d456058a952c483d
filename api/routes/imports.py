"""Imports of persons and postings from an uploaded xlsx/csv (city admin only), run as jobs
(:mod:`api.jobs`): the upload is answered 202 with the job, which is followed at
``GET /imports/{job_id}``."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request, UploadFile
from fastapi import Path as FPath
from fastapi.responses import FileResponse, JSONResponse

from api.deps import AdminDep, SettingsDep
from api.errors import hide_server_paths
from api.jobs import ImportJobs, Kind
from api.schemas import ImportErrorPublic, ImportJobPublic
from api.settings import Settings
from matching.exceptions import FileTooLargeError, InputError
from matching.ingest.readers import check_xlsx

router = APIRouter(prefix="/imports", tags=["imports"])

SUFFIXES = (".xlsx", ".csv")
_CHUNK = 1 << 20
_ERRORS: dict[int | str, dict[str, object]] = {
    413: {
        "model": ImportErrorPublic,
        "description": "upload over max_upload_mb, or unpacks too large",
    },
    422: {"model": ImportErrorPublic, "description": "not an .xlsx or .csv file"},
}


def _too_large(settings: Settings) -> HTTPException:
    return HTTPException(
        413,
        f"文件超过{settings.max_upload_mb:g}MB / upload larger than {settings.max_upload_mb:g} MB",
    )


def _save(file: UploadFile, request: Request, settings: Settings) -> Path:
    """Stream the upload to its own folder under ``upload_dir``; 413 past the size limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes + 64 * 1024:
        raise _too_large(settings)
    name = Path(file.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise HTTPException(
            422, f"只接受 .xlsx 或 .csv 文件 / only .xlsx and .csv files, got {suffix or 'none'!r}"
        )
    stem = re.sub(r"[^\w\-]+", "_", Path(name).stem)[:60] or "upload"
    folder = settings.upload_dir / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}{suffix}"
    size = 0
    with target.open("wb") as out:
        while chunk := file.file.read(_CHUNK):
            size += len(chunk)
            if size > settings.max_upload_bytes:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise _too_large(settings)
            out.write(chunk)
    return target


def _public(state: dict[str, Any]) -> ImportJobPublic:
    job_id = state["job_id"]
    rejects = f"/imports/{job_id}/rejects.csv" if state.get("rejects_file") else None
    return ImportJobPublic.model_validate(
        {**state, "status_url": f"/imports/{job_id}", "rejects_url": rejects}
    )


def _submit(kind: Kind, file: UploadFile, request: Request, settings: Settings) -> JSONResponse:
    path = _save(file, request, settings)
    if path.suffix == ".xlsx":
        try:
            check_xlsx(path)
        except InputError as exc:  # refused before it is queued: nothing was written
            shutil.rmtree(path.parent, ignore_errors=True)
            status = 413 if isinstance(exc, FileTooLargeError) else 422
            detail = hide_server_paths(str(exc), settings.upload_dir)
            return JSONResponse(status_code=status, content={"detail": detail, "report": None})
    job = _public(_jobs(request).submit(kind, path))
    return JSONResponse(
        status_code=202, content=job.model_dump(mode="json"), headers={"Location": job.status_url}
    )


def _jobs(request: Request) -> ImportJobs:
    return request.app.state.jobs  # type: ignore[no-any-return]


@router.post("/persons", status_code=202, response_model=ImportJobPublic, responses=_ERRORS)
def import_persons(
    file: UploadFile, request: Request, _admin: AdminDep, settings: SettingsDep
) -> JSONResponse:
    """Queue an import of persons (附件2 columns); follow it at ``status_url``."""
    return _submit("persons", file, request, settings)


@router.post("/postings", status_code=202, response_model=ImportJobPublic, responses=_ERRORS)
def import_postings(
    file: UploadFile, request: Request, _admin: AdminDep, settings: SettingsDep
) -> JSONResponse:
    """Queue an import of postings; the index is rebuilt in the background once it is in."""
    return _submit("postings", file, request, settings)


JobIdPath = Annotated[str, FPath(pattern=r"^[0-9a-f]{32}$")]
_NO_JOB = "没有此导入任务 / no such import job"


@router.get("/{job_id}", response_model=ImportJobPublic)
async def import_status(job_id: JobIdPath, request: Request, _admin: AdminDep) -> ImportJobPublic:
    """An import job's state: queued, running, succeeded or failed, with counts and rejects."""
    state = _jobs(request).state(job_id)
    if state is None:
        raise HTTPException(404, _NO_JOB)
    return _public(state)


@router.get(
    "/{job_id}/rejects.csv",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "the rejects file"}},
)
async def import_rejects(job_id: JobIdPath, request: Request, _admin: AdminDep) -> FileResponse:
    """The rejected rows of an import, each with column, value and reason (Chinese / English)."""
    jobs = _jobs(request)
    state, folder = jobs.state(job_id), jobs.folder(job_id)
    name = state.get("rejects_file") if state else None
    if folder is None or not name or not (folder / name).is_file():
        raise HTTPException(404, "此导入任务没有被拒绝的行 / this import has no rejected rows")
    return FileResponse(folder / name, media_type="text/csv", filename=f"{job_id}.rejects.csv")
