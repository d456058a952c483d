"""HTTP service over :mod:`matching`: caseworkers, job-fair organisers and the city bureau.

``create_app(settings)`` in :mod:`api.main` builds the FastAPI application; the engine and the
persons' reverse index are loaded once in its lifespan.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args: object, **kwargs: object) -> object:
    """Lazy alias of :func:`api.main.create_app` (nothing heavy at import)."""
    from api.main import create_app as _create_app

    return _create_app(*args, **kwargs)  # type: ignore[arg-type]
