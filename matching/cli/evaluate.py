"""``songgang evaluate``: the quality report (issue 6).

Registered in :mod:`matching.cli.main` with::

    from matching.cli.evaluate import evaluate
    app.command()(evaluate)

Example::

    songgang evaluate --out out/eval [--shared ../shared/data] [--judged judged.jsonl] [--quick]

Writes ``OUT/report.md`` (with png figures, each followed by its data) and ``OUT/report.json``.
Sections that need ../shared/data are skipped, with a message in the report, when it is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)


def evaluate(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for report.md, report.json and the pngs.")
    ],
    shared: Annotated[
        Path | None,
        typer.Option(
            "--shared",
            envvar="SONGGANG_SHARED_DATA",
            help="The shared data folder (default ../shared/data when present).",
        ),
    ] = None,
    judged: Annotated[
        Path | None,
        typer.Option("--judged", help="jsonl of {person, relevance: {posting id: 0|1|2}}."),
    ] = None,
    postings: Annotated[int, typer.Option("--postings", min=20, help="Generated postings.")] = 3000,
    persons: Annotated[int, typer.Option("--persons", min=1, help="Generated persons.")] = 500,
    cases: Annotated[int, typer.Option("--cases", min=1, help="Known-answer cases.")] = 400,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    quick: Annotated[
        bool, typer.Option("--quick", help="One cross-validation fold instead of five.")
    ] = False,
) -> None:
    """Measure ranking on judged-dev (with baselines), categories, parsers and exposure fairness."""
    from matching.evaluate.report import write_report
    from matching.evaluate.run import default_shared_dir, run_evaluation

    if shared is not None and not shared.is_dir():
        _err.print(f"[red]找不到共享数据目录 / shared data folder not found: {shared}[/red]")
        raise typer.Exit(2)
    if judged is not None and not judged.is_file():
        _err.print(f"[red]找不到评测文件 / judged file not found: {judged}[/red]")
        raise typer.Exit(2)
    shared = shared or default_shared_dir()
    if shared is None:
        _err.print(
            "未找到 ../shared/data：跳过真实数据部分 / ../shared/data absent: skipping real-data sections"
        )
    result = run_evaluation(
        shared=shared,
        n_postings=postings,
        n_persons=persons,
        n_cases=cases,
        judged=judged,
        seed=seed,
        cv_folds=1 if quick else None,
        progress=lambda msg: _err.print(f"· {msg}"),
    )
    path = write_report(result, out)
    _out.print(f"report: {path}")
    jd = result["judged_dev"]
    if "skipped" in jd:
        _out.print(f"judged-dev skipped: {jd['skipped']}")
    else:
        _out.print(f"judged-dev ({jd['n_persons']} persons, {jd['n_pairs']} graded pairs):")
        for name, m in jd["overall"].items():
            _out.print(f"  {name:18s} NDCG@10 {m['ndcg@10']:.3f}  Recall@10 {m['recall@10']:.3f}")
        c = jd["categories"]
        _out.print(
            f"  classify_job top-1 {c['top1']:.3f} (majority {c['majority_baseline']:.3f}), "
            f"macro-F1 {c['macro_f1']:.3f}"
        )
    _out.print("known-answer sets (regression check: self-consistency, not quality):")
    for name, m in result["ranking"]["overall"].items():
        _out.print(
            f"  {name:16s} NDCG@10 {m['ndcg@10']:.3f}  Recall@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}"
        )
    fa = result["fairness"]["overall"]
    _out.print(f"exposure Gini {fa['gini']:.3f}  coverage {fa['coverage']:.3f}")
