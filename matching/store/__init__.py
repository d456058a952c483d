"""The database: SQLAlchemy 2 tables, Alembic migrations and repository functions.

SQLite (a file under ``data/``) by default, PostgreSQL by URL; the same code and the same
migrations run on both. Core functions take an ``Engine`` or a URL explicitly; reading
``SONGGANG_DATABASE_URL`` is the job of the CLI and the API.

- :mod:`matching.store.db`: ``make_engine``, ``upgrade`` (Alembic to head), ``session_scope``.
- :mod:`matching.store.tables`: the ORM tables.
- :mod:`matching.store.persons`, :mod:`matching.store.postings`: bulk upserts of persons and
  postings, readers returning :class:`~matching.schemas.Person` /
  :class:`~matching.schemas.Posting`.
- :mod:`matching.store.fingerprints`: the hashes that identify records and detect changes;
  :mod:`matching.store.embedded`: locations and pay ↔ their columns; :mod:`matching.store.bulk`:
  chunked bulk writes and ``UpsertStats``.
- :mod:`matching.store.activity`: import runs, the audit log, declined outcomes, row counts.
"""

from __future__ import annotations
