"""The judged-dev section of the report: the rankers' figures, a plot per ranker and per person,
the per-person table with the graded postings the engine missed, and classify_job's top-1.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matching.evaluate.figures import md_table, plot_bars

__all__ = ["judged_section"]

_WHAT = {
    "engine": "MatchingEngine.recommend",
    "random": "valid postings in random order",
    "bm25": "BM25Okapi between the person's words and the postings (jieba tokens)",
    "category_district": "ticked category (first ticked first), same district first, random within",
}


def _plot_persons(rows: list[Mapping[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.6))
    x = range(len(rows))
    for name, marker in (("engine", "o"), ("category_district", "s"), ("bm25", "^")):
        ax.plot(x, [r[f"{name}_ndcg"] for r in rows], marker, label=name, alpha=0.8)
    ax.set_xticks(list(x), [r["person"] for r in rows], rotation=90, fontsize=7)
    ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel("NDCG@10")
    ax.set_title("judged-dev: NDCG@10 per person")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def judged_section(jd: Mapping[str, Any], out: Path) -> list[str]:
    """Markdown lines of the judged-dev section (figures written into ``out``)."""
    md = ["## Ranking quality on judged-dev (graded by an independent annotator)", ""]
    if "skipped" in jd:
        return [*md, f"Skipped: {jd['skipped']}.", ""]
    md.append(
        f"{jd['n_postings']} postings, {jd['n_persons']} persons, {jd['n_pairs']} graded pairs "
        f"({jd['n_jobs']} once a repost and its original, graded alike, count as one job; a list "
        "showing both gets nothing for the second) (grade 2 = a caseworker would surely recommend, 1 = worth a mention, unlisted = 0); "
        f"ranking day {jd['today']}. Records are read through the bureau-file readers; posting "
        "categories come from classify_job (the annotator's are kept aside as truth). "
        "NDCG@10 with gains 2/1; Recall@10 over the pairs graded ≥ 1."
    )
    if jd["rejected"]:
        md += ["", "Rows the readers refused: " + "; ".join(jd["rejected"])]
    plot_bars(jd["overall"], ["ndcg@10", "recall@10"], "judged-dev", out / "judged.png")
    md += ["", "![judged-dev](judged.png)", ""]
    md.append(md_table(["ranker", "NDCG@10", "Recall@10", "what it is"],
                       [[n, m["ndcg@10"], m["recall@10"], _WHAT.get(n, "")]
                        for n, m in jd["overall"].items()]))  # fmt: skip
    rows = jd["per_person"]
    _plot_persons(rows, out / "judged_persons.png")
    md += ["", "### Per person", "", "![per person](judged_persons.png)", ""]
    md.append(md_table(["person", "graded", "engine NDCG", "engine recall", "cat+district NDCG",
                        "BM25 NDCG", "graded postings missed by the engine"],
                       [[r["person"], r["relevant"], r["engine_ndcg"], r["engine_recall"],
                         r["category_district_ndcg"], r["bm25_ndcg"], " ".join(r["missed"])]
                        for r in rows]))  # fmt: skip
    c = jd["categories"]
    md += [
        "",
        f"classify_job on the {c['n']} labelled postings: top-1 {c['top1']} "
        f"(majority-class baseline {c['majority_baseline']}), macro-F1 {c['macro_f1']}.",
        "",
    ]
    return md
