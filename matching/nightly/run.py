"""The nightly run: eligible persons → candidates (chunked, checkpointed) → capped allocation →
per-district call sheets and message files → run report → runs and pushes in the database.

Exploration (:mod:`~matching.nightly.explore`) follows the capped allocation; its draws are
seeded by the run key. Besides the lists, the run writes ``candidates.npz``
(:mod:`~matching.nightly.candidates_file`): every pushed person's candidates with their term
values and propensities, for the counterfactual estimates of :mod:`matching.learn`.

Resumable: persons are processed in a fixed order (by ID number) in fixed-size chunks; each
chunk's candidates are written to ``OUT/.checkpoints/<run key>/`` atomically before the next
starts. A restarted run skips the chunks on disk; everything after the candidates is a
deterministic function of them, so the output equals that of an uninterrupted run. Pushes are
written in one transaction at the very end (replacing the run's pushes if it ran before), and the
14-day rule only looks at pushes of *earlier* days, so a rerun of the same night sees the same
exclusions.

With ``dask_scheduler`` the chunks are scored on a Dask cluster: each worker loads the engine
from the snapshot folder once and scores its chunks, writing each chunk's checkpoint itself
(workers must see the same paths as this process: the snapshot and the output folder); the
workers also build the reasons of the pushes explored in from deeper than the allocation's pool.

Memory: the chunks are read back from their checkpoints ranks only (rows and scores) for the
allocation; once the lists are final, what the pushes and ``candidates.npz`` need of them is
read a chunk at a time (:func:`~matching.nightly.pushes.gather_pushed`), and the persons' stored
rows are let go once no profile is built any more.

The steps: :mod:`~matching.nightly.storage` (reads and writes in the database),
:mod:`~matching.nightly.scoring` (chunks, checkpoints, Dask), :mod:`~matching.nightly.pushes`
(allocation), :mod:`~matching.nightly.push_columns` (the pushes as columns, a district at a
time), :mod:`~matching.nightly.writers` (the districts' files),
:mod:`~matching.nightly.report`; their data types are in :mod:`~matching.nightly.records`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from matching.nightly.candidates_file import write_candidates
from matching.nightly.explore import seed_of
from matching.nightly.memory import (
    give_back_freed_memory,
    keep_freed_memory,
    leave_out_of_collection,
    long_lived,
)
from matching.nightly.outputs import describe_files
from matching.nightly.push_columns import StoredPushes, district_pushes
from matching.nightly.pushes import allocate, explain_late
from matching.nightly.records import NightlyResult, NightlySettings
from matching.nightly.report import write_report
from matching.nightly.scoring import collect_candidates, engine_at
from matching.nightly.storage import excluded_postings, read_eligible, record_run, start_run
from matching.nightly.writers import DistrictWriters
from matching.threads import usable_cpus

CHECKPOINTS = ".checkpoints"
log = logging.getLogger(__name__)


class _Stages:
    """Wall time of each stage of a run (logged, and returned for the benchmark)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._last, 2)
        self._last = now


def run_key(
    day: dt.date, index_version: str, settings: NightlySettings, ranker: str | None = None
) -> str:
    """Identity of a run's inputs: same date, index, settings and served ranker (the SHA-256
    of a promoted learned model; None for the hand weights) → same key (and checkpoints)."""
    inputs: dict[str, Any] = {"date": day.isoformat(), "index": index_version,
                              "settings": asdict(settings)}  # fmt: skip
    if ranker is not None:
        inputs["ranker"] = ranker
    blob = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@contextmanager
def _client(dask_scheduler: str | Any | None) -> Iterator[Any]:
    """A Dask client for the run: the one given, one connected to the address given (closed
    at the end), or None (everything in this process)."""
    if dask_scheduler is None or not isinstance(dask_scheduler, str):
        yield dask_scheduler
        return
    from distributed import Client

    client = Client(dask_scheduler, set_as_default=False)
    try:
        yield client
    finally:
        client.close()


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
        Score the chunks, and build the late reasons, on this Dask cluster; the allocation
        stays local.
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
    with long_lived():
        return _run(db_engine, index_dir, out_dir, day, settings or NightlySettings(),
                    dask_scheduler, progress, on_chunk, processes)  # fmt: skip


def _run(
    db_engine: Engine, index_dir: Path, out_dir: Path, day: dt.date, settings: NightlySettings,
    dask_scheduler: str | Any | None, progress: bool, on_chunk: Callable[[int], None] | None,
    processes: int | None,
) -> NightlyResult:  # fmt: skip
    from matching.exceptions import ModelFormatError
    from matching.rank.learned import served_model
    from matching.rank.snapshots import current_path
    from matching.store.db import session_scope

    if dask_scheduler is None:  # this process scores: keep its freed temporaries for reuse
        keep_freed_memory()  # (with a cluster it does not, and freed memory goes back)
    clock = _Stages()
    snapshot = current_path(index_dir)
    with session_scope(db_engine) as session:
        served = served_model(session)  # what the ledger says serves: learned model or hand weights
    try:
        engine = engine_at(str(snapshot.resolve()), served)
    except ModelFormatError as exc:  # as the API does: the night goes out on the hand weights
        log.error("promoted ranker not loaded, the lists use the hand weights: %s", exc)
        served, engine = None, engine_at(str(snapshot.resolve()))
    version = snapshot.name
    key = run_key(day, version, settings, None if served is None else served[1] or served[0])
    clock.lap("load engine")
    with session_scope(db_engine) as session:
        persons = read_eligible(session, day, settings, engine.config_)
        excluded = excluded_postings(session, day, settings.repeat_days)
    run_id = start_run(db_engine, key, day, version, settings, out_dir)
    leave_out_of_collection()  # the engine and the persons live till the end
    clock.lap("read persons")
    checkpoint_dir = out_dir / CHECKPOINTS / key
    with _client(dask_scheduler) as client:
        cands = collect_candidates(
            engine, snapshot, persons, excluded, day, settings, checkpoint_dir,
            dask_scheduler=client, progress=progress, on_chunk=on_chunk, served=served,
        )  # fmt: skip
        clock.lap("score")
        alloc = allocate(engine, cands, settings, seed=seed_of(key))
        del cands  # what the pushes need of them is in the allocation now
        clock.lap("allocate")
        # the reasons of pushes explored in from deeper than the pool, on the workers if any
        cluster = None if client is None else (client, str(snapshot.resolve()), served,
                                               checkpoint_dir)  # fmt: skip
        explain_late(engine, persons, alloc, day, cluster)
        clock.lap("late reasons")
    persons = [p.without_record() for p in persons]  # no profile is built after this
    give_back_freed_memory()  # the chunks, the stored rows, the allocation's temporaries
    # The pushes are built a district at a time: each district's files are written in other
    # processes while this one stores its pushes, then the next district is built.
    writers = DistrictWriters(out_dir, day, processes if processes is not None else usable_cpus())
    # candidates.npz is compressed in a thread while the pushes are built and stored (zlib lets
    # go of the GIL; at 200k persons the file took 15–35 s alone), a member at a time.
    background = ThreadPoolExecutor(1, thread_name_prefix="candidates-file")
    try:
        counts, report_files = write_report(
            out_dir, day=day, version=version, settings=settings, persons=persons, alloc=alloc
        )
        candidates = background.submit(
            write_candidates, out_dir, alloc, [p.person_id for p in persons]
        )
        files: list[Path] = []

        def pushes() -> Iterator[StoredPushes]:
            for sheet, stored in district_pushes(engine, persons, alloc, day):
                writers.submit(sheet.district, sheet)
                yield stored

        def described() -> list[dict[str, Any]]:
            files.extend([candidates.result(), *writers.files(), *report_files])
            return describe_files(out_dir, files)

        record_run(db_engine, run_id, day, pushes(), counts, described)
    finally:
        background.shutdown(cancel_futures=True)
        writers.close()
    clock.lap("pushes, lists, report, record (overlapped)")
    shutil.rmtree(checkpoint_dir, ignore_errors=True)
    try:
        (out_dir / CHECKPOINTS).rmdir()
    except OSError:
        pass
    log.info("nightly %s: %s", day, ", ".join(f"{k} {v:.1f} s" for k, v in clock.seconds.items()))
    return NightlyResult(
        run_id=run_id, out_dir=out_dir, counts=counts, files=files, seconds=clock.seconds
    )
