"""Recommendation benchmark: one person in-process over N postings (p50/p99), batch throughput,
and in the same run on the same data the baselines it is judged against: faiss flat top-10 on
the engine's own posting and query vectors, the exhaustive scorer (score_pairs over every
posting, the same scorer) and BM25 retrieval. Then a full recommend (filters, scoring, reasons)
over a large generated world — 1M postings by default, an IVF index above
``MatchingConfig.exact_index_max`` — with build time, memory and recall@10 against the
exhaustive scorer.

    python bench/bench_recommend.py [--sizes 10000 100000] [--million 1000000] [--queries 200]
        [--world DIR]

``--world DIR`` keeps each fitted world on disk (``DIR/<n>``: the engine's ``save`` folder and
the postings' words) and loads it on the next run instead of generating and fitting again.

Every figure is a ratio to a baseline measured in the same process: the machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import append, load, table  # noqa: E402


def _pct(xs: list[float]) -> tuple[float, float]:
    a = np.array(xs) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 99))


def _world(n: int, queries: int, keep: Path | None = None):  # type: ignore[no-untyped-def]
    """(engine, persons, today, posting tokens, fit seconds); fit seconds is NaN when the
    world was loaded from ``keep``."""
    import json

    from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
    from matching.rank.engine import MatchingEngine
    from matching.understand.text import tokenize

    folder = keep / str(n) if keep else None
    if folder and (folder / "manifest.json").exists():
        engine = MatchingEngine.load(folder)
        tokens = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        today = busiest_day(engine.postings_)
        persons, _ = generated_persons(queries, seed=5, today=today)
        return engine, persons, today, tokens, float("nan")
    postings, _ = generated_postings(n, seed=5)
    today = busiest_day(postings)
    persons, _ = generated_persons(queries, seed=5, today=today)
    tokens = [tokenize(p.text) for p in postings]
    t0 = time.perf_counter()
    engine = MatchingEngine().fit(postings, tokens=tokens)
    build = time.perf_counter() - t0
    if folder:
        engine.save(folder)
        (folder / "tokens.json").write_text(json.dumps(tokens, ensure_ascii=False), "utf-8")
    return engine, persons, today, tokens, build


def _timed(fn, items, cpu: list[float] | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    """Wall seconds of ``fn(item)`` for each item; its CPU seconds appended to ``cpu``."""
    out = []
    for item in items:
        c0, t0 = time.process_time(), time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return out


def _query_vectors(engine, profiles) -> np.ndarray:  # type: ignore[no-untyped-def]
    from matching.rank.vectors import query_vector

    text = engine.vectorizer_.project(
        engine.vectorizer_.transform_sparse([p.text for p in profiles])
    )
    return np.stack(
        [query_vector(p, v, engine.config_) for p, v in zip(profiles, text, strict=True)]
    )


def engine_row(n: int, queries: int, keep: Path | None = None) -> list[object]:
    import faiss
    from rank_bm25 import BM25Okapi

    from matching.evaluate.baselines import exhaustive_recommend
    from matching.understand.text import tokenize

    engine, persons, today, tokens, _ = _world(n, queries, keep)
    c0 = time.process_time()
    prepared = engine.prepare_day(today)  # what the service does at load
    print(f"prepare_day: {prepared:,} open postings' reason parts in "
          f"{time.process_time() - c0:.1f} CPU s", flush=True)  # fmt: skip
    engine.recommend(persons[0], 10, today=today)  # warm-up
    one_cpu: list[float] = []
    one = _timed(lambda p: engine.recommend(p, 10, today=today), persons, one_cpu)
    t0 = time.perf_counter()
    engine.recommend_many(persons, 10, today=today)
    batch = len(persons) / (time.perf_counter() - t0)
    profiles = [engine.profile(p, today=today) for p in persons]
    flat = faiss.IndexFlatIP(engine.vectors_.shape[1])
    flat.add(engine.vectors_)
    q = _query_vectors(engine, profiles)
    fl_cpu: list[float] = []
    fl = _timed(lambda i: flat.search(q[i : i + 1], 10), range(len(profiles)), fl_cpu)
    naive = _timed(lambda pr: exhaustive_recommend(engine, pr, 10, today), profiles[:50])
    bm25 = BM25Okapi([t or ["∅"] for t in tokens])
    bm = _timed(lambda pr: np.argpartition(-bm25.get_scores(tokenize(pr.text)), 10)[:10],
                profiles[:50])  # fmt: skip
    p50, p99 = _pct(one)
    f50, _ = _pct(fl)
    n50, _ = _pct(naive)
    b50, _ = _pct(bm)
    c50, c99 = _pct(one_cpu)
    fc50, _ = _pct(fl_cpu)
    return [f"{engine.index_.ntotal:,}", engine.index_.kind_, round(p50, 2), round(p99, 2),
            round(c50, 2), round(c99, 2), round(batch, 1), round(f50, 2), round(p50 / f50, 2),
            round(fc50, 2), round(c50 / fc50, 2), round(n50, 1),
            round(n50 / p50, 1), round(b50, 1), round(b50 / p50, 1), load()]  # fmt: skip


def large_row(n: int, queries: int) -> list[object]:
    """A full recommend over ``n`` generated postings: build time, memory, p50/p99, recall@10
    against the exhaustive scorer (score_pairs over every posting)."""
    import resource

    from matching.evaluate.baselines import exhaustive_recommend

    engine, persons, today, _, build = _world(n, queries)
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    engine.recommend(persons[0], 10, today=today)
    got: list[list[str]] = []
    times = _timed(lambda p: got.append([m.posting_id for m in engine.recommend(p, 10, today=today)]),
                   persons)  # fmt: skip
    hits = total = 0
    for person, mine in zip(persons[:50], got, strict=False):
        exact = exhaustive_recommend(engine, engine.profile(person, today=today), 10, today)
        hits += len(set(mine) & set(exact))
        total += len(exact)
    p50, p99 = _pct(times)
    return [f"{engine.index_.ntotal:,}", engine.index_.kind_, round(p50, 2), round(p99, 2),
            "", "", f"recall@10 vs exhaustive {hits / max(1, total):.3f}",
            f"build {build:.0f} s", f"peak RSS {rss_gb:.1f} GB", "", "", "", "", "", "",
            load()]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--million",
        type=int,
        default=1_000_000,
        help="postings of the full-recommend row (1M by default; 0 skips it)",
    )
    ap.add_argument("--no-append", action="store_true")
    ap.add_argument(
        "--world",
        type=Path,
        help="keep the fitted worlds in this folder and load them on the next run",
    )
    args = ap.parse_args()
    from matching.threads import limit_threads

    limit_threads(1)
    rows = [engine_row(n, args.queries, args.world) for n in args.sizes]
    if args.million:
        rows.append(large_row(args.million, args.queries))
    cols = ["postings", "index", "p50 ms", "p99 ms", "CPU p50 ms", "CPU p99 ms",
            "batch persons/s", "faiss flat p50 ms", "engine / faiss flat",
            "faiss flat CPU p50 ms", "engine / faiss flat (CPU)", "exhaustive p50 ms",
            "exhaustive / engine", "BM25 p50 ms", "BM25 / engine", "load"]  # fmt: skip
    body = (
        "One `engine.recommend(person, 10)` in-process (retrieve, filter, score, explain), "
        f"{args.queries} generated persons, one BLAS/OpenMP thread. faiss flat = "
        "`IndexFlatIP.search` top 10 on the engine's posting and query vectors (no filters, no "
        "re-rank); exhaustive = `score_pairs` over every posting with exact TF-IDF similarity "
        "(the same scorer); BM25 = `BM25Okapi.get_scores` + top 10 (retrieval only). The last "
        "row, when present, is a full recommend over a large generated world. CPU = "
        "`time.process_time` of the call (what the call costs, whatever the machine's load).\n\n"
    )
    body += table(cols, rows)
    if args.no_append:
        print(body)
    else:
        append("Recommendation", body)


if __name__ == "__main__":
    main()
