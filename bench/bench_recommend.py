"""Recommendation benchmark: one person in-process over N postings (p50/p99), batch throughput,
the naive baseline (score_pairs over every posting) and BM25 retrieval in the same run, and the
IVF index at 1M synthetic vectors (recall@10 against exact search).

    python bench/bench_recommend.py [--sizes 10000 100000] [--million] [--queries 200]

The 10k/100k rows use real engines fitted on generated postings. The 1M row uses random unit
vectors of the engine's retrieval width in :class:`matching.retrieve.index.VectorIndex` (IVF, the
engine's nprobe) — the search step only, no re-rank — to stay within time and memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import append, table  # noqa: E402


def _pct(xs: list[float]) -> tuple[float, float]:
    a = np.array(xs) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 99))


def engine_row(n: int, queries: int) -> list[object]:
    from rank_bm25 import BM25Okapi

    from matching.evaluate.baselines import exhaustive_recommend
    from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
    from matching.rank.engine import MatchingEngine
    from matching.understand.text import tokenize

    postings, _ = generated_postings(n, seed=5)
    today = busiest_day(postings)
    persons, _ = generated_persons(queries, seed=5, today=today)
    tokens = [tokenize(p.text) for p in postings]
    engine = MatchingEngine().fit(postings, tokens=tokens)
    engine.recommend(persons[0], 10, today=today)  # warm-up
    one = []
    for p in persons:
        t0 = time.perf_counter()
        engine.recommend(p, 10, today=today)
        one.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    engine.recommend_many(persons, 10, today=today)
    batch = len(persons) / (time.perf_counter() - t0)
    profiles = [engine.profile(p, today=today) for p in persons[:50]]
    naive = []
    for pr in profiles:
        t0 = time.perf_counter()
        exhaustive_recommend(engine, pr, 10, today)
        naive.append(time.perf_counter() - t0)
    bm25 = BM25Okapi([t or ["∅"] for t in tokens])
    bm = []
    for pr in profiles:
        t0 = time.perf_counter()
        s = bm25.get_scores(tokenize(pr.text))
        np.argpartition(-s, 10)[:10]
        bm.append(time.perf_counter() - t0)
    p50, p99 = _pct(one)
    n50, _ = _pct(naive)
    b50, _ = _pct(bm)
    return [f"{len(postings):,}", engine.index_.kind_, round(p50, 2), round(p99, 2), round(batch, 1),
            round(n50, 1), round(n50 / p50, 1), round(b50, 1), round(b50 / p50, 1)]  # fmt: skip


def million_row(n: int, queries: int, dim: int) -> list[object]:
    import faiss

    from matching.config import MatchingConfig
    from matching.retrieve.index import VectorIndex

    rng = np.random.default_rng(0)
    # clustered synthetic vectors (postings cluster by category and district in the real index)
    centres = rng.standard_normal((2000, dim)).astype(np.float32)
    x = centres[rng.integers(0, 2000, n)] + 0.5 * rng.standard_normal((n, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = x[rng.choice(n, queries, replace=False)] + 0.1 * rng.standard_normal((queries, dim)).astype(
        np.float32
    )
    cfg = MatchingConfig()
    t0 = time.perf_counter()
    ivf = VectorIndex(nprobe=cfg.ivf_nprobe).build(x, kind="ivf")
    build = time.perf_counter() - t0
    flat = faiss.IndexFlatIP(dim)
    flat.add(x)
    _, exact = flat.search(np.ascontiguousarray(q), 10)
    fetch = max(cfg.min_candidates, 10 * cfg.oversample)
    times, hits = [], 0
    for i in range(queries):
        t0 = time.perf_counter()
        rows, _ = ivf.search(q[i : i + 1], fetch)
        times.append(time.perf_counter() - t0)
        hits += len(set(rows[0][:10].tolist()) & set(exact[i].tolist()))
    p50, p99 = _pct(times)
    return [f"{n:,} (synthetic, d={dim})", f"ivf nprobe={cfg.ivf_nprobe}, fetch {fetch}",
            round(p50, 2), round(p99, 2), f"recall@10 vs exact {hits / (10 * queries):.3f}",
            f"build {build:.0f} s", "", "", ""]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--million", type=int, default=1_000_000, help="0 to skip the synthetic row")
    ap.add_argument("--no-append", action="store_true")
    args = ap.parse_args()
    from matching.config import MatchingConfig

    rows = [engine_row(n, args.queries) for n in args.sizes]
    if args.million:
        dim = MatchingConfig().svd_components + 18 + 3
        rows.append(million_row(args.million, args.queries, dim))
    cols = ["postings", "index", "p50 ms", "p99 ms", "batch persons/s", "naive p50 ms",
            "naive / engine", "BM25 p50 ms", "BM25 / engine"]  # fmt: skip
    body = (
        "One `engine.recommend(person, 10)` in-process (retrieve, filter, score, explain), "
        f"{args.queries} generated persons. naive = `score_pairs` over every posting with exact "
        "TF-IDF similarity; BM25 = `BM25Okapi.get_scores` + top 10 (retrieval only, no filters).\n\n"
    )
    body += table(cols, rows)
    if args.no_append:
        print(body)
    else:
        append("Recommendation", body)


if __name__ == "__main__":
    main()
