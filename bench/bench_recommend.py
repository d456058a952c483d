"""Recommendation benchmark: one person in-process over N postings (p50/p99), batch throughput,
and in the same run on the same data the baselines it is judged against: faiss flat top-10 on
the engine's own posting and query vectors, the exhaustive scorer (score_pairs over every
posting, the same scorer) and BM25 retrieval. Then a full recommend (filters, scoring, reasons)
over a large generated world — 1M postings by default, an IVF index above
``MatchingConfig.exact_index_max`` — with build time per stage, peak memory and recall@10
against the same engine over a flat index and against the exhaustive scorer.

    python bench/bench_recommend.py [--sizes 10000 100000] [--million 1000000] [--queries 200]
        [--world DIR] [--rebuild-index]

``--world DIR`` keeps each fitted world on disk (``DIR/<n>``: the engine's ``save`` folder and
the postings' words, the build's stage times) and loads it on the next run instead of
generating and fitting again. ``--rebuild-index`` builds the large world's index again with
this code (the kept files are not changed) and times it.

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
    """(engine, persons, today, posting tokens, build facts): the facts are the seconds of each
    build stage and the build's peak RSS, read back from ``keep`` when the world was loaded."""
    import json

    from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
    from matching.rank.engine import MatchingEngine

    folder = keep / str(n) if keep else None
    if folder and (folder / "manifest.json").exists():
        t0 = time.perf_counter()
        engine = MatchingEngine.load(folder)
        tokens = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        facts = json.loads((folder / "build.json").read_text(encoding="utf-8")) if (
            folder / "build.json").exists() else {}  # fmt: skip
        facts["load s"] = round(time.perf_counter() - t0, 1)
        today = busiest_day(engine.postings_)
        persons, _ = generated_persons(queries, seed=5, today=today)
        return engine, persons, today, tokens, facts
    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    postings, _ = generated_postings(n, seed=5)
    stages["generate"] = time.perf_counter() - t0
    today = busiest_day(postings)
    persons, _ = generated_persons(queries, seed=5, today=today)
    t0 = time.perf_counter()
    tokens = _tokenized([p.text for p in postings])
    stages["tokenize"] = time.perf_counter() - t0
    with _stage_times(stages):
        t0 = time.perf_counter()
        engine = MatchingEngine().fit(postings, tokens=tokens)
        stages["fit"] = time.perf_counter() - t0
    facts = {f"{k} s": round(v, 1) for k, v in stages.items()}
    facts["build peak RSS GB"] = round(_peak_rss_gb(), 2)
    if folder:
        engine.save(folder)
        (folder / "tokens.json").write_text(json.dumps(tokens, ensure_ascii=False), "utf-8")
        (folder / "build.json").write_text(json.dumps(facts), "utf-8")
    return engine, persons, today, tokens, facts


def _tokenized(texts: list[str]) -> list[list[str]]:
    """``tokenize`` of every text, in two processes when there are many (the machine's 2 CPUs)."""
    from matching.understand.text import tokenize

    if len(texts) < 50_000:
        return [tokenize(t) for t in texts]
    import multiprocessing as mp

    with mp.get_context("fork").Pool(2) as pool:
        return pool.map(tokenize, texts, chunksize=5_000)


def _peak_rss_gb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


class _stage_times:  # noqa: N801  (used as a context manager)
    """Adds the seconds spent in each step of ``MatchingEngine.fit`` to ``stages`` while open
    (the steps' functions are wrapped, then restored)."""

    def __init__(self, stages: dict[str, float]) -> None:
        import matching.rank.engine as eng

        self.stages = stages
        self.targets = [(eng.TextVectorizer, "fit_sparse"), (eng.TextVectorizer, "project"),
                        (eng.PostingTable, "from_postings"), (eng, "repost_groups"),
                        (eng.PostingWords, "from_tokens"), (eng, "posting_vectors"),
                        (eng.VectorIndex, "build")]  # fmt: skip
        self.saved: list[tuple[object, str, object]] = []

    def __enter__(self) -> _stage_times:
        for owner, name in self.targets:
            raw = owner.__dict__[name]
            fn = raw.__func__ if isinstance(raw, classmethod) else raw
            self.saved.append((owner, name, raw))
            timed = self._timed(fn, f"fit: {name}")
            setattr(owner, name, classmethod(timed) if isinstance(raw, classmethod) else timed)
        return self

    def _timed(self, fn, label: str):  # type: ignore[no-untyped-def]
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.stages[label] = self.stages.get(label, 0.0) + time.perf_counter() - t0

        return wrapper

    def __exit__(self, *exc: object) -> None:
        for owner, name, raw in self.saved:
            setattr(owner, name, raw)


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
    engine.config = _current_settings(engine.config_)  # a kept world ranks as this code would
    c0 = time.process_time()
    prepared = engine.prepare_day(today)  # what the service does at load
    print(f"prepare_day: {prepared:,} open postings' reason parts in "
          f"{time.process_time() - c0:.1f} CPU s", flush=True)  # fmt: skip
    engine.recommend(persons[0], 10, today=today)  # warm-up
    # the batch path's first call keeps the postings' matrix by column, once (1.5 s at 100k)
    engine.recommend_many(persons[:2], 10, today=today)
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


def large_row(
    n: int,
    queries: int,
    keep: Path | None = None,
    exact_max: int | None = None,
    rebuild: bool = False,
) -> tuple[list[str], list[object]]:
    """A full recommend (filters, scoring, reasons) over ``n`` generated postings: build time
    per stage, peak RSS, p50/p99 (wall and CPU), and two recall@10 figures on the same
    persons: against the same engine over an exact (flat) index (what an IVF index costs) and
    against the exhaustive scorer (``score_pairs`` over every posting: what the candidate cut
    costs). ``exact_max`` re-indexes a loaded world with that size limit of exact search (an
    IVF index at a development size); ``rebuild`` re-indexes it with the code's settings (a
    kept world's index is that of the code that built it). Returns (columns, row)."""
    from dataclasses import replace

    from matching.evaluate.baselines import exhaustive_recommend
    from matching.rank.profiles import recommendable
    from matching.retrieve.index import VectorIndex

    engine, persons, today, _, facts = _world(n, queries, keep)
    # a kept world ranks with this code's settings, not those saved with it (the indexed
    # vectors' settings are checked equal)
    engine.config = _current_settings(engine.config_)
    if exact_max is not None or rebuild:
        limit = engine.config_.exact_index_max if exact_max is None else exact_max
        t0 = time.perf_counter()
        index = VectorIndex(exact_max=limit, nprobe=engine.config_.ivf_nprobe)
        engine.index_ = index.build(engine.vectors_)
        facts["index rebuilt s"] = round(time.perf_counter() - t0, 1)
    engine.recommend(persons[0], 10, today=today)
    got: list[list[str]] = []
    cpu: list[float] = []
    times = _timed(lambda p: got.append([m.posting_id for m in engine.recommend(p, 10, today=today)]),
                   persons, cpu)  # fmt: skip
    kind = engine.index_.kind_
    lists = engine.index_.lists
    if kind != "flat":  # the same engine over an exact index of the same vectors, with as
        # many candidates: what the IVF search alone costs
        engine.index_ = VectorIndex(exact_max=n).build(engine.vectors_, kind="flat")
        engine.config = replace(engine.config_, min_candidates=engine.config_.ivf_min_candidates)
    flat = [[m.posting_id for m in engine.recommend(p, 10, today=today)] for p in persons]
    # the persons the engine serves (of working age, registered): others get no list by rule
    served = [i for i, p in enumerate(persons) if recommendable(p, today, engine.config_)][:50]
    sample = len(served)
    exact = [exhaustive_recommend(engine, engine.profile(persons[i], today=today), 10, today)
             for i in served]  # fmt: skip
    got = [got[i] for i in served]
    p50, p99 = _pct(times)
    c50, c99 = _pct(cpu)
    cols = ["postings", "index", "p50 ms", "p99 ms", "CPU p50 ms", "CPU p99 ms",
            "recall@10 vs flat (same candidates)",
            f"recall@10 vs exhaustive ({sample} persons)",
            "build (s per stage)", "peak RSS GB", "load"]  # fmt: skip
    stages = ", ".join(f"{k[:-2]} {v}" for k, v in facts.items() if k.endswith(" s"))
    row = [f"{engine.index_.ntotal:,}", f"{kind} ({lists:,} lists, nprobe ≥ "
           f"{engine.config_.ivf_nprobe}, {engine.config_.ivf_min_candidates} candidates)"
           if kind == "ivf" else kind, round(p50, 2), round(p99, 2), round(c50, 2),
           round(c99, 2), f"{_recall(got, [flat[i] for i in served]):.3f}",
           f"{_recall(got, exact):.3f}", stages,
           f"{facts.get('build peak RSS GB', float('nan'))} build, {_peak_rss_gb():.2f} run",
           load()]  # fmt: skip
    return cols, row


def _current_settings(saved):  # type: ignore[no-untyped-def]
    from matching.config import MatchingConfig

    now = MatchingConfig()
    for name in ("svd_components", "retrieval_category_boost", "retrieval_location_scale"):
        if getattr(saved, name) != getattr(now, name):
            raise SystemExit(f"the kept world was built with another {name}: rebuild it")
    return now


def _recall(got: list[list[str]], truth: list[list[str]]) -> float:
    """Share of the truth's ids (per person, over the persons the truth has) that ``got`` has."""
    hits = sum(len(set(g) & set(t)) for g, t in zip(got, truth, strict=False))
    return hits / max(1, sum(len(t) for t in truth))


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
    ap.add_argument(
        "--exact-index-max",
        type=int,
        help="re-index the large world with this limit of exact search (IVF at a smaller size)",
    )
    ap.add_argument(
        "--rebuild-index",
        action="store_true",
        help="re-index the large (kept) world with this code's settings, timed",
    )
    args = ap.parse_args()
    from matching.threads import limit_threads

    limit_threads(1)
    rows = [engine_row(n, args.queries, args.world) for n in args.sizes]
    large = None
    if args.million:
        large = large_row(
            args.million, args.queries, args.world, args.exact_index_max, args.rebuild_index
        )
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
    body += table(cols, rows) if rows else ""
    if large:
        body += (
            "\n\nFull recommend over a large generated world (recall@10 on the same persons: "
            "against the same engine over a flat index, and against the exhaustive scorer):\n\n"
            + table(large[0], [large[1]])
        )
    if args.no_append:
        print(body)
    else:
        append("Recommendation", body)


if __name__ == "__main__":
    main()
