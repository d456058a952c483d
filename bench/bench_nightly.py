"""Benchmark of the nightly run: generated persons × postings, wall time per stage, peak memory.

Usage::

    .venv/bin/python bench/bench_nightly.py --persons 200000 --postings 50000      # the target
    .venv/bin/python bench/bench_nightly.py --persons 5000 --postings 50000 \\
        --alloc-persons 200000                                                     # what fits

Stages: generate (csv), import, index build, nightly run (scoring + allocation + outputs + DB).
``--alloc-persons`` also times the allocation alone on synthetic candidates of that many persons
(M = 3N candidates each, Zipf-popular postings), the part that must scale beyond one machine's
scoring. ``--score-only N`` times only the scoring of the first N eligible persons. ``--workers W`` scores on a local Dask cluster of W processes (one thread each).
Prints one JSON line with every figure. Peak memory per process is sampled with psutil every
0.2 s (:class:`_RssSampler`): this process per stage, and each child process (Dask workers, the
district writers). ``ru_maxrss`` of the children is printed too, but it is not their own
memory: Linux carries a parent's high-water mark into a child started by fork + exec, so a
writer started from a 5 GB process reports 5 GB there. CPU seconds of this process and of its
children are printed beside the wall time (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(kids, 1)}


class _RssSampler:
    """Resident memory of this process and of its children, sampled in a thread.

    ``main`` holds (seconds since start, RSS of this process); ``children`` the peak RSS and
    CPU seconds (user + system, last seen) of every child process, by pid.
    """

    def __init__(self, every_s: float = 0.2) -> None:
        import psutil

        self.me = psutil.Process()
        self.every_s = every_s
        self.t0 = time.perf_counter()
        self.main: list[tuple[float, int]] = []
        self.children: dict[int, dict[str, float | str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import psutil

        kids: list[psutil.Process] = []
        tick = 0
        while not self._stop.wait(self.every_s):
            t = time.perf_counter() - self.t0
            self.main.append((t, self.me.memory_info().rss))
            if tick % 10 == 0:  # listing the children scans /proc: every 2 s, not every sample
                kids = self.me.children(recursive=True)
            tick += 1
            for child in kids:
                try:
                    rss, cpu = child.memory_info().rss, child.cpu_times()
                    line = " ".join(child.cmdline())
                except psutil.Error:
                    continue
                kind = "dask" if "distributed" in line or "dask" in line else "spawned"
                seen = self.children.setdefault(child.pid, {"kind": kind, "peak_mb": 0.0,
                                                            "first_s": round(t, 1)})  # fmt: skip
                seen["peak_mb"] = max(float(seen["peak_mb"]), rss / 2**20)
                seen["cpu_s"] = round(cpu.user + cpu.system, 1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def per_stage(self, start_s: float, stages: dict[str, float]) -> dict[str, float]:
        """Peak RSS (MB) of this process within each stage (stages in order, from start_s)."""
        out, lo = {}, start_s
        for stage, seconds in stages.items():
            hi = lo + seconds
            inside = [rss for t, rss in self.main if lo <= t <= hi + self.every_s]
            out[stage] = round(max(inside, default=0) / 2**20, 1)
            lo = hi
        return out

    def figures(self) -> dict[str, object]:
        kids = sorted(self.children.values(), key=lambda k: -float(k["peak_mb"]))
        return {
            "main_peak_rss_mb": round(max((r for _, r in self.main), default=0) / 2**20, 1),
            "children": [{**k, "peak_mb": round(float(k["peak_mb"]), 1)} for k in kids],
        }


def bench_allocation(n_persons: int, n_postings: int, per_person: int, seed: int = 0) -> dict:
    """Time the capped allocation alone on synthetic candidates (``3 × per_person`` each)."""
    from matching.nightly.allocation import allocate_greedy
    from matching.nightly.pairs import Candidates, exposure, exposure_caps

    rng = np.random.default_rng(seed)
    m = 3 * per_person
    pop = 1.0 / np.arange(1, n_postings + 1) ** 0.8  # a few postings everybody is close to
    pop /= pop.sum()
    posting = rng.choice(n_postings, size=(n_persons, m), p=pop)
    posting = np.sort(posting, axis=1)
    dup = np.zeros_like(posting, dtype=bool)
    dup[:, 1:] = posting[:, 1:] == posting[:, :-1]
    person = np.repeat(np.arange(n_persons), m)
    keep = ~dup.ravel()
    c = Candidates(
        person[keep].astype(np.int64),
        posting.ravel()[keep].astype(np.int64),
        rng.uniform(0.2, 1.0, size=int(keep.sum())),
    )
    caps = exposure_caps(rng.integers(1, 6, size=n_postings), multiple=20)
    t = time.perf_counter()
    chosen = allocate_greedy(c, caps, per_person)
    seconds = time.perf_counter() - t
    assert (exposure(c, chosen, n_postings) <= caps).all()
    return {"alloc_persons": n_persons, "alloc_pairs": c.size, "alloc_seconds": round(seconds, 2)}


def _score_only(engine, work: Path, day: dt.date, n: int, client) -> dict:  # type: ignore[no-untyped-def]
    """Wall and main-process CPU of scoring the first ``n`` eligible persons (a warm-up first)."""
    from matching.nightly.records import NightlySettings
    from matching.nightly.scoring import collect_candidates, engine_at
    from matching.nightly.storage import read_eligible
    from matching.rank.snapshots import current_path
    from matching.store.db import session_scope

    settings = NightlySettings()
    snapshot = current_path(work / "index")
    model = engine_at(str(snapshot.resolve()))
    with session_scope(engine) as session:
        persons = read_eligible(session, day, settings, model.config_)
    out = work / "score-only"
    shutil.rmtree(out, ignore_errors=True)
    warm = persons[: 2 * settings.chunk_size]  # every worker loads the engine once
    collect_candidates(
        model, snapshot, warm, {}, day, settings, out / "warm", dask_scheduler=client
    )
    t, cpu = time.perf_counter(), time.process_time()
    collect_candidates(model, snapshot, persons[:n], {}, day, settings, out / "timed",
                       dask_scheduler=client)  # fmt: skip
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    shutil.rmtree(out, ignore_errors=True)
    return {"score_only_persons": min(n, len(persons)), "score_s": round(wall, 2),
            "score_ms_per_person": round(1000 * wall / max(1, min(n, len(persons))), 3),
            "main_cpu_s": round(cpu, 2), "eligible": len(persons)}  # fmt: skip


def _clear_night(engine, day: dt.date) -> int:  # type: ignore[no-untyped-def]
    """Forget earlier benchmark runs of ``day`` (a night's first run has no pushes to replace).

    Rerunning a night replaces its pushes, which costs a delete of ~800k rows; the benchmark
    measures the ordinary night, so it clears them before the clock starts.
    """
    from sqlalchemy import delete

    from matching.store.db import session_scope
    from matching.store.nightly_tables import NightlyRunRow, PushRow

    with session_scope(engine) as session:
        cleared = session.execute(delete(PushRow).where(PushRow.pushed_on == day)).rowcount
        session.execute(delete(NightlyRunRow).where(NightlyRunRow.run_date == day))
    return int(cleared or 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--postings", type=int, default=50_000)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply both sizes")
    ap.add_argument("--per-person", type=int, default=5)
    ap.add_argument("--date", default="2024-10-21")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/songgang-bench-nightly"))
    ap.add_argument("--workers", type=int, default=0, help="Dask worker processes (0 = none)")
    ap.add_argument("--alloc-persons", type=int, default=0)
    ap.add_argument(
        "--score-only",
        type=int,
        default=0,
        metavar="N",
        help="time only the scoring of the first N eligible persons (with --workers), then stop",
    )
    ap.add_argument("--keep", action="store_true", help="reuse the generated database and index")
    ap.add_argument(
        "--prepare-only", action="store_true", help="generate, import and index, then stop"
    )
    ap.add_argument(
        "--classify",
        action="store_true",
        help="infer blank posting categories on import (slow at 50k postings; off by default)",
    )
    args = ap.parse_args()

    from matching.domain.columns import PERSON_HEADERS, POSTING_HEADERS
    from matching.generator import generate_persons, generate_postings
    from matching.generator.sheets import write_csv
    from matching.ingest.importer import import_persons, import_postings
    from matching.nightly.records import NightlySettings
    from matching.nightly.run import run_nightly
    from matching.rank.snapshots import build_snapshot
    from matching.store import nightly_tables  # noqa: F401
    from matching.store.db import make_engine, upgrade

    n_persons = int(args.persons * args.scale)
    n_postings = int(args.postings * args.scale)
    day = dt.date.fromisoformat(args.date)
    work = args.workdir
    figures: dict = {
        "persons": n_persons,
        "postings": n_postings,
        "date": day.isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} "
        f"{__import__('os').cpu_count()} cpu, python {platform.python_version()}",
        "run_on": dt.datetime.now().isoformat(timespec="seconds"),
    }
    db_url = f"sqlite:///{work / 'bench.db'}"
    if not (args.keep and (work / "bench.db").exists()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        t = time.perf_counter()
        write_csv(
            work / "persons.csv",
            generate_persons(n_persons, 7),
            [h[0] for h in PERSON_HEADERS.values()],
        )
        write_csv(
            work / "postings.csv",
            generate_postings(n_postings, 7),
            [h[0] for h in POSTING_HEADERS.values()],
        )
        figures["generate_s"] = round(time.perf_counter() - t, 1)
        engine = make_engine(db_url)
        upgrade(engine)
        t = time.perf_counter()
        import_persons(engine, work / "persons.csv")
        import_postings(engine, work / "postings.csv", classify=args.classify)
        figures["import_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        build_snapshot(engine, work / "index", active_on=day)
        figures["index_s"] = round(time.perf_counter() - t, 1)
    if args.prepare_only:
        print(json.dumps(figures, ensure_ascii=False))
        return
    engine = make_engine(db_url)
    upgrade(engine)
    shutil.rmtree(work / "out", ignore_errors=True)
    figures["cleared_pushes"] = _clear_night(engine, day)
    client = cluster = None
    if args.workers:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0")
        client = Client(cluster)
    if args.score_only:
        figures.update(_score_only(engine, work, day, args.score_only, client))
        print(json.dumps(figures, ensure_ascii=False))
        return
    sampler = _RssSampler()
    cpu0, kids0 = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    started = t - sampler.t0
    result = run_nightly(
        engine, work / "index", work / "out", day=day,
        settings=NightlySettings(per_person=args.per_person), dask_scheduler=client, progress=True,
    )  # fmt: skip
    figures["nightly_s"] = round(time.perf_counter() - t, 1)
    figures["main_cpu_s"] = round(time.process_time() - cpu0, 1)
    figures["stages_s"] = result.seconds
    if client is not None:
        client.close()
        cluster.close()  # type: ignore[union-attr]
    sampler.stop()
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["stage_peak_rss_mb"] = sampler.per_stage(started, result.seconds)
    figures.update(sampler.figures())
    figures["children_cpu_s"] = round(
        sum(float(k.get("cpu_s", 0.0)) for k in sampler.children.values()), 1
    )
    figures["waited_children_cpu_s"] = round(
        kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime, 1
    )
    capped = result.counts["capped"]
    figures.update(eligible=capped["persons"], covered=capped["covered"], pushes=capped["pushes"])
    figures["per_person_ms"] = round(1000 * figures["nightly_s"] / max(1, capped["persons"]), 2)
    if args.alloc_persons:
        figures.update(bench_allocation(args.alloc_persons, n_postings, args.per_person))
    figures.update(_peak_mb())
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
