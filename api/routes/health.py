"""Liveness and version."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import APIRouter

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
def health(holder: HolderDep) -> Health:
    """Whether the service is up and has an index loaded (no key needed)."""
    return Health(
        status="ok", index_loaded=holder.current is not None, rebuilding=holder.rebuilding
    )


@router.get("/version")
def get_version(
    holder: HolderDep, _principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> VersionPublic:
    """Index version (snapshot name), stored and indexed counts, model card summary."""
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
    )
