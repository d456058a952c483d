"""Map core errors to HTTP: bad input 422, unknown ids 404, no index yet 503.

Every error body is ``{"detail": ...}`` like FastAPI's own; validation errors keep FastAPI's
list of ``{loc, msg, type}`` with the field path in ``loc``.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from matching.exceptions import InputError, NotFittedError, NotFoundError


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
