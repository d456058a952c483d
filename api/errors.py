"""Map core errors to HTTP: bad input 422, unknown ids 404, no index yet 503.

Every error body is ``{"detail": ...}`` like FastAPI's own; validation errors keep FastAPI's
list of ``{loc, msg, type}`` with the field path in ``loc``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from matching.exceptions import InputError, NotFittedError, NotFoundError


def _json(status: int, detail: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def register(app: FastAPI) -> None:
    """Install the exception handlers on ``app``."""

    @app.exception_handler(InputError)
    def _input(_request: Request, exc: InputError) -> JSONResponse:
        return _json(422, str(exc))

    @app.exception_handler(NotFoundError)
    def _not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return _json(404, str(exc))

    @app.exception_handler(NotFittedError)
    def _not_fitted(_request: Request, exc: NotFittedError) -> JSONResponse:
        return _json(503, f"索引尚未就绪 / index not ready: {exc}")
