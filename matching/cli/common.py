"""What the ``songgang`` commands share: the consoles, the --db / --index-dir / --date options,
opening the database and failing with a clear message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = [
    "DEFAULT_DB",
    "DateOpt",
    "DbUrl",
    "IndexDateOpt",
    "IndexDir",
    "err",
    "fail",
    "open_db",
    "out",
]

out = Console(highlight=False, soft_wrap=True)  # no hard wraps: output is copied and piped
err = Console(stderr=True, highlight=False)

DEFAULT_DB = "sqlite:///data/songgang.db"
DbUrl = Annotated[
    str, typer.Option("--db", envvar="SONGGANG_DATABASE_URL", help="SQLAlchemy database URL.")
]
IndexDir = Annotated[
    Path, typer.Option("--index-dir", envvar="SONGGANG_INDEX_DIR", help="Index snapshots folder.")
]
DateOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="Day postings must be valid on (default: today)."
    ),
]
IndexDateOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--date",
        formats=["%Y-%m-%d"],
        help="Index only the postings valid on this day (default: every unfilled posting).",
    ),
]


def open_db(url: str):  # type: ignore[no-untyped-def]
    """The SQLAlchemy engine for ``url``, its schema upgraded to the latest migration."""
    from matching.store.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    return engine


def fail(message: str, code: int = 2) -> None:
    """Print ``message`` as an error and leave with exit ``code``."""
    err.print(f"[bold red]错误 error:[/] {message}")
    raise typer.Exit(code)
