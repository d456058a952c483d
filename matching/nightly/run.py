"""The nightly run: eligible persons → candidates (chunked, checkpointed) → capped allocation →
per-district call sheets and message files → run report → runs and pushes in the database.

Resumable: persons are processed in a fixed order (by ID number) in fixed-size chunks; each
chunk's candidates are written to ``OUT/.checkpoints/<run key>/`` atomically before the next
starts. A restarted run skips the chunks on disk; everything after the candidates is a
deterministic function of them, so the output equals that of an uninterrupted run. Pushes are
written in one transaction at the very end (replacing the run's pushes if it ran before), and the
14-day rule only looks at pushes of *earlier* days, so a rerun of the same night sees the same
exclusions.

With ``dask_scheduler`` the chunks are scored on a Dask cluster: each worker loads the engine
from the snapshot folder once (workers must see the same path) and scores its chunks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, delete, select, text

from matching.nightly.allocation import Candidates, allocate_greedy, exposure_caps
from matching.nightly.memory import keep_freed_memory
from matching.nightly.messages import (
    CALL_SHEET_COLUMNS,
    PersonPush,
    PushItem,
    call_sheet_rows,
    posting_pay,
    reply_codes,
    sms_text,
    wechat_text,
    write_call_sheet,
    write_csv,
)
from matching.schemas import Person, PersonStatus, age_on

CHECKPOINTS = ".checkpoints"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NightlySettings:
    """Knobs of the nightly run (recorded with every run).

    Attributes
    ----------
    per_person : int
        Postings per person (N).
    candidates_per_person : int
        Candidates retrieved per person (M); at least ``3 × per_person`` is used.
    cap_multiple : float
        Exposure cap of a posting = ``cap_multiple × headcount``.
    default_headcount : int
        Headcount assumed when a posting gives none.
    repeat_days : int
        A posting sent to a person is not sent again within this many days.
    fit_threshold : float
        Score counted as a good fit in the report.
    chunk_size : int
        Persons per checkpointed chunk.
    max_age : int
        Oldest age counted as working age (the youngest comes from the engine's config).
    districts : tuple of str
        Only persons of these districts (empty = all).
    """

    per_person: int = 5
    candidates_per_person: int = 15
    cap_multiple: float = 20.0
    default_headcount: int = 2
    repeat_days: int = 14
    fit_threshold: float = 0.5
    chunk_size: int = 500
    max_age: int = 60
    districts: tuple[str, ...] = ()

    @property
    def m(self) -> int:
        return max(self.candidates_per_person, 3 * self.per_person)


@dataclass(slots=True)
class NightlyResult:
    """What a run produced: its database id, output folder, and headline counts."""

    run_id: int
    out_dir: Path
    counts: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage


class _Stages:
    """Wall time of each stage of a run (logged, and returned for the benchmark)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._last, 2)
        self._last = now


# ------------------------------------------------------------------------------ inputs
@dataclass(frozen=True, slots=True)
class Registrant:
    """A person as the run's main process needs them (lists, report, pushes).

    ``record`` is the stored row (:func:`~matching.store.persons.iter_person_records`); it
    travels to wherever the person is scored and becomes a :class:`Person` there, so the main
    process never validates 200k models.
    """

    id_number: str
    name: str
    phone: str | None
    district: str
    accepts_messages: bool
    status: str
    birth_date: dt.date
    record: dict[str, Any]

    @classmethod
    def of(cls, record: dict[str, Any]) -> Registrant:
        born = record["birth_date"]
        return cls(
            id_number=record["id_number"],
            name=record["name"],
            phone=record["phone"],
            district=record["district"],
            accepts_messages=bool(record["accepts_messages"]),
            status=record["status"],
            birth_date=born if isinstance(born, dt.date) else dt.date.fromisoformat(born),
            record=record,
        )

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


_P = TypeVar("_P", Person, Registrant)


def eligible_persons(
    persons: Iterable[_P], day: dt.date, settings: NightlySettings, min_age: int
) -> list[_P]:
    """Registered persons of working age (of the chosen districts), sorted by ID number."""
    wanted = set(settings.districts)
    out = [
        p
        for p in persons
        if p.status == PersonStatus.REGISTERED
        and min_age <= p.age_on(day) <= settings.max_age
        and (not wanted or p.district in wanted)
    ]
    return sorted(out, key=lambda p: p.id_number)


def read_eligible(
    session: Any, day: dt.date, settings: NightlySettings, min_age: int
) -> list[Registrant]:
    """The stored persons :func:`eligible_persons` keeps, as plain records."""
    from matching.store.persons import iter_person_records

    records = iter_person_records(session, status="registered")
    return eligible_persons(map(Registrant.of, records), day, settings, min_age)


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


def run_key(day: dt.date, index_version: str, settings: NightlySettings) -> str:
    """Identity of a run's inputs: same date, index and settings → same key (and checkpoints)."""
    blob = json.dumps(
        {"date": day.isoformat(), "index": index_version, "settings": asdict(settings)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


# ------------------------------------------------------------------------------ scoring
_ENGINES: dict[str, Any] = {}


def _engine_at(snapshot: str) -> Any:
    """The engine saved in ``snapshot``, loaded once per process (Dask workers reuse it)."""
    if snapshot not in _ENGINES:
        from matching.rank.engine import MatchingEngine

        _ENGINES[snapshot] = MatchingEngine.load(Path(snapshot))
    return _ENGINES[snapshot]


@dataclass(slots=True)
class ChunkCandidates:
    """The candidates of a chunk of persons as flat arrays (what a checkpoint holds).

    Person ``i`` of the chunk has the pairs ``start[i]:start[i+1]``: engine posting ``rows``
    and ``score`` (rounded to 4 places); pair ``e`` has the reasons
    ``texts[k] for k in codes[reason_start[e]:reason_start[e+1]]`` (each distinct text once).
    """

    start: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    reason_start: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    texts: list[str]

    def save(self, path: Path) -> None:
        """Write atomically (``path`` appears complete or not at all)."""
        blob = json.dumps(self.texts, ensure_ascii=False).encode("utf-8")
        tmp = path.with_name(f".{path.stem}.tmp.npz")
        np.savez(tmp, start=self.start, rows=self.rows, score=self.score,
                 reason_start=self.reason_start, codes=self.codes,
                 texts=np.frombuffer(blob, np.uint8))  # fmt: skip
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> ChunkCandidates:
        with np.load(path) as z:
            texts = json.loads(z["texts"].tobytes().decode("utf-8"))
            return cls(z["start"], z["rows"], z["score"], z["reason_start"], z["codes"], texts)


def score_chunk(
    engine: Any, persons: Sequence[Person], excluded: Sequence[Sequence[str]], day: dt.date, m: int
) -> ChunkCandidates:
    """Top-``m`` candidates of each person, with their reasons.

    Batched (:meth:`MatchingEngine.rank_many`); the same ranking as ``engine.recommend``.
    """
    profiles = engine.profiles(persons, today=day, exclude=excluded)
    counts, rows, scores = [], [], []
    reason_start, codes = [0], []
    text_code: dict[str, int] = {}
    for profile, scored in zip(profiles, engine.rank_many(profiles, m, today=day), strict=True):
        counts.append(len(scored.rows))
        rows.append(scored.rows)
        scores.append(np.round(scored.score.astype(np.float64), 4))
        for why in engine.reasons_rows(profile, scored, today=day):
            codes.extend(text_code.setdefault(t, len(text_code)) for t in why)
            reason_start.append(len(codes))
    return ChunkCandidates(
        start=np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
        rows=np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64),
        score=np.concatenate(scores) if scores else np.zeros(0, np.float64),
        reason_start=np.array(reason_start, np.int64),
        codes=np.array(codes, np.int32),
        texts=list(text_code),
    )


def _persons(records: Iterable[dict[str, Any]]) -> list[Person]:
    from matching.store.persons import person_from_record

    return [person_from_record(r) for r in records]


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):  # also datetime
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _score_chunk_at(
    snapshot: str,
    records_json: bytes,
    excluded: Sequence[Sequence[str]],
    day: dt.date,
    m: int,
) -> ChunkCandidates:
    # One Dask task per worker thread: faiss and BLAS threads on top would oversubscribe.
    import faiss
    from threadpoolctl import threadpool_limits

    faiss.omp_set_num_threads(1)
    keep_freed_memory()
    persons = _persons(json.loads(records_json))
    with threadpool_limits(1):
        return score_chunk(_engine_at(snapshot), persons, excluded, day, m)


def collect_candidates(
    engine: Any,
    snapshot: Path,
    persons: Sequence[Registrant],
    excluded: dict[str, set[str]],
    day: dt.date,
    settings: NightlySettings,
    checkpoint_dir: Path,
    *,
    dask_scheduler: str | Any | None = None,
    progress: bool = False,
    on_chunk: Callable[[int], None] | None = None,
) -> list[ChunkCandidates]:
    """Candidates of every person, chunk by chunk, reusing the chunks already on disk."""
    from tqdm import tqdm

    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    size = settings.chunk_size
    chunks = [persons[i : i + size] for i in range(0, len(persons), size)]
    paths = [checkpoint_dir / f"chunk-{n:06d}.npz" for n in range(len(chunks))]
    todo = [n for n, p in enumerate(paths) if not p.exists()]
    skips = [[sorted(excluded.get(p.id_number, ())) for p in chunk] for chunk in chunks]
    bar = tqdm(total=len(chunks), initial=len(chunks) - len(todo), disable=not progress,
               desc="scoring", unit="chunk")  # fmt: skip
    if dask_scheduler is None:
        for n in todo:
            chunk = _persons(p.record for p in chunks[n])
            score_chunk(engine, chunk, skips[n], day, settings.m).save(paths[n])
            bar.update()
            if on_chunk is not None:
                on_chunk(n)
    else:
        from distributed import Client, as_completed

        client = (
            dask_scheduler
            if isinstance(dask_scheduler, Client)
            else Client(dask_scheduler, set_as_default=False)
        )
        try:
            snap = str(snapshot.resolve())
            in_flight = 4 * max(1, sum(client.nthreads().values()))  # bounded scheduler memory

            def submit(n: int) -> Any:
                # Stored rows travel as one JSON blob (pickled pydantic objects cost the
                # scheduler seconds per chunk); the worker builds the Person models.
                records = [p.record for p in chunks[n]]
                blob = json.dumps(records, default=_json_default, ensure_ascii=False).encode()
                return client.submit(_score_chunk_at, snap, blob, skips[n], day, settings.m,
                                     pure=False)  # fmt: skip

            queue = list(todo)
            futures = {submit(n): n for n in queue[:in_flight]}
            del queue[:in_flight]
            running = as_completed(futures)
            for future in running:
                n = futures.pop(future)
                future.result().save(paths[n])
                bar.update()
                if on_chunk is not None:
                    on_chunk(n)
                if queue:
                    nxt = queue.pop(0)
                    new = submit(nxt)
                    futures[new] = nxt
                    running.add(new)
        finally:
            if client is not dask_scheduler:
                client.close()
    bar.close()
    return [ChunkCandidates.load(path) for path in paths]


# ------------------------------------------------------------------------------ allocation
@dataclass(slots=True)
class Allocation:
    """Candidate pairs and the chosen ones, capped and uncapped.

    ``candidates.posting`` indexes ``posting_ids`` (the postings some person has as a
    candidate, in engine row order); :meth:`reasons` decodes the texts of chosen pairs.
    """

    candidates: Candidates
    posting_ids: list[str]
    chunks: list[ChunkCandidates]
    caps: np.ndarray
    capped: np.ndarray
    uncapped: np.ndarray
    chunk_of: np.ndarray  # pair -> chunk
    chunk_first: np.ndarray  # chunk -> its first pair

    def reasons(self, edges: npt.NDArray[np.int64]) -> dict[int, tuple[str, ...]]:
        """The reasons of each of these pairs, chunk by chunk."""
        out: dict[int, tuple[str, ...]] = {}
        chunk = self.chunk_of[edges]
        for n in np.unique(chunk).tolist():
            mine = edges[chunk == n]
            ch = self.chunks[n]
            local = mine - self.chunk_first[n]
            codes, texts = ch.codes.tolist(), ch.texts
            lo, hi = ch.reason_start[local].tolist(), ch.reason_start[local + 1].tolist()
            for e, a, b in zip(mine.tolist(), lo, hi, strict=True):
                out[e] = tuple([texts[k] for k in codes[a:b]])
        return out


def allocate(
    engine: Any, chunks: Sequence[ChunkCandidates], settings: NightlySettings
) -> Allocation:
    """Build the pair arrays and allocate them with and without the exposure caps."""
    per_person = np.concatenate([np.diff(ch.start) for ch in chunks]) if chunks else np.zeros(0)
    sizes = np.array([ch.rows.size for ch in chunks], np.int64)
    rows = np.concatenate([ch.rows for ch in chunks]) if chunks else np.zeros(0, np.int64)
    used, posting = np.unique(rows, return_inverse=True)
    c = Candidates(
        np.repeat(np.arange(per_person.size, dtype=np.int64), per_person.astype(np.int64)),
        posting.ravel().astype(np.int64),
        np.concatenate([ch.score for ch in chunks]) if chunks else np.zeros(0),
    )
    posting_ids = [engine.posting_ids_[r] for r in used.tolist()]
    caps = exposure_caps(
        [engine.postings_[r].headcount for r in used.tolist()],
        multiple=settings.cap_multiple,
        default_headcount=settings.default_headcount,
    )
    capped = allocate_greedy(c, caps, settings.per_person)
    uncapped = allocate_greedy(
        c, np.full(len(caps), np.iinfo(np.int64).max // 4), settings.per_person, price_rounds=0
    )
    return Allocation(
        c, posting_ids, list(chunks), caps, capped, uncapped,
        chunk_of=np.repeat(np.arange(len(chunks)), sizes),
        chunk_first=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
    )  # fmt: skip


def person_pushes(
    engine: Any, persons: Sequence[Registrant], alloc: Allocation, day: dt.date
) -> list[PersonPush]:
    """Each person's allocated postings, best first, with texts' ingredients."""
    c = alloc.candidates
    chosen = np.flatnonzero(alloc.capped)
    order = chosen[np.lexsort((c.posting[chosen], -c.score[chosen], c.person[chosen]))]
    edges, person_of = order.tolist(), c.person[order].tolist()
    by_person: dict[int, list[int]] = {}
    for i, e in zip(person_of, edges, strict=True):
        by_person.setdefault(i, []).append(e)
    reasons = alloc.reasons(chosen)
    facts: dict[str, tuple[str, str, str, str]] = {}  # posting id -> title, employer, place, pay
    for j in np.unique(c.posting[chosen]).tolist():
        pid = alloc.posting_ids[j]
        posting = engine.posting(pid)
        facts[pid] = (
            posting.title,
            posting.employer or "",
            posting.district or (posting.location.district if posting.location else "") or "天津市",
            posting_pay(posting),
        )
    score, posting_of = c.score.tolist(), c.posting.tolist()
    codes = dict(zip(edges, reply_codes(
        day, [persons[i].id_number for i in person_of],
        [alloc.posting_ids[posting_of[e]] for e in edges],
    ), strict=True))  # fmt: skip
    out = []
    for i, person in enumerate(persons):
        items = []
        for rank, e in enumerate(by_person.get(i, ()), start=1):
            pid = alloc.posting_ids[posting_of[e]]
            title, employer, district, pay = facts[pid]
            items.append(
                PushItem(
                    posting_id=pid,
                    rank=rank,
                    score=score[e],
                    code=codes[e],
                    title=title,
                    employer=employer,
                    district=district,
                    pay=pay,
                    reasons=reasons[e],
                )
            )
        out.append(
            PersonPush(
                id_number=person.id_number,
                name=person.name,
                phone=person.phone or "",
                district=person.district,
                accepts_messages=person.accepts_messages,
                items=tuple(items),
            )
        )
    return out


# ------------------------------------------------------------------------------ outputs
_DISTRICT_FILES = ("call_sheet.xlsx", "call_sheet.csv", "sms.csv", "wechat.csv")


def write_district(folder: Path, district: str, day: dt.date, group: list[PersonPush]) -> None:
    """One district's call_sheet.xlsx/.csv, sms.csv and wechat.csv in ``folder``."""
    rows = call_sheet_rows(group)
    title = f"{district} 岗位推送电话跟进表 {day.isoformat()}"
    write_call_sheet(folder / "call_sheet.xlsx", title, rows)
    write_csv(folder / "call_sheet.csv", CALL_SHEET_COLUMNS, rows)
    messaged = [p for p in group if p.accepts_messages and p.phone]
    sms = [[p.phone, it.code, sms_text(it)] for p in messaged for it in p.items]
    write_csv(folder / "sms.csv", ("手机号", "回复码", "短信内容"), sms)
    wechat = [[p.phone, wechat_text(p)] for p in messaged]
    write_csv(folder / "wechat.csv", ("手机号", "微信内容"), wechat)


class _Writers:
    """Writes the districts' files, in ``processes`` worker processes when more than one.

    Each district is one task; :meth:`files` waits for all of them. With one process the
    files are written at once, in the caller.
    """

    def __init__(self, out_dir: Path, day: dt.date, processes: int) -> None:
        self.out_dir, self.day = out_dir, day
        self.pool: ProcessPoolExecutor | None = None
        if processes > 1:
            # spawn: the run's process has threads (Dask client, progress bar) a fork would copy
            self.pool = ProcessPoolExecutor(processes, mp_context=get_context("spawn"))
        self.futures: list[Future[None]] = []
        self.folders: list[Path] = []

    def submit(self, pushes: Sequence[PersonPush]) -> None:
        by_district: dict[str, list[PersonPush]] = {}
        for p in pushes:
            if p.items:
                by_district.setdefault(p.district, []).append(p)
        # the largest districts first, so the pool does not end on a long one
        for district in sorted(by_district, key=lambda d: (-len(by_district[d]), d)):
            args = (self.out_dir / district, district, self.day, by_district[district])
            if self.pool is None:
                write_district(*args)
            else:
                self.futures.append(self.pool.submit(write_district, *args))
            self.folders.append(self.out_dir / district)

    def files(self) -> list[Path]:
        """Every file written (districts in name order), once all are written."""
        for future in self.futures:
            future.result()
        return [folder / n for folder in sorted(self.folders) for n in _DISTRICT_FILES]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _record(
    db_engine: Engine,
    run_id: int,
    day: dt.date,
    persons: Sequence[Registrant],
    pushes: Sequence[PersonPush],
    counts: dict[str, Any],
    files: Callable[[], list[dict[str, Any]]],
) -> None:
    """Store the run's pushes, then (``files()`` may wait for the writers) mark it succeeded.

    One transaction: a run that fails here leaves no pushes behind.
    """
    from matching.store.db import session_scope
    from matching.store.nightly_tables import NightlyRunRow, PushRow

    pk = {p.id_number: p.record["id"] for p in persons}
    with session_scope(db_engine) as session:
        session.execute(delete(PushRow).where(PushRow.run_id == run_id))
        rows = [
            (pk[p.id_number], int(it.posting_id), it.rank, it.score,
             "message" if p.accepts_messages else "call", it.code)
            for p in pushes
            for it in p.items
        ]  # fmt: skip
        _insert_pushes(session, run_id, day, rows)
        described = files()
        run = session.get(NightlyRunRow, run_id)
        assert run is not None
        run.status = "succeeded"
        run.counts = counts
        run.files = described
        run.finished_at = dt.datetime.now(dt.UTC)


def _insert_pushes(
    session: Any, run_id: int, day: dt.date, rows: Sequence[tuple[int, int, int, float, str, str]]
) -> None:
    """Insert ``(person, posting, rank, score, channel, code)`` rows of one run and night.

    SQLite (the embedded default) gets them straight through the driver's ``executemany``:
    SQLAlchemy's per-row parameter processing was a third of the cost of 800k rows. The date
    is written as SQLAlchemy's ``Date`` writes it on SQLite (ISO text). Other databases go
    through Core, which batches them itself.
    """
    from matching.store.nightly_tables import PushRow

    table = PushRow.__table__
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite":
        columns = ("run_id", "person_id", "posting_id", "pushed_on", "rank", "score",
                   "channel", "code")  # fmt: skip
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")  # fmt: skip
        night = day.isoformat()
        with _sqlite_cache(session, mebibytes=128):  # the indexes' pages stay in memory
            session.connection().exec_driver_sql(
                sql, [(run_id, person, posting, night, *rest) for person, posting, *rest in rows]
            )
        return
    names = ("person_id", "posting_id", "rank", "score", "channel", "code")
    dicts = [{"run_id": run_id, "pushed_on": day, **dict(zip(names, r, strict=True))} for r in rows]
    for start in range(0, len(dicts), 5_000):
        session.execute(table.insert(), dicts[start : start + 5_000])


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


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_run(
    db_engine: Engine,
    key: str,
    day: dt.date,
    version: str,
    settings: NightlySettings,
    out_dir: Path,
) -> int:
    from matching.store.db import session_scope
    from matching.store.nightly_tables import NightlyRunRow

    with session_scope(db_engine) as session:
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


def run_nightly(
    db_engine: Engine,
    index_dir: Path,
    out_dir: Path,
    *,
    day: dt.date,
    settings: NightlySettings | None = None,
    dask_scheduler: str | Any | None = None,
    progress: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    processes: int | None = None,
) -> NightlyResult:
    """Run the nightly batch for ``day`` and write its lists under ``out_dir``.

    Parameters
    ----------
    db_engine : sqlalchemy.Engine
        Migrated database (persons, outcomes; runs and pushes are written to it).
    index_dir : Path
        Index snapshots folder (the current snapshot is used; its name is the index version).
    out_dir : Path
        Output folder: one subfolder per district, ``report.md``, ``report.png``. The run
        records the folder (absolute) and each file's path, size and SHA-256 (the service
        serves them from there: :mod:`matching.nightly.outputs`).
    day : date
        The night's date: postings valid that day; the 14-day window ends the day before.
    settings : NightlySettings, optional
    dask_scheduler : str or distributed.Client, optional
        Score the chunks on this Dask cluster; the allocation stays local.
    progress : bool
        Show a tqdm progress bar (on stderr).
    on_chunk : callable, optional
        Called with each chunk number once its checkpoint is written.
    processes : int, optional
        Processes writing the districts' files (default: the machine's CPUs; 1 = in this one).

    Returns
    -------
    NightlyResult
    """
    from matching.nightly.outputs import describe_files
    from matching.nightly.report import write_report
    from matching.rank.snapshots import current_path
    from matching.store.db import session_scope

    settings = settings or NightlySettings()
    keep_freed_memory()  # this process scores too when there is no Dask cluster
    clock = _Stages()
    snapshot = current_path(index_dir)
    engine = _engine_at(str(snapshot.resolve()))
    version = snapshot.name
    key = run_key(day, version, settings)
    clock.lap("load engine")
    with session_scope(db_engine) as session:
        persons = read_eligible(session, day, settings, engine.config_.min_working_age)
        excluded = excluded_postings(session, day, settings.repeat_days)
    run_id = _start_run(db_engine, key, day, version, settings, out_dir)
    clock.lap("read persons")
    checkpoint_dir = out_dir / CHECKPOINTS / key
    cands = collect_candidates(
        engine, snapshot, persons, excluded, day, settings, checkpoint_dir,
        dask_scheduler=dask_scheduler, progress=progress, on_chunk=on_chunk,
    )  # fmt: skip
    clock.lap("score")
    alloc = allocate(engine, cands, settings)
    clock.lap("allocate")
    pushes = person_pushes(engine, persons, alloc, day)
    clock.lap("pushes")
    # The districts' files are written in other processes while this one writes the report
    # and stores the pushes.
    writers = _Writers(out_dir, day, processes if processes is not None else usable_cpus())
    try:
        writers.submit(pushes)
        counts, report_files = write_report(
            out_dir, day=day, version=version, settings=settings, persons=persons, alloc=alloc
        )
        files: list[Path] = []

        def described() -> list[dict[str, Any]]:
            files.extend([*writers.files(), *report_files])
            return describe_files(out_dir, files)

        _record(db_engine, run_id, day, persons, pushes, counts, described)
    finally:
        writers.close()
    clock.lap("write lists, report, record pushes (overlapped)")
    shutil.rmtree(checkpoint_dir, ignore_errors=True)
    try:
        (out_dir / CHECKPOINTS).rmdir()
    except OSError:
        pass
    log.info("nightly %s: %s", day, ", ".join(f"{k} {v:.1f} s" for k, v in clock.seconds.items()))
    return NightlyResult(
        run_id=run_id, out_dir=out_dir, counts=counts, files=files, seconds=clock.seconds
    )
