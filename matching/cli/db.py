"""``songgang db upgrade`` / ``songgang db revision``: the database schema (Alembic migrations
under :mod:`matching.store.migrations`). Every command and the service upgrade on start too;
this runs the step on its own, e.g. after installing a new version and before starting it."""

from __future__ import annotations

import typer

from matching.cli.common import DEFAULT_DB, DbUrl, out

__all__ = ["db_app"]

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: DbUrl = DEFAULT_DB) -> None:
    """Apply the migrations up to the newest; prints the revision before and after."""
    from matching.store.db import current_revision, make_engine, upgrade

    engine = make_engine(db)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    out.print(f"数据库结构 schema: {before or 'empty'} -> {after}" if before != after
              else f"数据库结构已是最新 / schema up to date: {after}")  # fmt: skip


@db_app.command("revision")
def db_revision(db: DbUrl = DEFAULT_DB) -> None:
    """Print the database's current Alembic revision (``empty`` before the first upgrade)."""
    from matching.store.db import current_revision, make_engine

    out.print(current_revision(make_engine(db)) or "empty")
