"""Ingest benchmark: parse (csv → Posting, salary, address), segment (each title and description
normalised and cut once; the classifier and the vectorizer both reuse the words, the vectorizer
the normalised text), classify, embed + index, and in
the same run the minimal text pipeline on the same file (read the csv, segment with
rjieba, fit a TF-IDF): the ratio of the two is the figure to watch on a shared machine.

    python bench/bench_ingest.py [--sizes 10000 100000] [--no-append] [--commands]

``--commands`` also times ingest as a bureau runs it, on the same postings in the same run:
``songgang import postings FILE`` then ``songgang index build``, into a fresh SQLite database
and index folder in a temporary folder, each command its own process (:func:`commands`), with
their wall and CPU seconds and their ratios to the minimal pipeline; then, into another fresh
database, the one command ``songgang import postings FILE --index`` (the import, then the index
built in the same process, each title and description cut once for both).

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


def ingest(n: int, with_commands: bool = False) -> dict[str, float]:
    from matching.generator import generate_postings
    from matching.ingest import read_postings, write_table
    from matching.ingest.importer import infer_categories
    from matching.ingest.segment import normalized_texts, segment_fields, text_tokens
    from matching.rank.engine import MatchingEngine

    rows = generate_postings(n, seed=7)
    headers = list(rows[0])
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(stage: str, f):  # type: ignore[no-untyped-def]
        c0, t0 = time.process_time(), time.perf_counter()
        out = f()
        wall[stage], cpu[stage] = time.perf_counter() - t0, time.process_time() - c0
        print(f"{n} {stage}: {wall[stage]:.1f} s ({cpu[stage]:.1f} CPU s)", flush=True)  # noqa: T201
        return out

    with tempfile.TemporaryDirectory() as tmp:
        path = write_table(Path(tmp) / "p.csv", headers, ([r[h] for h in headers] for r in rows))
        timed("minimal", lambda: minimal_pipeline(path))
        postings = timed("parse", lambda: [p for _, p in read_postings(path).items])
        if with_commands:
            # the same postings with their category left blank, as the chained run classifies
            blank_rows = [{**r, "岗位类别": ""} for r in rows]
            blank_path = write_table(
                Path(tmp) / "blank.csv", headers, ([r[h] for h in headers] for r in blank_rows)
            )
            for stage, (w, c) in commands(blank_path, Path(tmp) / "run").items():
                wall[stage], cpu[stage] = w, c
                print(f"{n} {stage}: {w:.1f} s ({c:.1f} CPU s)", flush=True)  # noqa: T201
    # the classifier fills what the sheet leaves blank: blank all categories to time it on every row
    blank = [p.model_copy(update={"category": None}) for p in postings]
    mb = sum(len(p.text.encode("utf-8")) for p in postings) / 1e6
    # each title and description normalised and segmented once; the classifier and the
    # vectorizer reuse them
    words, fields = timed("segment", lambda: segment_fields(postings))
    tokens, texts = timed("tokens", lambda: (text_tokens(words), normalized_texts(fields)))
    timed("classify", lambda: infer_categories(blank, words, fields))
    timed("embed+index", lambda: MatchingEngine().fit(postings, tokens=tokens, normalized=texts))
    stages = ("parse", "segment", "tokens", "classify", "embed+index")
    total, total_cpu = sum(wall[s] for s in stages), sum(cpu[s] for s in stages)
    out = {"n": len(postings), "parse": wall["parse"], "segment": wall["segment"] + wall["tokens"],
            "classify": wall["classify"], "embed+index": wall["embed+index"], "total": total,
            "postings/s": len(postings) / total, "seg MB/s": mb / wall["segment"], "MB": mb,
            "minimal": wall["minimal"], "total / minimal": total / wall["minimal"],
            "CPU s": total_cpu, "minimal CPU s": cpu["minimal"],
            "CPU / minimal CPU": total_cpu / cpu["minimal"]}  # fmt: skip
    if with_commands:
        for stage in (*COMMANDS, ONE_COMMAND):
            out[stage], out[f"{stage} CPU s"] = wall[stage], cpu[stage]
        out["commands"] = sum(wall[s] for s in COMMANDS)
        out["commands CPU s"] = sum(cpu[s] for s in COMMANDS)
        out["commands / minimal"] = out["commands"] / wall["minimal"]
        out["commands CPU / minimal CPU"] = out["commands CPU s"] / cpu["minimal"]
        out["--index CPU / minimal CPU"] = cpu[ONE_COMMAND] / cpu["minimal"]
    return out


COMMANDS = ("import postings", "index build")
ONE_COMMAND = "import postings --index"


def commands(csv_path: Path, folder: Path) -> dict[str, tuple[float, float]]:
    """Run ``songgang import postings csv_path`` then ``songgang index build`` into a new
    SQLite database and index folder under ``folder``, each as its own process (the CLI's
    entry point, this repository's code), as a bureau runs them: each pays its start-up and
    reads with empty caches. Then ``songgang import postings csv_path --index`` into another
    new database and index folder (``folder / "one"``).

    Returns
    -------
    dict
        Per command, its (wall, CPU) seconds; CPU = the child's user + system time.
    """
    import os
    import resource
    import subprocess

    folder.mkdir(parents=True, exist_ok=False)
    db = f"sqlite:///{folder / 'songgang.db'}"
    repo = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([repo, os.environ.get("PYTHONPATH", "")])}
    cli = [sys.executable, "-c", "from matching.cli.main import app; app()"]
    one = folder / "one"
    one.mkdir()
    runs = {
        "import postings": [*cli, "import", "postings", str(csv_path), "--db", db, "--json"],
        "index build": [*cli, "index", "build", "--db", db, "--index-dir", str(folder / "index")],
        ONE_COMMAND: [*cli, "import", "postings", str(csv_path), "--db",
                      f"sqlite:///{one / 'songgang.db'}", "--json", "--index",
                      "--index-dir", str(one / "index")],
    }  # fmt: skip
    out: dict[str, tuple[float, float]] = {}
    for stage, argv in runs.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, env=env, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        out[stage] = (wall, cpu)
    return out


def minimal_pipeline(path: Path) -> None:
    """Read the csv, segment title + description with rjieba and fit a TF-IDF."""
    import csv

    import rjieba
    from sklearn.feature_extraction.text import TfidfVectorizer

    with path.open(encoding="utf-8-sig", newline="") as f:
        texts = [f"{r['岗位名称']} {r['岗位描述']}" for r in csv.DictReader(f)]
    cut = rjieba.Jieba().cut
    tokens = [cut(t, False) for t in texts]
    TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True).fit(tokens)


def commands_table(results: list[dict[str, float]]) -> str:
    """The commands' figures beside the chained total of the same run."""
    cols = ["n", "import postings", "import postings CPU s", "index build", "index build CPU s",
            "commands", "commands CPU s", ONE_COMMAND, f"{ONE_COMMAND} CPU s", "chained total",
            "chained CPU s", "minimal", "minimal CPU s", "commands / minimal",
            "commands CPU / minimal CPU", "--index CPU / minimal CPU"]  # fmt: skip
    rows = [[r.get(c, r.get(c.removeprefix("chained "))) for c in cols] for r in results]
    intro = (
        "As a bureau runs it: `songgang import postings FILE` (category column blank, as the "
        "chained run classifies every row) then `songgang index build`, fresh SQLite database, "
        "each command its own process incl. its start-up; and the one command `songgang import "
        "postings FILE --index` into another fresh database; same run (seconds, wall and CPU):\n\n"
    )
    return intro + table(cols, rows)


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
    ap.add_argument(
        "--commands", action="store_true", help="also time `import postings` + `index build`"
    )
    args = ap.parse_args()
    from matching.threads import limit_threads
    from matching.understand.classifier import default_model
    from matching.understand.text import tokenize

    limit_threads(1)
    tokenize("预热")  # load dictionaries and the classifier's model outside the timings
    default_model()
    cols = ["n", "parse", "segment", "classify", "embed+index", "total", "postings/s", "seg MB/s",
            "minimal", "total / minimal", "CPU s", "minimal CPU s", "CPU / minimal CPU"]  # fmt: skip
    start = load()
    results = [ingest(n, args.commands) for n in args.sizes]
    body = (
        "Seconds per stage (one process, one BLAS thread); parse = csv → validated Posting incl. "
        "salary/address; minimal = read the csv, rjieba, fit a TF-IDF, same file, same run. "
        "CPU s = the process's CPU seconds (on a shared machine the wall clock also counts the "
        f"waits for a core). Load average at the start: {start}; at the end: {load()}.\n\n"
    )
    body += table(cols, [[r[c] for c in cols] for r in results])
    if args.commands:
        body += "\n\n" + commands_table(results)
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
