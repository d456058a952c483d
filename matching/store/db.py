"""Engines, migrations and sessions.

SQLite gets the settings a small multi-process deployment needs: WAL journal (readers do not
block the writer), foreign keys on, a busy timeout instead of immediate "database is locked",
and real ``BEGIN`` statements so that a transaction covers reads and writes alike (Python's
``sqlite3`` module would otherwise begin lazily at the first write). PostgreSQL needs nothing
special.

Migrations live in ``matching/store/migrations`` and are driven programmatically; there is no
``alembic.ini``. ``upgrade(engine)`` brings any database to the newest revision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

DEFAULT_PATH = Path("data/songgang.db")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str | None = None, *, default_path: Path = DEFAULT_PATH) -> Engine:
    """Create an engine for ``url``, or for a SQLite file at ``default_path`` when None.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL: ``sqlite:///data/songgang.db``,
        ``postgresql+psycopg://user@host/db``. None uses ``default_path``.
    default_path : Path
        The SQLite file used when ``url`` is None.

    Returns
    -------
    Engine
        For SQLite files the parent folder is created and every connection runs in WAL mode
        with foreign keys on and a 30 s busy timeout.
    """
    parsed = make_url(url) if url else make_url(f"sqlite:///{default_path}")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or parsed.query.get("mode") == "memory"
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
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
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
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


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is one transaction: committed on success, rolled back on error.

    Examples
    --------
    >>> with session_scope(engine) as session:  # doctest: +SKIP
    ...     upsert_persons(session, persons)
    """
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
