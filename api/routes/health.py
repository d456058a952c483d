"""Liveness (``/health``), readiness (``/ready``), ``/metrics`` and ``/version``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from api.deps import HolderDep, PrincipalDep, SessionDep, SettingsDep
from api.schemas import Health, VersionPublic
from matching.store.activity import counts

router = APIRouter(tags=["health"])


def model_card_summary(models_dir: Path, lines: int = 6) -> str | None:
    """The first non-empty lines of ``models/MODEL_CARD.md``, or None when absent."""
    try:
        text = (models_dir / "MODEL_CARD.md").read_text(encoding="utf-8")
    except OSError:
        return None
    kept = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    return "\n".join(kept) or None


def _package_version() -> str:
    try:
        return version("songgang")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health")
async def health(request: Request) -> Health:
    """Liveness: answers while the process runs, without waiting on the database, the index
    or a thread (no key needed). Whether it is ready to serve: ``/ready``."""
    holder = request.app.state.holder
    return Health(
        status="ok", index_loaded=holder.current is not None, rebuilding=holder.rebuilding
    )


def _database_reachable(request: Request) -> str | None:
    try:
        with request.app.state.db.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; the reason names the class only
        return f"database unreachable: {type(exc).__name__}"
    return None


@router.get(
    "/ready",
    responses={503: {"description": "no index loaded yet, or the database is unreachable"}},
)
async def ready(request: Request) -> JSONResponse:
    """Readiness: 200 when an index is loaded and the database answers, else 503 with the
    reasons (no key needed; for a load balancer)."""
    problems = []
    if request.app.state.holder.current is None:
        problems.append("no index loaded")
    problem = await run_in_threadpool(_database_reachable, request)
    if problem:
        problems.append(problem)
    body = {"status": "not ready" if problems else "ready", "problems": problems}
    return JSONResponse(body, status_code=503 if problems else 200)


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of every worker process: requests by route template and status,
    latency histograms, imports and nightly runs, index age and size (no key needed; bind the
    service to the intranet only)."""
    from api.observe import scrape_registry

    body = await run_in_threadpool(generate_latest, scrape_registry(request.app))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@router.get("/version")
def get_version(
    holder: HolderDep, _principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> VersionPublic:
    """Index version (snapshot name), stored and indexed counts, model card summary (any valid
    key: it tells how many persons are stored)."""
    stored = counts(session)
    loaded = holder.current
    engine = loaded.engine if loaded else None
    return VersionPublic(
        version=_package_version(),
        index_version=loaded.version if loaded else None,
        indexed_postings=len(engine.posting_ids_) if engine else 0,
        indexed_persons=len(getattr(engine, "person_ids_", ())) if engine else 0,
        persons=stored["persons"],
        postings=stored["postings"],
        model_card=model_card_summary(settings.models_dir),
        last_rebuild_error=holder.last_error,
        ranker=loaded.ranker if loaded else "hand weights",
        ranker_error=loaded.ranker_error if loaded else None,
    )
