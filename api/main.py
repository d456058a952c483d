"""The FastAPI application: ``create_app(settings)``; the engine loads once in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

from api import errors
from api.schemas import ErrorPublic
from api.security import document_keys
from api.settings import Settings, get_settings
from matching.threads import limit_threads

logger = logging.getLogger(__name__)

_COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "missing or unknown API key"},
    403: {"model": ErrorPublic, "description": "the key's role may not do this"},
    404: {"model": ErrorPublic, "description": "no such person or posting (or not yours)"},
    503: {"model": ErrorPublic, "description": "no index loaded yet"},
}


class StripQueryFilter(logging.Filter):
    """Drop query strings from uvicorn's access log lines.

    Queries may carry names, ID numbers or phones (``/persons?q=…``); paths carry integer ids
    only, so a path without its query holds no personal data.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_log_filter() -> None:
    """Attach :class:`StripQueryFilter` to ``uvicorn.access`` (once)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, StripQueryFilter) for f in access.filters):
        access.addFilter(StripQueryFilter())


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database, load keys and the current index (with the persons' reverse index)."""
    from api.auditlog import AuditWriter
    from api.jobs import ImportJobs
    from api.state import EngineHolder
    from matching.store.db import make_engine, upgrade
    from matching.store.keyauth import KeyStore

    settings: Settings = app.state.settings
    install_log_filter()
    # Process-wide for OpenBLAS (see Settings); put back when the app stops (tests run several).
    blas = limit_threads(settings.blas_threads)
    if settings.threads:
        # Sync endpoints and dependencies run in anyio's thread pool (40 threads by default).
        # The work is CPU-bound Python, so more threads than cores only queue for the GIL,
        # and the event loop queues with them.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
    db = make_engine(settings.database_url, busy_timeout_ms=settings.busy_timeout_ms)
    upgrade(db)
    holder = EngineHolder(settings, db)
    holder.load()
    if holder.current is None:
        from matching.store.activity import counts
        from matching.store.db import session_scope

        with session_scope(db) as session:
            if counts(session)["postings"]:
                holder.rebuild_in_background(snapshot=True)
    app.state.db = db
    app.state.keys = KeyStore(settings.keys_file)
    app.state.holder = holder
    app.state.audit = AuditWriter(db)
    app.state.jobs = ImportJobs(db, settings.upload_dir, holder)
    try:
        yield
    finally:
        app.state.jobs.close()
        app.state.audit.close()
        app.state.keys.close()
        holder.wait(timeout=120)
        db.dispose()
        blas.restore_original_limits()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``settings`` default to :func:`get_settings` (environment)."""
    from fastapi_offline import FastAPIOffline

    from api.routes import (
        audit,
        campaign,
        health,
        imports,
        jobfairs,
        nightly,
        persons,
        postings,
        reports,
    )

    settings = settings or get_settings()
    # /docs and /redoc load Swagger UI and ReDoc from files installed with fastapi-offline
    # (MIT), not from a CDN: an intranet without internet sees them.
    app = FastAPIOffline(
        title="送岗 songgang",
        summary="Job matching for Tianjin's registered unemployed persons",
        version="0.1.0",
        lifespan=lifespan,
        responses=_COMMON_ERRORS,
    )
    app.state.settings = settings
    from api.observe import ObserveMiddleware

    app.add_middleware(ObserveMiddleware)
    errors.register(app)
    from api.routes import web  # the page at / and its static files

    modules = (health, persons, postings, jobfairs, imports, audit, campaign, reports, nightly, web)
    routers = [module.router for module in modules]
    for router in routers:
        app.include_router(router)
    document_keys(app, routers)
    return app
