"""Map core errors to HTTP: bad input 422, unknown ids 404, no index yet 503, database busy
503 with ``Retry-After``.

Every error body is ``{"detail": ...}`` like FastAPI's own; validation errors keep FastAPI's
list of ``{loc, msg, type}`` with the field path in ``loc``.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from matching.exceptions import InputError, NotFittedError, NotFoundError
from matching.store.db import is_busy

RETRY_AFTER_S = 2
BUSY = (
    "数据库正忙（其他写入尚未完成），请稍后重试 / "
    "the database is busy with other writes; nothing was changed, try again shortly"
)


def hide_server_paths(text: str, upload_dir: Path) -> str:
    """``text`` without the server's upload folder: ``data/uploads/<uuid>/persons.csv`` (or its
    absolute form) becomes ``persons.csv``, the uploaded file's own name."""
    for folder in sorted({str(upload_dir), str(upload_dir.resolve())}, key=len, reverse=True):
        text = re.sub(re.escape(folder.rstrip("/")) + r"/(?:[0-9a-f]{32}/)?", "", text)
    return text


def _detail(request: Request, exc: Exception) -> str:
    return hide_server_paths(str(exc), request.app.state.settings.upload_dir)


def _json(status: int, detail: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def register(app: FastAPI) -> None:
    """Install the exception handlers on ``app``."""

    @app.exception_handler(InputError)
    def _input(request: Request, exc: InputError) -> JSONResponse:
        return _json(422, _detail(request, exc))

    @app.exception_handler(NotFoundError)
    def _not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return _json(404, _detail(request, exc))

    @app.exception_handler(NotFittedError)
    def _not_fitted(_request: Request, exc: NotFittedError) -> JSONResponse:
        return _json(503, f"索引尚未就绪 / index not ready: {exc}")

    @app.exception_handler(DBAPIError)
    def _database(_request: Request, exc: DBAPIError) -> JSONResponse:
        if not is_busy(exc):
            raise exc  # a real server error: 500, logged by the server
        return busy_response()


def busy_response() -> JSONResponse:
    """503 with ``Retry-After``: the write lock was still held after the retries."""
    response = _json(503, BUSY)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
