"""``songgang backup --out DIR`` and ``songgang restore DIR``: the SQLite database (online backup
API, consistent while the service runs), the current index snapshot and the keys file.
Thin: parse arguments → :mod:`matching.store.backup` → print. PostgreSQL: pg_dump/pg_restore
for the database (docs/deploy.md), ``--no-database`` here for the index and keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import DEFAULT_DB, DbUrl, IndexDir, fail, out
from matching.cli.keys import DEFAULT_KEYS, KeysFile

__all__ = ["backup", "restore"]


def backup(
    out_dir: Annotated[Path, typer.Option("--out", help="New folder for this backup.")],
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    keys_file: KeysFile = DEFAULT_KEYS,
    database: Annotated[
        bool, typer.Option(help="Include the SQLite database (--no-database for PostgreSQL).")
    ] = True,
) -> None:
    """Back up the database, the current index snapshot and the keys file into a new folder."""
    from matching.exceptions import NotFoundError
    from matching.rank.snapshots import current_path
    from matching.store import backup as store_backup

    try:
        current_path(index_dir)
        current = lambda: current_path(index_dir)  # noqa: E731
    except NotFoundError:
        current = None
    try:
        result = store_backup.backup(
            out_dir, database_url=db, current_snapshot=current, keys_file=keys_file,
            include_database=database,
        )  # fmt: skip
    except store_backup.BackupError as exc:
        fail(str(exc))
        return
    size = sum(result.files.values()) / 1e6
    out.print(
        f"备份完成 backup written: {result.folder} ({len(result.files)} files, {size:.1f} MB)"
    )
    out.print(
        f"  数据库 database: {'songgang.db' if result.database else 'not included (pg_dump)'}"
    )
    out.print(f"  索引 index snapshot: {result.snapshot or 'none'}")


def restore(
    folder: Annotated[Path, typer.Argument(help="A folder written by `songgang backup`.")],
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    keys_file: KeysFile = DEFAULT_KEYS,
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing database (stop the service first).")
    ] = False,
) -> None:
    """Restore a backup (checked against its checksums first) with the service stopped."""
    from matching.store import backup as store_backup

    try:
        manifest = store_backup.restore(
            folder, database_url=db, index_dir=index_dir, keys_file=keys_file, force=force
        )
    except store_backup.BackupError as exc:
        fail(str(exc))
        return
    out.print(f"已恢复 restored the backup of {manifest['created_at']} from {folder}")
    if not manifest["database"]:
        out.print("  数据库不在备份中 / the database was not in this backup: pg_restore it")
