"""Index snapshots: build an engine from the database, publish it atomically, load the current one.

Layout under ``root`` (e.g. ``data/index``)::

    root/
      20241021T080000-5000/     one saved MatchingEngine per build (manifest.json inside)
      CURRENT                   the name of the published snapshot (replaced atomically)

A build writes a new folder and then swaps ``CURRENT`` with ``os.replace``, so a reader either
sees the old snapshot or the new one, never half of one. Old snapshots beyond ``keep`` are removed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from matching.config import MatchingConfig
from matching.exceptions import EmptyInputError, NotFoundError
from matching.rank.engine import MatchingEngine

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matching.ingest.segment import FieldCache
    from matching.schemas import Posting

CURRENT = "CURRENT"


def build_snapshot(
    db_engine: object,
    root: Path,
    *,
    active_on: dt.date | None = None,
    config: MatchingConfig | None = None,
    keep: int = 3,
    fields: FieldCache | None = None,
    written: Mapping[str, Posting] | None = None,
) -> Path:
    """Fit a :class:`MatchingEngine` on the postings valid on ``active_on`` and publish it.

    Parameters
    ----------
    db_engine : sqlalchemy.Engine
    root : Path
        Folder holding the snapshots.
    active_on : date, optional
        Only postings valid that day (not filled) are indexed; None indexes every unfilled posting.
    fields : dict, optional
        Titles and descriptions already cut (:func:`~matching.ingest.segment.segment_fields`,
        e.g. by the import that ran just before in the same process): they are not cut again.
    written : mapping, optional
        Postings that import wrote, by content hash
        (:func:`~matching.ingest.importer.import_postings`): their rows are not read back from
        their columns (:func:`~matching.store.postings.load_postings`).

    Returns
    -------
    Path
        The new snapshot folder (now current).
    """
    from matching.ingest.segment import normalized_texts, segment_fields, text_tokens
    from matching.store.db import session_scope
    from matching.store.postings import load_postings

    with session_scope(db_engine) as session:  # type: ignore[arg-type]
        postings = load_postings(session, active_on=active_on, unfilled=True, known=written)
    if not postings:
        raise EmptyInputError(
            "数据库中没有可建索引的有效岗位 / no valid postings in the database to index; "
            "import postings first (songgang import postings FILE)"
        )
    words, texts = segment_fields(postings, fields)
    engine = MatchingEngine(config).fit(
        postings, tokens=text_tokens(words), normalized=normalized_texts(texts)
    )
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{len(postings)}"
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{name}.tmp"
    engine.save(tmp)
    tmp.rename(root / name)
    publish(root, name)
    _prune(root, keep)
    return root / name


def publish(root: Path, name: str) -> None:
    """Make ``name`` the current snapshot (atomic)."""
    pointer = root / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(name + "\n", encoding="utf-8")
    os.replace(pointer, root / CURRENT)


def current_path(root: str | os.PathLike[str]) -> Path:
    """The folder of the current snapshot. Raises NotFoundError when none was built."""
    root = Path(root)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NotFoundError(
            f"{root} 下没有索引，请先运行 songgang index build / no index under {root}; "
            "run `songgang index build` first"
        ) from None
    return root / name


def load_current(root: str | os.PathLike[str]) -> MatchingEngine:
    """Open the published snapshot under ``root``: the fitted :class:`MatchingEngine` in it.

    The public way to get the engine that ``songgang index build`` (:func:`build_snapshot`)
    last published; the API and the nightly run serve this one.

    Raises
    ------
    NotFoundError
        No snapshot was published under ``root``.
    ModelFormatError
        The snapshot's format is unknown or a file's checksum differs (rebuild the index).
    """
    return MatchingEngine.load(current_path(root))


def _prune(root: Path, keep: int) -> None:
    try:
        current = current_path(root).name
    except NotFoundError:
        return
    snapshots = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in snapshots[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
