"""Ingest benchmark: parse (csv → Posting, salary, address), segment, classify, embed + index,
and in the same run the minimal text pipeline on the same file (read the csv, segment with
rjieba, fit a TF-IDF): the ratio of the two is the figure to watch on a shared machine.

    python bench/bench_ingest.py [--sizes 10000 100000] [--no-append]

Also measures rjieba against jieba (same dictionary incl. our user words, HMM off): identical
output share and speed. Nothing is adopted here; the numbers go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import append, load, table  # noqa: E402


def ingest(n: int) -> dict[str, float]:
    from matching.generator import generate_postings
    from matching.ingest import read_postings, write_table
    from matching.ingest.importer import infer_categories
    from matching.rank.engine import MatchingEngine
    from matching.understand.text import tokenize

    rows = generate_postings(n, seed=7)
    headers = list(rows[0])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_table(Path(tmp) / "p.csv", headers, ([r[h] for h in headers] for r in rows))
        t_min = minimal_pipeline(path)
        t0 = time.perf_counter()
        postings = [p for _, p in read_postings(path).items]
        t_parse = time.perf_counter() - t0
    # the classifier fills what the sheet leaves blank: blank all categories to time it on every row
    blank = [p.model_copy(update={"category": None}) for p in postings]
    texts = [p.text for p in postings]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.perf_counter()
    tokens = [tokenize(t) for t in texts]
    t_seg = time.perf_counter() - t0
    t0 = time.perf_counter()
    infer_categories(blank)
    t_cls = time.perf_counter() - t0
    t0 = time.perf_counter()
    MatchingEngine().fit(postings, tokens=tokens)
    t_fit = time.perf_counter() - t0
    total = t_parse + t_seg + t_cls + t_fit
    return {"n": len(postings), "parse": t_parse, "segment": t_seg, "classify": t_cls,
            "embed+index": t_fit, "total": total, "postings/s": len(postings) / total,
            "seg MB/s": mb / t_seg, "MB": mb, "minimal": t_min, "total / minimal": total / t_min}  # fmt: skip


def minimal_pipeline(path: Path) -> float:
    """Seconds to read the csv, segment title + description with rjieba and fit a TF-IDF."""
    import csv

    import rjieba
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        texts = [f"{r['岗位名称']} {r['岗位描述']}" for r in csv.DictReader(f)]
    cut = rjieba.Jieba().cut
    tokens = [cut(t, False) for t in texts]
    TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True).fit(tokens)
    return time.perf_counter() - t0


def rjieba_check(n: int = 3000) -> list[list[object]]:
    import rjieba

    from matching.generator import generate_postings
    from matching.understand.text import _tokenizer, normalize_text, user_words

    texts = [
        normalize_text(f"{r['岗位名称']} {r['岗位描述']}") for r in generate_postings(n, seed=3)
    ]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    jb = _tokenizer()
    jb.lcut("预热")
    rj = rjieba.Jieba()
    for w in user_words():
        rj.add_word(w, max(2000, 500 * len(w)), None)
    t0 = time.perf_counter()
    a = [jb.lcut(t, HMM=False) for t in texts]
    t_j = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = [rj.cut(t, False) for t in texts]
    t_r = time.perf_counter() - t0
    same = sum(x == y for x, y in zip(a, b, strict=True)) / len(texts)
    diff = next(((x, y) for x, y in zip(a, b, strict=True) if x != y), None)
    example = "" if diff is None else " / ".join("·".join(s[:12]) for s in diff)
    return [["jieba (HMM off, user dict)", n, round(mb / t_j, 2), "—", ""],
            ["rjieba (hmm off, same user words)", n, round(mb / t_r, 2), f"{same:.1%}", example]]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-rjieba", action="store_true")
    ap.add_argument("--no-append", action="store_true")
    args = ap.parse_args()
    from matching.threads import limit_threads
    from matching.understand.text import tokenize

    limit_threads(1)
    tokenize("预热")  # load dictionaries outside the timings
    results = [ingest(n) for n in args.sizes]
    cols = ["n", "parse", "segment", "classify", "embed+index", "total", "postings/s", "seg MB/s",
            "minimal", "total / minimal"]  # fmt: skip
    body = (
        "Seconds per stage (one process, one BLAS thread); parse = csv → validated Posting incl. "
        "salary/address; minimal = read the csv, rjieba, fit a TF-IDF, same file, same run. "
        f"Load average at the end: {load()}.\n\n"
    )
    body += table(cols, [[r[c] for c in cols] for r in results])
    if not args.no_rjieba:
        body += "\n\nSegmentation alternatives (same texts):\n\n"
        body += table(
            ["segmenter", "texts", "MB/s", "identical lists", "first difference"], rjieba_check()
        )
    if args.no_append:
        print(body)
    else:
        append("Ingest", body)


if __name__ == "__main__":
    main()
