"""The run report: markdown + png, for the capped allocation and the uncapped one beside it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from matching.nightly.messages import CALL_REASONS, contact_channel
from matching.nightly.pairs import exposure, gini
from matching.nightly.records import Allocation, NightlySettings, Registrant


def allocation_figures(
    alloc: Allocation,
    chosen: np.ndarray,
    persons: Sequence[Registrant],
    threshold: float,
    channels: dict[int, str] | None = None,
) -> dict[str, Any]:
    """Headline figures of one allocation (see the report for their meaning).

    ``channels`` (person → :func:`contact_channel`) is filled as persons are met and read
    back: the capped and uncapped figures check each phone once between them.
    """
    channels = {} if channels is None else channels
    c = alloc.candidates
    n = len(persons)
    per_person = np.bincount(c.person[chosen], minlength=n)
    good = np.zeros(n, dtype=bool)
    good_pairs = chosen & (c.score >= threshold)
    good[np.unique(c.person[good_pairs])] = True
    exp = exposure(c, chosen, len(alloc.posting_ids))
    used = exp[exp > 0]
    districts: dict[str, dict[str, int]] = {}
    calls = dict.fromkeys(CALL_REASONS, 0)  # covered persons called instead of messaged, by why
    for i, (p, pushed) in enumerate(zip(persons, per_person.tolist(), strict=True)):
        d = districts.setdefault(p.district, {"persons": 0, "covered": 0, "pushes": 0, "call": 0,
                                              "not_mobile": 0})  # fmt: skip
        d["persons"] += 1
        d["covered"] += int(pushed > 0)
        d["pushes"] += pushed
        if not pushed:
            continue
        channel = channels.get(i)
        if channel is None:
            channel = channels[i] = contact_channel(p.accepts_messages, p.phone)
        if channel != "message":
            calls[channel] += 1
            d["call"] += 1
            d["not_mobile"] += int(channel == "not_mobile")
    return {
        "persons": n,
        "covered": int((per_person > 0).sum()),
        "share_good_fit": round(float(good.mean()) if n else 0.0, 4),
        "pushes": int(per_person.sum()),
        "total_fit": round(float(c.score[chosen].sum()), 4),
        "postings_used": int(used.size),
        "exposure_max": int(used.max()) if used.size else 0,
        "exposure_mean": round(float(used.mean()), 2) if used.size else 0.0,
        "exposure_gini": round(gini(used), 4),
        "over_cap": int((exp > alloc.caps).sum()),
        "messaged": int((per_person > 0).sum()) - sum(calls.values()),
        "call": calls,
        "districts": {k: districts[k] for k in sorted(districts)},
        "_exposure": used,
    }


def _plot(path: Path, capped: np.ndarray, uncapped: np.ndarray, caps_max: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    top = max(int(capped.max()) if capped.size else 1, int(uncapped.max()) if uncapped.size else 1)
    bins = np.linspace(0, top + 1, min(60, top + 2))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax.hist(uncapped, bins=bins, alpha=0.55, label="uncapped", color="tab:red")
    ax.hist(capped, bins=bins, alpha=0.75, label="capped", color="tab:blue")
    log_scale = bool(capped.size or uncapped.size)  # a night without candidates has no data
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("exposure: persons a posting is sent to")
    ax.set_ylabel("postings (log scale)" if log_scale else "postings")
    ax.set_title(f"Exposure per posting (largest cap {caps_max})")
    ax.legend()
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.tmp")
    fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)
    os.replace(tmp, path)


def write_report(
    out_dir: Path,
    *,
    day: dt.date,
    version: str,
    settings: NightlySettings,
    persons: Sequence[Registrant],
    alloc: Allocation,
) -> tuple[dict[str, Any], list[Path]]:
    """Write ``report.md`` and ``report.png``; return the counts (as recorded with the run)."""
    th = settings.fit_threshold
    channels: dict[int, str] = {}
    capped = allocation_figures(alloc, alloc.capped, persons, th, channels)
    uncapped = allocation_figures(alloc, alloc.uncapped, persons, th, channels)
    capped["explored"] = int((alloc.explored & alloc.capped).sum())  # slots given by exploration
    capped["explored_expected"] = round(alloc.explored_expected, 2)
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "report.png"
    _plot(png, capped.pop("_exposure"), uncapped.pop("_exposure"), int(alloc.caps.max(initial=0)))

    def pct(x: float) -> str:
        return f"{100 * x:.1f}%"

    rows = [
        ("persons (eligible) 人数", capped["persons"], uncapped["persons"]),
        ("persons covered (≥1 posting) 覆盖人数", capped["covered"], uncapped["covered"]),
        (f"share with ≥1 posting scoring ≥ {th}", pct(capped["share_good_fit"]),
         pct(uncapped["share_good_fit"])),
        ("pushes 推送条数", capped["pushes"], uncapped["pushes"]),
        ("total fit (sum of scores)", capped["total_fit"], uncapped["total_fit"]),
        ("postings used 使用岗位数", capped["postings_used"], uncapped["postings_used"]),
        ("exposure max", capped["exposure_max"], uncapped["exposure_max"]),
        ("exposure mean (used postings)", capped["exposure_mean"], uncapped["exposure_mean"]),
        ("exposure Gini (used postings)", capped["exposure_gini"], uncapped["exposure_gini"]),
        ("postings over their cap", capped["over_cap"], uncapped["over_cap"]),
        ("covered, sent SMS+WeChat 短信+微信", capped["messaged"], uncapped["messaged"]),
        *[(f"covered, call: {why} {CALL_REASONS[why]}", capped["call"][why],
           uncapped["call"][why]) for why in CALL_REASONS],
    ]  # fmt: skip
    if settings.exploration > 0:
        share = capped["explored"] / capped["pushes"] if capped["pushes"] else 0.0
        rows.append(("pushes placed by exploration 探索推送", f"{capped['explored']} "
                     f"({pct(share)}; expected {capped['explored_expected']}, setting "
                     f"{pct(settings.exploration)})", "–"))  # fmt: skip
    lines = [
        f"# 夜间岗位推送 Nightly push run {day.isoformat()}",
        "",
        f"- index version: `{version}`",
        f"- settings: `{asdict(settings)}`",
        f"- candidate pairs: {alloc.candidates.size}; postings among candidates: "
        f"{len(alloc.posting_ids)}",
        "",
        "| figure | capped | uncapped |",
        "| --- | ---: | ---: |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "![exposure per posting](report.png)",
        "",
        "## Per district 分区",
        "",
        "| district | persons | covered | pushes | call only | of them no mobile 非手机号 "
        "| pushes uncapped |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for d, v in capped["districts"].items():
        u = uncapped["districts"][d]
        lines.append(
            f"| {d} | {v['persons']} | {v['covered']} | {v['pushes']} | {v['call']} "
            f"| {v['not_mobile']} | {u['pushes']} |"
        )
    md = out_dir / "report.md"
    tmp = md.with_name(".report.md.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, md)
    return {"capped": capped, "uncapped": uncapped}, [md, png]
