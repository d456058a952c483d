"""The nightly run's reads and writes in the database.

Reads: the eligible persons (:func:`read_eligible`) and the postings not to send them
(:func:`excluded_postings`). Writes: the run's row (:func:`start_run`), then its pushes and its
success in one transaction (:func:`record_run`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from itertools import chain, islice
from json import loads
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, select, text

from matching.config import MatchingConfig
from matching.domain.retirement import of_working_age
from matching.nightly.push_columns import StoredPushes
from matching.nightly.records import NightlySettings, Registrant
from matching.schemas import Person, PersonStatus

_P = TypeVar("_P", Person, Registrant)


def eligible_persons(
    persons: Iterable[_P], day: dt.date, settings: NightlySettings, config: MatchingConfig
) -> list[_P]:
    """Registered persons of working age (of the chosen districts), sorted by ID number.

    Working age is the engine's (``config.min_working_age`` up to the statutory retirement
    age of :func:`matching.domain.retirement.of_working_age`, women by
    ``config.female_retirement_baseline``): the pushes follow the recommendations' rule.
    """
    wanted = set(settings.districts)
    young, baseline = config.min_working_age, config.female_retirement_baseline
    out = [
        p
        for p in persons
        if p.status == PersonStatus.REGISTERED
        and (not wanted or p.district in wanted)
        and of_working_age(p.birth_date, p.gender, day, min_age=young, female_baseline=baseline)
    ]
    return sorted(out, key=lambda p: p.id_number)


def read_eligible(
    session: Any, day: dt.date, settings: NightlySettings, config: MatchingConfig
) -> list[Registrant]:
    """The stored persons :func:`eligible_persons` keeps, as plain records."""
    from matching.store.persons import iter_person_records

    records = iter_person_records(session, status="registered")
    return eligible_persons(map(Registrant.of, records), day, settings, config)


def excluded_postings(session: Any, day: dt.date, repeat_days: int) -> dict[str, set[str]]:
    """ID number → posting ids not to send: declined ones, and those pushed in the last days.

    Only pushes of earlier days count (``day - repeat_days ≤ pushed_on < day``), so rerunning
    the same night is not affected by its own pushes.
    """
    from matching.store.nightly_tables import PushRow
    from matching.store.tables import OutcomeRow, PersonRow

    found: dict[str, set[str]] = {}
    declined = select(PersonRow.id_number, OutcomeRow.posting_id).join(
        PersonRow, PersonRow.id == OutcomeRow.person_id
    )
    declined = declined.where(OutcomeRow.kind == "declined")
    pushed = (
        select(PersonRow.id_number, PushRow.posting_id)
        .join(PersonRow, PersonRow.id == PushRow.person_id)
        .where(PushRow.pushed_on >= day - dt.timedelta(days=repeat_days), PushRow.pushed_on < day)
    )
    for stmt in (declined, pushed):
        for idn, pid in session.execute(stmt):
            found.setdefault(idn, set()).add(str(pid))
    return found


def start_run(
    db_engine: Engine,
    key: str,
    day: dt.date,
    version: str,
    settings: NightlySettings,
    out_dir: Path,
) -> int:
    """The run's row, found by its key or created, marked running (its id)."""
    from matching.store.db import session_scope
    from matching.store.nightly_tables import NightlyRunRow

    with session_scope(db_engine, write=True) as session:
        run = session.scalars(select(NightlyRunRow).where(NightlyRunRow.run_key == key)).first()
        if run is None:
            run = NightlyRunRow(
                run_key=key,
                run_date=day,
                index_version=version,
                status="running",
                settings=asdict(settings),
                counts={},
            )
            session.add(run)
        run.status = "running"
        run.out_dir = str(out_dir.resolve())
        run.files = None  # recorded again when this run succeeds
        session.flush()
        return run.id


def record_run(
    db_engine: Engine,
    run_id: int,
    day: dt.date,
    pushes: Iterable[StoredPushes],
    counts: dict[str, Any],
    files: Callable[[], list[dict[str, Any]]],
) -> None:
    """Store the run's pushes (taken as they come: they may be built while being stored), then (``files()`` may wait for the writers) mark it succeeded.

    One transaction: a run that fails here leaves no pushes behind.
    """
    from matching.store.db import session_scope
    from matching.store.nightly_tables import NightlyRunRow, PushRow

    with session_scope(db_engine, write=True) as session:
        session.execute(delete(PushRow).where(PushRow.run_id == run_id))
        # made as they are inserted, a district at a time (800k a night)
        _insert_pushes(session, run_id, day, chain.from_iterable(p.rows() for p in pushes))
        described = files()
        run = session.get(NightlyRunRow, run_id)
        assert run is not None
        run.status = "succeeded"
        run.counts = counts
        run.files = described
        run.finished_at = dt.datetime.now(dt.UTC)


def _insert_pushes(
    session: Any, run_id: int, day: dt.date, rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert ``(person, posting, rank, score, channel, code, placed_by, propensity, terms)``
    rows of one run and night; ``terms`` is the JSON text of the term values
    (:func:`~matching.nightly.pushes.terms_json`, what SQLAlchemy's ``JSON`` type writes).

    SQLite (the embedded default) gets them straight through the driver's ``executemany``:
    SQLAlchemy's per-row parameter processing was a third of the cost of 800k rows. The date
    is written as SQLAlchemy's ``Date`` writes it on SQLite (ISO text), the terms as they
    come. Other databases go through Core, which batches them itself (the terms decoded for
    its ``JSON`` type).
    """
    from matching.store.nightly_tables import PushRow

    table = PushRow.__table__
    if session.get_bind().dialect.name == "sqlite":
        # The run and the night are the same for every row: written into the statement (an
        # int and an ISO date), the rows go to the driver as they come, not rebuilt.
        columns = ("run_id", "pushed_on", "person_id", "posting_id", "rank", "score",
                   "channel", "code", "placed_by", "propensity", "terms")  # fmt: skip
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({int(run_id)}, '{day.isoformat()}', {', '.join('?' * 9)})")  # fmt: skip
        with _sqlite_cache(session, mebibytes=128):  # the indexes' pages stay in memory
            for batch in _batches(rows, 50_000):
                session.connection().exec_driver_sql(sql, batch)
        return
    names = ("person_id", "posting_id", "rank", "score", "channel", "code", "placed_by",
             "propensity", "terms")  # fmt: skip
    for batch in _batches(rows, 5_000):
        dicts = [{"run_id": run_id, "pushed_on": day, **dict(zip(names, r, strict=True))}
                 for r in batch]  # fmt: skip
        for d in dicts:
            d["terms"] = None if d["terms"] is None else loads(d["terms"])
        session.execute(table.insert(), dicts)


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """``rows`` in lists of at most ``size`` (none for no rows)."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


@contextmanager
def _sqlite_cache(session: Any, *, mebibytes: int) -> Iterator[None]:
    """A larger page cache for this SQLite connection while inside.

    Inserting 800k pushes updates three indexes in random order; with SQLite's default 2 MB
    cache that reads and writes the same pages again and again (11.6 s → 9.6 s of CPU for
    720k rows with 128 MB, measured).
    """
    before = session.execute(text("PRAGMA cache_size")).scalar_one()
    session.execute(text(f"PRAGMA cache_size=-{int(mebibytes) * 1024}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size={int(before)}"))
