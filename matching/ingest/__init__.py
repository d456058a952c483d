"""Bureau spreadsheets → validated records + rejects, and the importer into the store.

The flow::

    read_table(path)            header row found among the first rows, headers normalised
        ▼
    read_persons / read_postings
        │  header → field via matching.domain.columns; missing required columns → MissingColumnsError
        │  each row: cells parsed (cells, choices, salary, requirements, location),
        │            cross-checked, then validated by the frozen pydantic model
        ▼
    LoadResult(items=[(row, Person)…], errors=[RowError…])  ── write_rejects → <stem>.rejects.csv

A bad row never stops the import: it becomes exactly one :class:`RowError` naming the
first problem found (column, value, reason in Chinese and English), so an operator's
spreadsheet does not lose 999 good rows to one bad one and nothing is silently dropped.
Row numbers are the ones a person sees in Excel (1-based, title and header rows counted).
Reading needs no database; :mod:`matching.ingest.importer` writes what was read to the store.

- :mod:`matching.ingest.readers`: :func:`read_table`, encodings, the header row, header mapping.
- :mod:`matching.ingest.cells`, :mod:`matching.ingest.choices`: one cell → one value.
- :mod:`matching.ingest.rows`: one row → one model or one :class:`RowError`.
- :mod:`matching.ingest.persons`, :mod:`matching.ingest.postings`: :func:`read_persons`,
  :func:`read_postings`.
- :mod:`matching.ingest.writers`: :func:`write_table`, :func:`write_rejects`.
- :mod:`matching.ingest.importer`: the transactional import into the database.
"""

from __future__ import annotations

from matching.ingest.persons import read_persons
from matching.ingest.postings import read_postings
from matching.ingest.readers import Table, normalize_header, read_table
from matching.ingest.rows import LoadResult, RowError
from matching.ingest.writers import write_rejects, write_table

__all__ = [
    "LoadResult",
    "RowError",
    "Table",
    "normalize_header",
    "read_persons",
    "read_postings",
    "read_table",
    "write_rejects",
    "write_table",
]
