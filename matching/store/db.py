"""Engines, migrations and sessions.

SQLite gets the settings a small multi-process deployment needs: WAL journal (readers do not
block the writer), foreign keys on, a busy timeout instead of immediate "database is locked",
and real ``BEGIN`` statements so that a transaction covers reads and writes alike (Python's
``sqlite3`` module would otherwise begin lazily at the first write; SQLAlchemy's documented
recipe for pysqlite, "Serializable isolation / Savepoints / Transactional DDL").

Write transactions take the write lock first. A SQLite transaction that reads and then writes
fails at once with "database is locked" when another connection committed in between (a stale
WAL snapshot gets no busy wait), so every write path opens its transaction in write mode
(:func:`write_session`, :func:`write_connection`, or the session of :func:`session_scope` with
``write=True``): SQLite runs ``BEGIN IMMEDIATE``, which waits in the busy handler; PostgreSQL
takes one transaction-level advisory lock with a ``lock_timeout``, so writers queue the same
way on both. Taking the lock is retried a few times with backoff; when it is still held the
database error stays an ``OperationalError`` that :func:`is_busy` recognises (the API answers
503 with ``Retry-After``).

Migrations live in ``matching/store/migrations`` and are driven programmatically; there is no
``alembic.ini``. ``upgrade(engine)`` brings any database to the newest revision.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path("data/songgang.db")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
LOCK_ATTEMPTS = 3  # tries at taking the write lock, each waiting up to the busy timeout
LOCK_BACKOFF_S = 0.2  # first pause between tries; doubled each time, with jitter
WRITE = "songgang_write"  # the execution option that marks a write transaction
# pg_advisory_xact_lock key of the write lock: b"songgang" as a signed 64-bit integer
_PG_WRITE_LOCK = int.from_bytes(b"songgang", "big", signed=True)
# SQLSTATEs of PostgreSQL's "try again": serialization failure, deadlock, lock timeout
_PG_BUSY = frozenset({"40001", "40P01", "55P03"})


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` means "the database is busy, try again later".

    SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY, SQLITE_LOCKED)
    and PostgreSQL's serialization failure, deadlock and lock timeout are; anything else
    (a broken query, a constraint) is not.
    """
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_BUSY or getattr(orig, "pgcode", None) in _PG_BUSY:
        return True
    text = str(orig).lower()
    return isinstance(exc, OperationalError) and ("is locked" in text or "is busy" in text)


def make_engine(
    url: str | None = None,
    *,
    default_path: Path = DEFAULT_PATH,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    """Create an engine for ``url``, or for a SQLite file at ``default_path`` when None.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL: ``sqlite:///data/songgang.db``,
        ``postgresql+psycopg://user@host/db``. None uses ``default_path``.
    default_path : Path
        The SQLite file used when ``url`` is None.
    busy_timeout_ms : int
        How long one try at the write lock waits (SQLite's busy timeout, PostgreSQL's
        ``lock_timeout`` for the write lock); :data:`LOCK_ATTEMPTS` tries are made.

    Returns
    -------
    Engine
        For SQLite files the parent folder is created and every connection runs in WAL mode
        with foreign keys on and the busy timeout.
    """
    parsed = make_url(url) if url else make_url(f"sqlite:///{default_path}")
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, pool_pre_ping=True)
        _configure_postgres(engine, busy_timeout_ms=busy_timeout_ms)
        return engine
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or parsed.query.get("mode") == "memory"
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": busy_timeout_ms / 1000})
    _configure_sqlite(engine, wal=not in_memory, busy_timeout_ms=busy_timeout_ms)
    return engine


def _take_write_lock(connection: Connection, statements: tuple[str, ...]) -> None:
    """Run ``statements`` (which take the write lock), retrying with backoff while busy."""
    pause = LOCK_BACKOFF_S
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            for statement in statements:
                connection.exec_driver_sql(statement)
            return
        except OperationalError as exc:
            if not is_busy(exc) or attempt == LOCK_ATTEMPTS:
                raise
            connection.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
            logger.warning("write lock busy (try %d of %d), retrying", attempt, LOCK_ATTEMPTS)
            time.sleep(pause * (1 + random.random()))
            pause *= 2


def _configure_postgres(engine: Engine, *, busy_timeout_ms: int) -> None:
    statements = (
        f"SET LOCAL lock_timeout = {int(busy_timeout_ms)}",
        f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})",
    )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE):
            _take_write_lock(connection, statements)


def _configure_sqlite(engine: Engine, *, wal: bool, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; "begin" below emits BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at checkpoints, not at every commit: the database stays
            # consistent; only the last commits before a power cut may be lost (SQLite docs,
            # "WAL mode ... synchronous=NORMAL"). Every API request commits an audit row, so
            # FULL costs an fsync per request. Deployments that need more use PostgreSQL.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE):
            _take_write_lock(connection, ("BEGIN IMMEDIATE",))
        else:
            connection.exec_driver_sql("BEGIN")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` (default: the newest).

    Safe to call on every start: an up-to-date database is left alone.
    """
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def write_session(session: Session) -> Session:
    """End ``session``'s transaction (committing it) and start a write transaction.

    The new transaction holds the write lock from its first statement on (see the module
    docstring), so what it reads cannot go stale before it writes.

    Raises
    ------
    sqlalchemy.exc.OperationalError
        The lock was still held after :data:`LOCK_ATTEMPTS` tries (:func:`is_busy` is true).
    """
    session.commit()
    session.connection(execution_options={WRITE: True})
    return session


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A Core connection in one write transaction: committed on success, rolled back on error."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            yield connection


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose work is one transaction: committed on success, rolled back on error.

    ``write=True`` takes the write lock when the transaction starts (see the module docstring):
    pass it for every transaction that writes.

    Examples
    --------
    >>> with session_scope(engine, write=True) as session:  # doctest: +SKIP
    ...     upsert_persons(session, persons)
    """
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if write:
            session.connection(execution_options={WRITE: True})
        yield session
