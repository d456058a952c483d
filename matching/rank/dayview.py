"""The postings open on one day, as the flat search reads them: built once per day.

On the busiest day of a 100,000-posting board about a quarter of the postings are open (valid,
not filled, not stood for by a later repost). Every recommendation of that day tests its hard
filters and scores its retrieval vector on those rows only, so :class:`DayView` keeps their
attributes, retrieval vectors and places as contiguous arrays. When every posting is open (a
snapshot indexes the postings valid on its day) the view shares the engine's arrays (the
transposed copy of the vectors aside).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.rank.filters import DayBitmaps, district_column, open_on, unit_vectors
from matching.rank.tables import PostingTable


@dataclass(frozen=True, slots=True)
class DayView:
    """The postings open on ``day``: ``rows`` (ascending) of the engine's table and, aligned
    with them, their attributes (``table``), retrieval vectors and places on the unit sphere.
    ``columns`` is the vectors transposed, ``(d, rows)`` C-contiguous: the layout one query's
    product over every open posting reads fastest.

    ``opened`` is :func:`~matching.rank.filters.open_on` of the whole table (n,), and
    ``position`` each posting row's place in ``rows`` (−1 when closed that day). ``bitmaps``
    keeps the day's filters as bitmaps of all n rows (what an IVF search selects by).
    """

    day: dt.date
    rows: npt.NDArray[np.int64]
    opened: npt.NDArray[np.bool_]
    position: npt.NDArray[np.int64]
    table: PostingTable
    vectors: npt.NDArray[np.float32]
    columns: npt.NDArray[np.float32]
    units: npt.NDArray[np.float64]
    district_column: npt.NDArray[np.int64]
    bitmaps: DayBitmaps

    @classmethod
    def of(cls, table: PostingTable, vectors: npt.NDArray[np.float32], day: dt.date) -> DayView:
        """The view of ``table`` (and its retrieval ``vectors``) on ``day``."""
        opened = open_on(table, day)
        rows = np.flatnonzero(opened).astype(np.int64)
        position = np.full(opened.size, -1, np.int64)
        position[rows] = np.arange(rows.size)
        if rows.size < opened.size:
            table = table.take(rows)
            vectors = np.ascontiguousarray(vectors[rows])
        units, districts = unit_vectors(table.lat, table.lon), district_column(table.district)
        return cls(
            day=day,
            rows=rows,
            opened=opened,
            position=position,
            table=table,
            vectors=vectors,
            columns=np.ascontiguousarray(vectors.T),
            units=units,
            district_column=districts,
            bitmaps=DayBitmaps(rows, table, units, districts, opened.size),
        )
