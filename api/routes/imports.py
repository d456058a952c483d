"""Imports of persons and postings from an uploaded xlsx/csv (city admin only)."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.deps import AdminDep, HolderDep, SettingsDep, get_db
from api.present import read_rejects
from api.schemas import ImportErrorPublic, ImportReportPublic
from api.settings import Settings
from matching.exceptions import InputError
from matching.ingest import importer

router = APIRouter(prefix="/imports", tags=["imports"])

SUFFIXES = (".xlsx", ".csv")
_CHUNK = 1 << 20
_ERRORS: dict[int | str, dict[str, object]] = {
    413: {"model": ImportErrorPublic, "description": "file larger than max_upload_mb"},
    422: {"model": ImportErrorPublic, "description": "bad file: the per-row report"},
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


def _run(
    kind: Literal["persons", "postings"],
    file: UploadFile,
    request: Request,
    settings: Settings,
    holder: HolderDep,
) -> ImportReportPublic | JSONResponse:
    path = _save(file, request, settings)
    func = importer.import_persons if kind == "persons" else importer.import_postings
    try:
        report = func(get_db(request), path)
    except InputError as exc:
        return JSONResponse(status_code=422, content={"detail": str(exc), "report": None})
    except SQLAlchemyError:
        raise  # the database failing is a server error, not a bad file
    except Exception as exc:  # openpyxl/csv on a corrupt file: a bad upload, not a server error
        return JSONResponse(
            status_code=422,
            content={"detail": f"无法读取文件 / cannot read the file: {type(exc).__name__}"},
        )
    good = report.inserted + report.updated + report.unchanged + report.duplicates
    changed = report.inserted + report.updated > 0
    public = ImportReportPublic(
        kind=kind,
        file=path.name,
        read=report.read,
        inserted=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        duplicates=report.duplicates,
        rejected=report.rejected,
        rejects=read_rejects(report.rejects_path),
        index_rebuild="started" if changed else "not needed",
    )
    if good == 0:
        return JSONResponse(
            status_code=422,
            content=ImportErrorPublic(
                detail="文件中没有有效行 / no valid row in the file", report=public
            ).model_dump(mode="json"),
        )
    if changed:
        holder.rebuild_in_background(snapshot=kind == "postings")
    return public


@router.post("/persons", responses=_ERRORS)
def import_persons(
    file: UploadFile, request: Request, _admin: AdminDep, settings: SettingsDep, holder: HolderDep
) -> ImportReportPublic:
    """Import persons (附件2 columns); rejected rows are reported per row."""
    return _run("persons", file, request, settings, holder)  # type: ignore[return-value]


@router.post("/postings", responses=_ERRORS)
def import_postings(
    file: UploadFile, request: Request, _admin: AdminDep, settings: SettingsDep, holder: HolderDep
) -> ImportReportPublic:
    """Import postings; the index is rebuilt in the background and swapped in atomically."""
    return _run("postings", file, request, settings, holder)  # type: ignore[return-value]
