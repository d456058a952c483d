"""Generated evaluation data: postings and persons from :mod:`matching.generator`, read back
through :mod:`matching.ingest` (so they look like imported rows), with their truth.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matching.schemas import Person, Posting

__all__ = [
    "busiest_day",
    "generated_persons",
    "generated_postings",
]


def _rows_to_table(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    from matching.ingest.writers import write_table

    headers = list(rows[0]) if rows else []
    return write_table(path, headers, ([r.get(h) for h in headers] for r in rows))


def generated_postings(
    n: int, seed: int = 0, *, chunk: int | None = None
) -> tuple[list[Posting], list[dict[str, Any]]]:
    """Generated postings read back through :func:`matching.ingest.read_postings` (csv), with truth.

    Ids are ``g<seed>-<i>``; rows the reader rejects are dropped together with their truth.
    The rows are written and read in files of at most ``chunk`` rows (the reader's
    ``MAX_ROWS`` by default: it refuses longer files), so a 1M board is the same postings as
    one file would give.
    """
    from matching.generator import generate_postings_with_truth
    from matching.ingest.postings import read_postings
    from matching.ingest.readers import MAX_ROWS

    rows, truth = generate_postings_with_truth(n, seed)
    if not rows:
        return [], []
    step = chunk or MAX_ROWS
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        for lo in range(0, len(rows), step):
            path = _rows_to_table(rows[lo : lo + step], Path(tmp) / f"postings{lo}.csv")
            items.extend(read_postings(path).items)
    by_source = {t["source_id"]: t for t in truth}
    postings, kept = [], []
    for _, p in items:
        t = by_source.get(p.source_id)
        if t is None:
            continue
        postings.append(p.model_copy(update={"id": f"g{seed}-{len(postings)}"}))
        kept.append(t)
    return postings, kept


def generated_persons(
    n: int, seed: int = 0, today: dt.date = dt.date(2024, 10, 21)
) -> tuple[list[Person], list[dict[str, Any]]]:
    """Generated persons read back through :func:`matching.ingest.read_persons`, with truth."""
    from matching.generator import generate_persons_with_truth
    from matching.ingest.persons import read_persons

    rows, truth = generate_persons_with_truth(n, seed)
    if not rows:
        return [], []
    with tempfile.TemporaryDirectory() as tmp:
        result = read_persons(_rows_to_table(rows, Path(tmp) / "persons.csv"), today=today)
    by_id = {t["id_number"]: t for t in truth}
    persons = [p for _, p in result.items if p.id_number in by_id]
    return persons, [by_id[p.id_number] for p in persons]


def busiest_day(postings: Sequence[Posting]) -> dt.date:
    """The day on which the most postings are valid (evaluations rank on that day)."""
    days = sorted({p.valid_from for p in postings if p.valid_from})
    if not days:
        return dt.date(2024, 10, 21)

    def valid_on(d: dt.date) -> int:
        return sum(
            (p.valid_from is None or p.valid_from <= d)
            and (p.valid_until is None or d <= p.valid_until)
            for p in postings
        )

    step = max(1, len(days) // 40)
    return max(days[::step], key=valid_on)
