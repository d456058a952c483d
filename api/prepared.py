"""A hot read compiled once: one Core SELECT run on a pooled driver connection.

The busiest request reads one person (and their declined postings) in one statement. Through
SQLAlchemy's ``Connection`` that statement also costs a ``BEGIN`` (the engine's ``begin`` hook),
a ``ROLLBACK`` at the connection's return, the compiled-cache lookup and the result machinery:
about 0.2 ms of CPU against 0.07 for the statement on the driver's connection
(docs/benchmarks.md). A single statement needs no transaction around it: it reads one
consistent snapshot by itself (SQLite and PostgreSQL alike), committed data only, as of now.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Select
from sqlalchemy.exc import DBAPIError


class PreparedSelect:
    """``stmt`` compiled once for ``db``'s dialect; :meth:`all` runs it with the bound values
    and gives its rows as named tuples, each column's value as SQLAlchemy gives it (the
    columns' own result processors: SQLite's dates and JSON read back as a ``Connection``
    reads them)."""

    def __init__(self, db: Engine, stmt: Select[Any]) -> None:
        dialect = db.dialect
        self._db = db
        self._compiled = stmt.compile(dialect=dialect)
        self.sql = str(self._compiled)
        self._order = tuple(self._compiled.positiontup or ()) if self._compiled.positional else None
        self._dialect = dialect
        self._types = [c.type.dialect_impl(dialect) for c in stmt.selected_columns]
        self._row = namedtuple("Row", stmt.selected_columns.keys())  # type: ignore[misc]
        # per the driver's column type codes (a processor may depend on them: PostgreSQL's
        # numeric types), as SQLAlchemy's own results make them
        self._by_codes: dict[tuple[Any, ...], list[tuple[int, Callable[[Any], Any]]]] = {}

    def _processors(self, description: Any) -> list[tuple[int, Callable[[Any], Any]]]:
        codes = tuple(d[1] for d in description)
        found = self._by_codes.get(codes)
        if found is None:
            pairs = zip(self._types, codes, strict=True)
            made = [kind.result_processor(self._dialect, code) for kind, code in pairs]
            found = self._by_codes[codes] = [(i, p) for i, p in enumerate(made) if p is not None]
        return found

    def all(self, **values: Any) -> list[Any]:
        """The statement's rows for these bound values (a pooled connection, returned at once;
        its pool resets it, ending the driver's implicit transaction where it opened one)."""
        params = self._compiled.construct_params(values)
        bound = params if self._order is None else tuple(params[k] for k in self._order)
        error = self._dialect.loaded_dbapi.Error
        conn = self._db.raw_connection()
        try:
            cursor = conn.cursor()
            try:
                cursor.execute(self.sql, bound)
                fetched = cursor.fetchall()
                processors = self._processors(cursor.description)
            finally:
                cursor.close()
        except error as exc:  # wrapped as SQLAlchemy's reads wrap it: a busy database is a 503
            raise DBAPIError.instance(
                self.sql, bound, exc, error, hide_parameters=True, dialect=self._dialect
            ) from exc
        finally:
            conn.close()
        rows = []
        for raw in fetched:
            row = list(raw)
            for i, process in processors:
                row[i] = process(row[i])
            rows.append(self._row._make(row))
        return rows
