"""Scoring the eligible persons chunk by chunk: in this process or on a Dask cluster.

Each chunk's candidates are written to its checkpoint file (:class:`ChunkCandidates`) before
the next is taken; :func:`collect_candidates` skips the chunks already on disk, so a restarted
run goes on where it stopped. On Dask each worker loads the engine from the snapshot folder once
(:func:`engine_at`), scores its chunks and writes their checkpoints itself (workers must see
the same paths: the snapshot and the output folder).

What a Dask task needs of the persons (their stored rows, the postings not to send them, the
late reasons' arrays) is handed over as a file beside the checkpoints (a *parcel*), its path
in the task: the distributed scheduler and client, which run in this process with a
``LocalCluster``, keep the pickled arguments of every task they saw (≈ 1.2 MB a chunk of 500
persons, ≈ 450 MB at 200k persons), and that memory was never given back. A parcel holds ID
numbers and phones in clear: each goes once its task is done, and every one the run wrote goes
when the run fails or is interrupted (a run killed outright leaves them to the next start).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from matching.exceptions import MatchingError
from matching.nightly.memory import keep_freed_memory
from matching.nightly.records import (
    ALL_EXPLAINED,
    Allocation,
    ChunkCandidates,
    NightlySettings,
    Registrant,
)
from matching.rank.scoring import TERMS, Scored
from matching.schemas import Person

_ENGINES: dict[tuple[str, tuple[str, str] | None], Any] = {}
PROFILE_BATCH = 500  # persons whose profiles explain_pairs builds at a time
Served = tuple[str, str] | None  # (model path, SHA-256) of the promoted learned ranker, or None
Cluster = tuple[Any, str, Served, Path]  # a Dask client, the snapshot folder, the served ranker,
# the folder for the tasks' parcels


def engine_at(snapshot: str, served: Served = None) -> Any:
    """The engine saved in ``snapshot`` serving ``served`` (a promoted learned ranker, None
    for the hand weights), loaded once per process (Dask workers reuse it)."""
    key = (snapshot, served)
    if key not in _ENGINES:
        from matching.rank.engine import MatchingEngine
        from matching.rank.learned import LearnedRanker

        engine = MatchingEngine.load(Path(snapshot))
        if served is not None:
            ranker = LearnedRanker.load(Path(served[0]), sha256=served[1] or None)
            ranker.config = engine.config_
            engine.set_reranker(ranker)
        _ENGINES[key] = engine
    return _ENGINES[key]


def score_chunk(
    engine: Any,
    persons: Sequence[Person],
    excluded: Sequence[Sequence[str]],
    day: dt.date,
    m: int,
    explain: int = ALL_EXPLAINED,
) -> ChunkCandidates:
    """Top-``m`` candidates of each person, the best ``explain`` of them with their reasons.

    Batched (:meth:`MatchingEngine.rank_many`); the same ranking as ``engine.recommend``. The
    reasons of a deeper candidate are built only if it is pushed (:func:`explain_pairs`).
    """
    profiles = engine.profiles(persons, today=day, exclude=excluded)
    ranked = engine.rank_many(profiles, m, today=day)
    reason_start, codes = [0], []
    text_code: dict[str, int] = {}
    for profile, scored in zip(profiles, ranked, strict=True):
        for why in engine.reasons_rows(profile, _head(scored, explain), today=day):
            codes.extend([text_code.setdefault(t, len(text_code)) for t in why])
            reason_start.append(len(codes))
        reason_start.extend([len(codes)] * max(0, len(scored.rows) - explain))
    counts = [len(s.rows) for s in ranked]
    if not ranked:  # the arrays below, joined once for the chunk, not person by person
        ranked = [Scored(keep=np.zeros(0, np.int64), score=np.zeros(0), distance_km=np.zeros(0),
                         values={t: np.zeros(0) for t in TERMS})]  # fmt: skip
    return ChunkCandidates(
        start=np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
        rows=np.concatenate([s.rows for s in ranked]).astype(np.int64),
        score=np.round(np.concatenate([s.score for s in ranked]).astype(np.float64), 4),
        reason_start=np.array(reason_start, np.int64),
        codes=np.array(codes, np.int32),
        texts=list(text_code),
        values=np.column_stack(
            [np.concatenate([s.values[t] for s in ranked]) for t in TERMS]
        ).astype(np.float32),
        distance_km=np.concatenate([s.distance_km for s in ranked]).astype(np.float32),
        explained=explain,
    )


def _head(scored: Scored, n: int) -> Scored:
    """The best ``n`` rows of ``scored``."""
    if n >= len(scored.rows):
        return scored
    return replace(
        scored,
        keep=scored.keep[:n],
        values={t: v[:n] for t, v in scored.values.items()},
        score=scored.score[:n],
        distance_km=scored.distance_km[:n],
    )


def explain_pairs(
    engine: Any, persons: Sequence[Registrant], alloc: Allocation, edges: Sequence[int],
    day: dt.date, cluster: Cluster | None = None,
) -> dict[int, tuple[str, ...]]:  # fmt: skip
    """The reasons of chosen pairs whose reasons were not stored (pushed by exploration from
    deeper than the allocation's pool): the engine's :meth:`reasons_rows` on the stored row,
    term values and distance, so the texts are the ones scoring would have stored.

    ``persons[i]`` is the allocation's person ``i``. With ``cluster`` (a Dask client, the
    snapshot folder, the served ranker and a folder the workers see for the tasks' parcels)
    the Dask workers build them, ``PROFILE_BATCH`` persons a task, and this process never
    loads what a profile needs (the classifier).
    """
    c, pushed = alloc.candidates, alloc.pushed
    pairs: dict[int, list[int]] = {}  # person -> their pairs
    for e in sorted(int(e) for e in edges):
        pairs.setdefault(int(c.person[e]), []).append(e)
    who = sorted(pairs)
    batches = []
    for a in range(0, len(who), PROFILE_BATCH):
        mine = [e for i in who[a : a + PROFILE_BATCH] for e in pairs[i]]
        at = pushed.at(np.array(mine, np.int64))
        arrays = (pushed.rows[at], pushed.values[at], c.score[mine].astype(np.float32),
                  pushed.distance_km[at], [len(pairs[i]) for i in who[a : a + PROFILE_BATCH]])  # fmt: skip
        batches.append((mine, [persons[i] for i in who[a : a + PROFILE_BATCH]], arrays))
    if cluster is None:
        found = [
            _explain(engine, _persons(p.record for p in b), *arr, day) for _, b, arr in batches
        ]
    else:
        client, snapshot, served, folder = cluster
        folder.mkdir(parents=True, exist_ok=True)
        futures: list[Any] = []
        try:
            for k, (_, b, arr) in enumerate(batches):
                parcel = _late_parcel(folder / f"late-{k:06d}.npz", b, *arr).resolve()
                futures.append(client.submit(_explain_at, snapshot, served, str(parcel), day,
                                             pure=False))  # fmt: skip
            found = client.gather(futures)
        finally:  # also when a task failed or the run was interrupted: no stored row stays
            _drop_parcels(client, futures, folder)
    out: dict[int, tuple[str, ...]] = {}
    for (mine, _, _), why in zip(batches, found, strict=True):
        out.update(zip(mine, why, strict=True))
    return out


def _explain(
    engine: Any, persons: Sequence[Person], rows: npt.NDArray[np.int64],
    values: npt.NDArray[np.float32], score: npt.NDArray[np.float32],
    distance: npt.NDArray[np.float32], counts: Sequence[int], day: dt.date,
) -> list[tuple[str, ...]]:  # fmt: skip
    """The reasons of each person's pairs (``counts[k]`` consecutive pairs of person ``k``)."""
    out: list[tuple[str, ...]] = []
    a = 0
    for profile, k in zip(engine.profiles(persons, today=day), counts, strict=True):
        at = slice(a, a + k)
        scored = Scored(keep=rows[at], values={t: values[at, j] for j, t in enumerate(TERMS)},
                        score=score[at], distance_km=distance[at])  # fmt: skip
        out.extend(tuple(why) for why in engine.reasons_rows(profile, scored, today=day))
        a += k
    return out


_LATE = ("rows", "values", "score", "distance", "counts")  # a late parcel's arrays, in order


def _late_parcel(path: Path, persons: Sequence[Registrant], *arrays: Any) -> Path:
    """Write what a worker needs to explain ``persons``' late pairs (their stored rows and the
    pairs' arrays of :func:`_explain`) to ``path``; returns it."""
    with open(path, "wb") as f:
        np.savez(f, records=np.frombuffer(_blob(persons), np.uint8),
                 **{k: np.asarray(a) for k, a in zip(_LATE, arrays, strict=True)})  # fmt: skip
    return path


def _explain_at(snapshot: str, served: Served, parcel: str, day: dt.date) -> Any:
    from matching.threads import limit_threads

    keep_freed_memory()
    with np.load(parcel) as given:
        persons = _persons(json.loads(given["records"].tobytes()))
        arrays = [given[k] for k in _LATE]
    arrays[-1] = arrays[-1].tolist()
    with limit_threads(1):
        return _explain(engine_at(snapshot, served), persons, *arrays, day)


PARCELS = ("chunk-*.persons.json", "chunk-*.persons.json.part", "late-*.npz")  # in a folder


def _drop_parcels(client: Any, futures: Iterable[Any], folder: Path) -> None:
    """Cancel the tasks still pending (a failed run's) and delete every parcel in ``folder``:
    they hold the persons' stored rows, ID numbers and phones in clear. The checkpoints stay
    (posting rows, scores, term values, distances, reason texts: nothing naming a person,
    who is only a position in the night's ID-ordered list)."""
    pending = [f for f in futures if not f.done()]
    if pending:
        client.cancel(pending)
    for pattern in PARCELS:
        for path in folder.glob(pattern):
            path.unlink(missing_ok=True)


def _blob(persons: Sequence[Registrant]) -> bytes:
    """Stored rows as one JSON array (what a Dask worker receives)."""
    return b"[" + b",".join(p.record_json for p in persons) + b"]"


def _persons(records: Iterable[dict[str, Any]]) -> list[Person]:
    from matching.store.persons import person_from_record

    return [person_from_record(r) for r in records]


def _chunk_parcel(
    path: Path, persons: Sequence[Registrant], excluded: Sequence[Sequence[str]]
) -> Path:
    """Write what a worker needs to score ``persons`` (their stored rows and the postings not
    to send each) to ``path`` (atomically); returns it."""
    blob = b'{"excluded":' + orjson.dumps(list(excluded)) + b',"records":' + _blob(persons) + b"}"
    return _written(path, blob)


def _written(path: Path, data: bytes) -> Path:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)
    return path


def _score_chunk_to(
    path: str,
    snapshot: str,
    parcel: str,
    day: dt.date,
    m: int,
    served: Served = None,
    explain: int = ALL_EXPLAINED,
) -> int:
    """Score a chunk on a Dask worker and write its checkpoint there (atomically); returns the
    number of pairs. The persons come in the ``parcel`` file (:func:`_chunk_parcel`); the
    chunk's arrays never travel back: the scheduler's process would hold their buffers."""
    # One Dask task per worker thread: faiss and BLAS threads on top would oversubscribe.
    from matching.threads import limit_threads

    keep_freed_memory()
    given = json.loads(Path(parcel).read_bytes())
    persons, excluded = _persons(given["records"]), given["excluded"]
    with limit_threads(1):
        chunk = score_chunk(engine_at(snapshot, served), persons, excluded, day, m, explain)
    chunk.save(Path(path))
    return int(chunk.rows.size)


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
    served: Served = None,
) -> list[ChunkCandidates]:
    """Candidates of every person, chunk by chunk, reusing the chunks already on disk.

    ``engine`` (this process) and the Dask workers (``engine_at(snapshot, served)``) must serve
    the same ranker: ``served`` names the promoted learned ranker, None the hand weights.
    """
    from tqdm import tqdm

    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    _drop_parcels(None, (), checkpoint_dir)  # those of a run killed outright (SIGKILL), if any
    size = settings.chunk_size
    chunks = [persons[i : i + size] for i in range(0, len(persons), size)]
    paths = [checkpoint_dir / f"chunk-{n:06d}.npz" for n in range(len(chunks))]
    todo = [n for n, p in enumerate(paths) if not p.exists()]
    parcels = [p.with_suffix(".persons.json") for p in paths]  # a Dask task's persons
    skips = [[sorted(excluded.get(p.id_number, ())) for p in chunk] for chunk in chunks]
    bar = tqdm(total=len(chunks), initial=len(chunks) - len(todo), disable=not progress,
               desc="scoring", unit="chunk")  # fmt: skip
    if dask_scheduler is None:
        for n in todo:
            chunk = _persons(p.record for p in chunks[n])
            score_chunk(engine, chunk, skips[n], day, settings.retrieved, settings.m).save(paths[n])
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
        futures: dict[Any, int] = {}
        try:
            snap = str(snapshot.resolve())
            in_flight = 4 * max(1, sum(client.nthreads().values()))  # bounded scheduler memory

            def submit(n: int) -> Any:
                # Stored rows travel as one JSON file (pickled pydantic objects cost the
                # scheduler seconds per chunk; bytes in the task stay in this process's
                # scheduler); the worker builds the Person models.
                parcel = _chunk_parcel(parcels[n], chunks[n], skips[n])
                return client.submit(_score_chunk_to, str(paths[n].resolve()), snap,
                                     str(parcel.resolve()), day, settings.retrieved, served,
                                     settings.m, pure=False)  # fmt: skip

            queue = list(todo)
            futures.update({submit(n): n for n in queue[:in_flight]})
            del queue[:in_flight]
            running = as_completed(futures)
            for future in running:
                n = futures.pop(future)
                future.result()  # the worker wrote the checkpoint; raises what it raised
                parcels[n].unlink(missing_ok=True)
                if not paths[n].exists():
                    raise MatchingError(
                        f"Dask 工作进程写的检查点在本机找不到 / a checkpoint a Dask worker wrote "
                        f"is not here: {paths[n]} (workers must see the output folder at the "
                        f"same path as this process)"
                    )
                bar.update()
                if on_chunk is not None:
                    on_chunk(n)
                if queue:
                    nxt = queue.pop(0)
                    new = submit(nxt)
                    futures[new] = nxt
                    running.add(new)
        finally:  # a failed or interrupted run leaves no parcel; finished chunks stay
            _drop_parcels(client, futures, checkpoint_dir)
            if client is not dask_scheduler:
                client.close()
    bar.close()
    # ranks only: the values, distances and reasons stay on disk until the lists are final
    return [ChunkCandidates.load(path, ranks_only=True) for path in paths]
