"""Request dependencies: settings, database session, caller, engine, scoped person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.security import KeyCheck
from api.settings import Settings
from api.state import EngineHolder, Loaded
from matching.store import access
from matching.store.db import write_session
from matching.store.keyauth import Principal
from matching.store.keys import Role
from matching.store.tables import PersonRow

# Dependencies that never block are ``async def``: FastAPI runs a plain ``def`` dependency in
# the thread pool, and each such hop costs a thread switch and, under load, a wait for the GIL
# (up to the 5 ms switch interval). Only work that touches the database stays ``def``.


async def get_app_settings(request: Request) -> Settings:
    """The settings the application was built with (:func:`api.main.create_app`).

    Read from the app, not injected with ``app.dependency_overrides``: with any override set,
    FastAPI re-analyses every dependency of every request (a fifth of a recommendation's time).
    """
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

NOT_FOUND_PERSON = "没有此人 / no such person"


def get_db(request: Request) -> Engine:
    """The SQLAlchemy engine opened in the lifespan."""
    return request.app.state.db  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session (one pooled connection) per request: committed when the handler returns,
    rolled back on an error. Handlers may commit midway (see :func:`write_first`).

    Opening a session does no I/O (it connects on first use); the commit may wait for a write
    lock, so it runs in the thread pool (skipped when the handler already committed), and so
    does the close after an error (a rollback). After a commit the connection is already back
    in the pool and closing does no I/O.
    """
    session = Session(get_db(request), expire_on_commit=False)
    try:
        yield session
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            await run_in_threadpool(session.commit)
    except BaseException:
        await run_in_threadpool(session.close)
        raise
    session.close()


def write_first(session: Session) -> Session:
    """End the session's read transaction and start one that holds the write lock.

    On SQLite (WAL) a transaction that reads and later writes fails with "database is
    locked" at once when another request committed meanwhile (a stale snapshot gets no busy
    wait); see :func:`matching.store.db.write_session`. A lock still held after the retries
    is a 503 (:mod:`api.errors`).

    Commit in the handler once the write is done: left to :func:`get_session`, the commit
    would wait for a thread of the pool while holding the write lock, and the pool's threads
    may all be waiting for the audit writer, which waits for that lock.
    """
    return write_session(session)


# scope="function": commit before the response is sent, so a failed commit is an error response
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _current_holder(request: Request) -> EngineHolder:
    holder: EngineHolder = request.app.state.holder
    holder.refresh_if_changed()
    return holder


async def get_holder(request: Request) -> EngineHolder:
    """The engine holder created in the lifespan (reloading when another worker rebuilt)."""
    return _current_holder(request)


HolderDep = Annotated[EngineHolder, Depends(get_holder)]


def current_loaded(request: Request) -> Loaded:
    """The current engine (taken once per request), or 503 while there is no index."""
    loaded = _current_holder(request).current
    if loaded is None:
        raise HTTPException(
            503,
            "索引尚未建立，请先导入岗位 / no index yet: import postings (a rebuild may be running)",
        )
    return loaded


async def get_loaded(request: Request) -> Loaded:
    """:func:`current_loaded` as a dependency.

    Takes the holder itself rather than through :data:`HolderDep`: each dependency FastAPI
    solves costs tens of microseconds of every request, and the busiest routes take this one.
    """
    return current_loaded(request)


LoadedDep = Annotated[Loaded, Depends(get_loaded)]


def require(*roles: Role) -> KeyCheck:
    """A dependency admitting only ``roles`` (others get 403); 401 without a valid key."""
    return KeyCheck(roles)


# Any role with a valid key.
PrincipalDep = Annotated[Principal, Depends(KeyCheck())]


PersonReaderDep = Annotated[Principal, Depends(require("city_admin", "caseworker"))]
AdminDep = Annotated[Principal, Depends(require("city_admin"))]


PersonIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


class _Located(Protocol):
    district: str | None


_Row = TypeVar("_Row", bound=_Located)


def visible_or_404(row: _Row | None, principal: Principal) -> _Row:
    """``row`` (a person) if ``principal`` may see them; 404 otherwise, never 403, so a
    caseworker cannot tell another district's person from no person."""
    if row is None or not principal.sees_district(row.district):
        raise HTTPException(404, NOT_FOUND_PERSON)
    return row


def scoped_person_row(session: Session, person_id: int, principal: Principal) -> PersonRow:
    """The person ``person_id`` if ``principal`` may see them; 404 otherwise (never 403)."""
    return visible_or_404(access.get_person_row(session, person_id), principal)


def get_person_row(
    person_id: PersonIdPath, principal: PersonReaderDep, session: SessionDep
) -> PersonRow:
    """The person ``person_id`` if the caller may see them; 404 otherwise (never 403)."""
    return scoped_person_row(session, person_id, principal)


PersonRowDep = Annotated[PersonRow, Depends(get_person_row)]
