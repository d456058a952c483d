"""The evaluation report: :func:`write_report` turns the result of
:func:`matching.evaluate.run.run_evaluation` into markdown with png plots, each figure followed
by the numbers it was drawn from (and the whole result as json).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.domain.categories import LABELS, Category
from matching.evaluate.baselines import RANKERS
from matching.evaluate.figures import md_table, plot_bars
from matching.evaluate.judged_report import judged_section

__all__ = [
    "lorenz_points",
    "write_report",
]


def _plot_confusion(m: Mapping[str, Any], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = np.array(m["confusion"], dtype=np.float64)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(m["classes"])), m["classes"])
    ax.set_yticks(range(len(m["classes"])), m["classes"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="share of true class")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_exposure(counts: Sequence[int], n_postings: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    full = np.array(list(counts) + [0] * (n_postings - len(counts)), dtype=np.float64)
    x = np.sort(full)
    lorenz = np.concatenate([[0], np.cumsum(x) / max(x.sum(), 1)])
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot(np.linspace(0, 1, lorenz.size), lorenz, label="top-10 exposure")
    ax.plot([0, 1], [0, 1], "--", color="grey", label="equal exposure")
    ax.set_xlabel("share of postings")
    ax.set_ylabel("share of exposure")
    ax.set_title("Lorenz curve of exposure")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def lorenz_points(
    counts: Sequence[int], n_postings: int, points: int = 11
) -> list[tuple[float, float]]:
    """(share of postings, share of exposure) at evenly spaced points of the Lorenz curve."""
    x = np.sort(np.array(list(counts) + [0] * (n_postings - len(counts)), dtype=np.float64))
    cum = np.concatenate([[0], np.cumsum(x) / max(x.sum(), 1)])
    at = np.linspace(0, 1, points)
    return [(round(float(a), 2), round(float(cum[int(round(a * x.size))]), 4)) for a in at]


def write_report(result: Mapping[str, Any], out: Path) -> Path:
    """Write ``out/report.md`` and its png figures; every figure is followed by its data."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = result["config"]
    md = [
        "# songgang evaluation report",
        "",
        f"Generated data: {cfg['postings']} postings, {cfg['persons']} persons, "
        f"{cfg['cases']} known-answer cases; seed {cfg['seed']}; ranking day {cfg['today']}; "
        f"shared data: {cfg['shared'] or 'absent (sections that need it are skipped)'}.",
        "",
    ]
    md += judged_section(result.get("judged_dev", {"skipped": "not run"}), out)
    md += ["## Regression check: known-answer sets (self-consistency, not quality)", ""]
    rk = result["ranking"]
    md.append(
        "The truth of these sets is built with the same rule the engine scores with (same "
        "category as a seed posting, same or neighbouring district), so a ranker that ignores "
        "text can score high on them: they show that the engine still follows its own rule, "
        "not that its lists are good. Ranking quality is the judged-dev section above. "
        f"Persons built from a seed posting (ticked category, home district, title as skills); "
        f"right answers = postings of that category in that district (grade 2) or a "
        f"neighbouring one (grade 1); {rk['mean_relevant']} right postings per case on average. "
        "Noise kinds rotate over the cases. `exhaustive` = `score_pairs` over every posting "
        "(the naive baseline); `popularity` = most openings first; `category_filter` = wanted "
        "categories in random order; `bm25` = BM25Okapi over jieba tokens."
    )
    plot_bars(
        rk["overall"], ["ndcg@10", "recall@10", "mrr"], "known-answer ranking", out / "ranking.png"
    )
    md += ["", "![ranking](ranking.png)", ""]
    md.append(md_table(["ranker", "NDCG@10", "Recall@10", "MRR"],
                     [[n, m["ndcg@10"], m["recall@10"], m["mrr"]] for n, m in rk["overall"].items()]))  # fmt: skip
    md += ["", "### By noise kind (NDCG@10)", ""]
    md.append(md_table(["noise", *RANKERS],
                     [[kind, *(v[n]["ndcg@10"] for n in RANKERS)] for kind, v in rk["by_noise"].items()]))  # fmt: skip
    if "judged" in rk:
        md += ["", f"### Judged set ({rk['n_judged']} persons)", ""]
        md.append(md_table(["ranker", "NDCG@10", "Recall@10", "MRR"],
                         [[n, m["ndcg@10"], m["recall@10"], m["mrr"]] for n, m in rk["judged"].items()]))  # fmt: skip
    else:
        md += ["", "No judged set given (`--judged FILE.jsonl`)."]

    fa = result["fairness"]
    md += ["", "## Congestion and fairness (engine top-10 over all generated persons)", ""]
    _plot_exposure(fa["exposure_counts"], fa["n_postings"], out / "exposure.png")
    md += ["![exposure](exposure.png)", ""]
    md.append(
        md_table(
            ["share of postings", "share of exposure"],
            lorenz_points(fa["exposure_counts"], fa["n_postings"]),
        )
    )
    o = fa["overall"]
    md += ["", f"Overall: exposure Gini {o['gini']}, coverage {o['coverage']}, mean list length "
           f"{o['mean_len']}, empty lists {o['empty_share']}.", ""]  # fmt: skip
    for group, values in fa["groups"].items():
        md += [f"### By {group}", ""]
        md.append(md_table([group, "persons", "gini", "coverage", "mean_len", "empty_share", "mean_top1_score"],
                         [[v, s["persons"], s["gini"], s["coverage"], s["mean_len"], s["empty_share"],
                           s["mean_top1_score"]] for v, s in values.items()]))  # fmt: skip
        md.append("")
    md += [
        "Coverage of a group is over all postings, so small groups have lower coverage by size alone.",
        "",
    ]

    pa = result["parsers"]
    md += ["## Parsers", ""]
    if "skipped_51job" in pa:
        md += [f"51job strings skipped: {pa['skipped_51job']}.", ""]
    for key, what in (("salary_51job", "parse_salary on 51job salary patterns (monthly min and max)"),
                      ("location_51job", "parse_location on 51job address patterns (district)"),
                      ("salary_generated", "parse_salary on generated salary cells"),
                      ("location_generated", "parse_location on generated addresses (district)")):  # fmt: skip
        if key not in pa:
            continue
        s = pa[key]
        size = s.get("patterns", s.get("n"))
        md += [f"### {what}", "", f"Exact match: {s['exact']} of {size}"
               + (f" distinct patterns ({s['exact_rows']} of {s['rows']} rows)" if "rows" in s else "")
               + f"; {len(s['failures'])} failures.", ""]  # fmt: skip
        if s["failures"]:
            md.append(
                md_table(
                    ["text", "expected", "got"],
                    [[f["text"], f["expected"], f["got"]] for f in s["failures"]],
                )
            )
            md.append("")
        if s.get("not_in_table"):
            md += [
                f"Not in the expected-pattern table (not scored): {', '.join(s['not_in_table'])}",
                "",
            ]

    ca = result["categories"]
    md += ["## Categories (classify_job)", ""]
    if "skipped_shared" in ca:
        md += [f"Cross-validation on real texts skipped: {ca['skipped_shared']}.", ""]
    for key, what in (("occupations", "2022 occupations with dev labels, out of fold"),
                      ("postings_1dagong", "1dagong postings (board category mapped), out of fold"),
                      ("generated", "generated postings, shipped model")):  # fmt: skip
        m = ca.get(key)
        if not m or not m.get("n"):
            continue
        _plot_confusion(m, what, out / f"confusion_{key}.png")
        md += [f"### {what}", "", f"n {m['n']}: top-1 {m['top1']}, top-3 {m['top3']}, macro-F1 {m['macro_f1']}.", "",
               f"![confusion {key}](confusion_{key}.png)", "", "Confusion matrix (rows true, columns predicted):", ""]  # fmt: skip
        md.append(
            md_table(
                ["true\\pred", *m["classes"]],
                [[c, *row] for c, row in zip(m["classes"], m["confusion"], strict=True)],
            )
        )
        md += ["", "Most confused:", ""]
        md.append(md_table(["true", "predicted", "count", "share of true"],
                         [[f"{d['true']} {LABELS[Category(d['true'])]}", f"{d['predicted']} {LABELS[Category(d['predicted'])]}",
                           d["count"], d["share_of_true"]] for d in m["top_confusions"]]))  # fmt: skip
        md.append("")
    path = out / "report.md"
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return path
