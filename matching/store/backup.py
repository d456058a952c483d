"""Backups of a songgang installation: the SQLite database, the current index snapshot and the
keys file, in one folder with a manifest of SHA-256 checksums; and their restore.

Layout of a backup folder::

    DIR/
      manifest.json      what is inside: created_at, database revision, files with size and SHA-256
      songgang.db        the SQLite database (absent for PostgreSQL: use pg_dump, docs/deploy.md)
      index/CURRENT      the snapshot that was current, and its folder
      index/<snapshot>/
      keys.json          the hashed API keys (and keys.json.last-used when present)

The database is copied with SQLite's online backup API, so the copy is consistent while the
service reads and writes (WAL); snapshot folders never change once published, and a snapshot
pruned during the copy makes the copy start over with the new current one. The backup is
written to ``DIR.partial`` and renamed at the end: a folder named ``DIR`` is always complete.
This module knows no HTTP; the caller passes how to find the current snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from matching.exceptions import MatchingError

MANIFEST = "manifest.json"
DB_NAME = "songgang.db"
KEYS_NAME = "keys.json"
FORMAT = 1


class BackupError(MatchingError):
    """A backup or restore that cannot be done; nothing was changed."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What a backup holds: its folder, snapshot name and files (relative path → bytes)."""

    folder: Path
    snapshot: str | None
    database: bool
    files: dict[str, int]


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError(f"内存数据库无法备份 / an in-memory database cannot be backed up: {url}")
    return Path(parsed.database)


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page with the online backup API, then check it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        (result,) = dst.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(
                f"备份的数据库校验失败 / the copied database fails its check: {result}"
            )
    finally:
        dst.close()
        src.close()


def _revision(db_file: Path) -> str | None:
    con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        con.close()
    return row[0] if row else None


def _copy_snapshot(current: Callable[[], Path], index_out: Path, tries: int = 3) -> str:
    for _ in range(tries):
        folder = current()
        shutil.rmtree(index_out, ignore_errors=True)
        try:
            shutil.copytree(folder, index_out / folder.name)
        except (FileNotFoundError, shutil.Error):
            continue  # pruned while copying: a newer snapshot is current now
        if current() == folder:
            (index_out / "CURRENT").write_text(folder.name + "\n", encoding="utf-8")
            return folder.name
    raise BackupError("索引在复制时不断更新 / the index kept changing while it was copied; retry")


def backup(
    out: Path,
    *,
    database_url: str,
    current_snapshot: Callable[[], Path] | None,
    keys_file: Path,
    include_database: bool = True,
) -> BackupResult:
    """Write a backup folder ``out`` (which must not exist yet).

    ``current_snapshot`` returns the current snapshot's folder (None: no index yet). With
    ``include_database`` False (PostgreSQL) only the index and keys are written.

    Raises
    ------
    BackupError
        ``out`` exists, the database is not SQLite while ``include_database``, or a copy failed.
    """
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} 已存在 / {out} exists: choose a new folder for each backup")
    db_file = sqlite_path(database_url) if include_database else None
    if include_database and db_file is None:
        raise BackupError(
            "PostgreSQL 请用 pg_dump 备份数据库 / back up a PostgreSQL database with pg_dump "
            "(docs/deploy.md); --no-database backs up the index and keys only"
        )
    if db_file is not None and not db_file.exists():
        raise BackupError(f"数据库文件不存在 / no database file {db_file}")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        if db_file is not None:
            copy_sqlite(db_file, partial / DB_NAME)
        snapshot = _copy_snapshot(current_snapshot, partial / "index") if current_snapshot else None
        for name in (KEYS_NAME, KEYS_NAME + ".last-used"):
            source = Path(keys_file).with_name(Path(keys_file).name + name[len(KEYS_NAME) :])
            if source.exists():
                shutil.copy2(source, partial / name)
                os.chmod(partial / name, 0o600)
        files = {
            p.relative_to(partial).as_posix(): p for p in sorted(partial.rglob("*")) if p.is_file()
        }
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": "sqlite" if db_file else None,
            "revision": _revision(partial / DB_NAME) if db_file else None,
            "snapshot": snapshot,
            "files": {
                k: {"size": p.stat().st_size, "sha256": _sha256(p)} for k, p in files.items()
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        os.replace(partial, out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(
        out, snapshot, db_file is not None, {k: p["size"] for k, p in manifest["files"].items()}
    )


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a backup folder, every file checked against its SHA-256.

    Raises
    ------
    BackupError
        No manifest, or a file missing or changed.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise BackupError(
            f"{folder} 不是备份文件夹 / not a backup folder ({MANIFEST}: {exc})"
        ) from None
    for name, meta in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            raise BackupError(f"备份文件缺失或已损坏 / backup file missing or changed: {path}")
    return manifest


def restore(
    folder: Path, *, database_url: str, index_dir: Path, keys_file: Path, force: bool = False
) -> dict[str, Any]:
    """Put a backup back: the SQLite database, the snapshot (made current) and the keys file.

    Run it with the service stopped. Checks every file first; refuses to overwrite an existing
    database unless ``force``. Returns the manifest.

    Raises
    ------
    BackupError
        A damaged backup, a database that exists (without ``force``), or a SQLite backup
        restored onto a PostgreSQL URL.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest["database"]:
        target = sqlite_path(database_url)
        if target is None:
            raise BackupError(
                "这是SQLite备份 / this backup holds a SQLite database; set SONGGANG_DATABASE_URL "
                "to a sqlite:/// file (PostgreSQL: pg_restore, docs/deploy.md)"
            )
        if target.exists() and not force:
            raise BackupError(
                f"{target} 已存在 / {target} exists: stop the service and add --force"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_sqlite(folder / DB_NAME, target)
    if manifest["snapshot"]:
        name = manifest["snapshot"]
        index_dir = Path(index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        if not (index_dir / name).exists():
            shutil.copytree(folder / "index" / name, index_dir / f".{name}.restoring")
            os.replace(index_dir / f".{name}.restoring", index_dir / name)
        pointer = index_dir / f".CURRENT.{os.getpid()}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, index_dir / "CURRENT")
    for name in (KEYS_NAME, KEYS_NAME + ".last-used"):
        if (folder / name).exists():
            target_file = Path(keys_file).with_name(Path(keys_file).name + name[len(KEYS_NAME) :])
            target_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = target_file.with_name(f".{target_file.name}.restoring")
            shutil.copy2(folder / name, tmp)
            os.chmod(tmp, 0o600)
            os.replace(tmp, target_file)
    return manifest
