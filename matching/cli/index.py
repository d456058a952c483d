"""``songgang index build``: the search index snapshot from the postings in the database."""

from __future__ import annotations

from pathlib import Path

import typer

from matching.cli.common import DEFAULT_DB, DbUrl, IndexDateOpt, IndexDir, fail, open_db, out

__all__ = ["index_app"]

index_app = typer.Typer(help="Build the search index.", no_args_is_help=True)


@index_app.command("build")
def index_build(
    db: DbUrl = DEFAULT_DB, index_dir: IndexDir = Path("data/index"), date: IndexDateOpt = None
) -> None:
    """Build the search index from the postings in the database and publish it."""
    from matching.exceptions import EmptyInputError
    from matching.ingest.halves import forking
    from matching.rank.snapshots import build_snapshot

    try:  # a command is one thread: its table's second half may be read in a fork
        with forking():
            path = build_snapshot(open_db(db), index_dir, active_on=date.date() if date else None)
    except EmptyInputError as exc:
        fail(str(exc))
    out.print(f"索引已建立 index built: {path}")
