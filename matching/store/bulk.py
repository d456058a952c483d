"""Bulk writes shared by the repositories: chunked executemany inserts and updates, and
:class:`UpsertStats`, what an upsert did.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

__all__ = [
    "BATCH",
    "IN_CHUNK",
    "UpsertStats",
    "chunks",
    "insert_many",
    "update_many",
]


BATCH = 2_000  # rows per executemany call
IN_CHUNK = 500  # values per IN (...) list; far below SQLite's and PostgreSQL's limits


@dataclass(frozen=True, slots=True)
class UpsertStats:
    """What an upsert did. ``inserted + updated + unchanged + duplicates`` = rows given."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0

    @property
    def total(self) -> int:
        """Rows given to the upsert."""
        return self.inserted + self.updated + self.unchanged + self.duplicates


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_many(session: Session, table: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` into ``table``, one executemany per :data:`BATCH` rows.

    Every row must carry the same keys (column names); a None is written as NULL. The statement
    is Core's INSERT on the mapped table, not the ORM's bulk insert: that one leaves a None
    column out of the statement unless told not to, and its per-row bookkeeping cost a third
    of the write's CPU at 20,000 postings for the same stored rows
    (``tests/store/test_store.py::test_bulk_insert_stores_what_the_orms_row_by_row_insert_stored``).
    """
    stmt = insert(table.__table__)
    for chunk in chunks(rows, BATCH):
        session.execute(stmt, list(chunk))


def update_many(session: Session, table: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE ``table`` from ``rows`` (each holding its primary key), :data:`BATCH` at a time."""
    # ORM bulk UPDATE by primary key: one executemany per chunk.
    for chunk in chunks(rows, BATCH):
        session.execute(update(table), list(chunk))
