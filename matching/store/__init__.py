"""The database: SQLAlchemy 2 tables, Alembic migrations and repository functions.

SQLite (a file under ``data/``) by default, PostgreSQL by URL; the same code and the same
migrations run on both. Core functions take an ``Engine`` or a URL explicitly; reading
``SONGGANG_DATABASE_URL`` is the job of the CLI and the API.

- :mod:`matching.store.db`: ``make_engine``, ``upgrade`` (Alembic to head), ``session_scope``.
- :mod:`matching.store.tables`: the ORM tables.
- :mod:`matching.store.repository`: bulk upserts of persons and postings, readers returning
  :class:`~matching.schemas.Person` / :class:`~matching.schemas.Posting`.
"""

from __future__ import annotations
