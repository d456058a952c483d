"""Imports and nightly runs summed up for monitoring (``/metrics``): count by kind and status,
total duration of the finished ones, when the last one finished, and their integer counts
(an import's read/inserted/…/rejected rows; a nightly run's persons, covered and pushes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.store.nightly_tables import NightlyRunRow
from matching.store.tables import ImportRunRow

IMPORT_COUNTS = ("read", "inserted", "updated", "unchanged", "duplicates", "rejected")


@dataclass(slots=True)
class RunStat:
    """The runs of one kind (``persons``/``postings``/``nightly``) with one status."""

    kind: str
    status: str
    runs: int = 0
    seconds: float = 0.0
    last_finished: dt.datetime | None = None
    rows: dict[str, float] = field(default_factory=dict)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC


def _sum(
    runs: Iterable[tuple[str, str, dt.datetime | None, dt.datetime | None, Mapping[str, Any]]],
) -> list[RunStat]:
    stats: dict[tuple[str, str], RunStat] = {}
    for kind, status, started, finished, counts in runs:
        stat = stats.setdefault((kind, status), RunStat(kind, status))
        stat.runs += 1
        started, finished = _aware(started), _aware(finished)
        if started is not None and finished is not None:
            stat.seconds += max(0.0, (finished - started).total_seconds())
            if stat.last_finished is None or finished > stat.last_finished:
                stat.last_finished = finished
        for name, value in counts.items():
            if isinstance(value, int) and not isinstance(value, bool):  # counts, not shares
                stat.rows[name] = stat.rows.get(name, 0) + value
    return sorted(stats.values(), key=lambda s: (s.kind, s.status))


def run_stats(session: Session) -> dict[str, list[RunStat]]:
    """``{"import": [...], "nightly": [...]}`` over every recorded run."""
    cols = [getattr(ImportRunRow, c) for c in IMPORT_COUNTS]
    imports = session.execute(
        select(ImportRunRow.kind, ImportRunRow.status, ImportRunRow.started_at,
               ImportRunRow.finished_at, *cols)
    )  # fmt: skip
    nightly = session.execute(
        select(NightlyRunRow.status, NightlyRunRow.started_at, NightlyRunRow.finished_at,
               NightlyRunRow.counts)
    )  # fmt: skip
    return {
        "import": _sum(
            (r[0], r[1], r[2], r[3], dict(zip(IMPORT_COUNTS, r[4:], strict=True))) for r in imports
        ),
        # a nightly run's counts: those of the capped allocation, the one that was pushed
        "nightly": _sum(
            ("nightly", r[0], r[1], r[2], (r[3] or {}).get("capped", r[3] or {})) for r in nightly
        ),
    }
