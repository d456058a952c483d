"""Training run of ``songgang learn train``: train on a push log, judge the model on a log it
never saw, write the model card ``models/LEARNED.md``.

Held out: on a recorded log, the persons whose id hashes into the last fifth (a person's pushes
are never both trained on and judged); on the simulator, a fresh night with another seed, for
which the simulator also knows each policy's true rates.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.learn.estimators import PolicyEstimate
from matching.learn.offline import (
    EVALUATED,
    LogData,
    evaluate_policy,
    hand_policy,
    simulated_log,
)
from matching.learn.ranker import LearnedPolicy, TrainedModel, train_ranker
from matching.learn.simulator import Outcome, Simulator
from matching.rank.learned import FEATURES, MONOTONE

HELD_OUT_SEED_OFFSET = 1000


@dataclass(slots=True)
class TrainingRun:
    """A trained model with its held-out estimates (and the simulated truth, if any)."""

    model: TrainedModel
    estimates: dict[str, dict[Outcome, PolicyEstimate]]
    truth: dict[str, dict[Outcome, float]] | None
    held_out: dict[str, Any]


def split_persons(log: LogData, fifth: int = 4) -> tuple[LogData, LogData]:
    """(training, held out): persons whose CRC32 of the id is ``fifth`` mod 5 are held out."""

    def held(pid: str) -> bool:
        return zlib.crc32(pid.encode("utf-8")) % 5 == fifth

    parts = []
    for want in (False, True):
        keep = [r for r in log.responses if held(r.push.person_id) is want]
        ids = {c.person_id for c in log.contexts if held(c.person_id) is want}
        parts.append(LogData(
            [c for c in log.contexts if c.person_id in ids], [r.push for r in keep], keep,
            log.groups[log.groups["person_id"].isin(ids)], log.source, log.horizon_days,
        ))  # fmt: skip
    return parts[0], parts[1]


def run_training(
    log: LogData, out_dir: Path, *, seed: int = 0, n_boot: int = 500, sim_persons: int = 0
) -> TrainingRun:
    """Train on ``log`` and estimate engine vs model on held-out pushes.

    With ``sim_persons`` (a simulated log) the held-out log is a fresh simulated night of as
    many persons; otherwise a fifth of the log's persons are held out of training.
    """
    sim: Simulator | None = None
    if sim_persons:
        train_log = log
        held, sim = simulated_log(sim_persons, seed=seed + HELD_OUT_SEED_OFFSET)
        held_what = {"simulated": True, "persons": sim_persons, "seed": seed + HELD_OUT_SEED_OFFSET}
    else:
        train_log, held = split_persons(log)
        held_what = {
            "simulated": False,
            "persons": len(held.contexts),
            "rule": "crc32(id) % 5 == 4",
        }
    model = train_ranker(
        train_log.contexts, train_log.responses, out_dir, window=log.source,
        horizon_days=log.horizon_days, seed=seed,
    )  # fmt: skip
    policies = {"engine": hand_policy(), model.ranker.model_id: LearnedPolicy(model.ranker)}
    estimates = {n: evaluate_policy(held, p, n_boot=n_boot, seed=seed) for n, p in policies.items()}
    truth = None
    if sim is not None:
        truth = {n: sim.true_rates(p, held.k) for n, p in policies.items()}
    held_what["pushes"] = len(held.responses)
    return TrainingRun(model, estimates, truth, held_what)


def write_card(run: TrainingRun, path: Path, *, command: str) -> Path:
    """Write the model card of ``run`` (markdown) to ``path``."""
    side = run.model.sidecar
    lines = [
        "# Model card: learned ranker (models/learned/)",
        "",
        f"Written by `songgang learn train` on {dt.date.today():%Y-%m-%d} — do not edit by hand. "
        "Reproduce with",
        "",
        f"    {command}",
        "",
        "## What it does",
        "Re-orders the postings that passed every hard filter and cap for a person (the engine's "
        "top k × oversample) with a LightGBM lambdarank model; the engine still retrieves, "
        "filters and scores. It serves only after `songgang learn promote` finds it better "
        "(see the README), and `songgang learn rollback` returns to what served before.",
        "",
        f"- model `{side['model_id']}` — file `{run.model.path.name}`, SHA-256 `{side['sha256']}`",
        f"- training log: `{json.dumps(side['window'], ensure_ascii=False)}`, "
        f"outcomes read {side['horizon_days'] or 'any number of'} days after the push",
        f"- pushes {side['figures']['pushes']}, persons {side['figures']['persons']}, labels "
        f"`{json.dumps(side['figures']['labelled'])}`",
        f"- labels: hire 4 > interview 3 > interest 2 > contact 1 > none 0; weights: "
        f"{side['weights']}",
        "",
        "## Features (never gender, age, disability or anything read from the ID number)",
        "| feature | monotone | gain |",
        "| --- | --- | --- |",
        *[
            f"| {f} | {MONOTONE[f]:+d} | {side['figures']['gain_importance'][f]:.1f} |"
            for f in FEATURES
        ],
        "",
        "## Parameters",
        f"`{json.dumps(side['params'], ensure_ascii=False)}`",
        "",
        f"## Held-out estimates (`{json.dumps(run.held_out, ensure_ascii=False)}`)",
        "Rates per push, doubly robust (95 % bootstrap interval over persons), with SNIPS and "
        "the effective sample size of the importance weights.",
        "",
        "| policy | outcome | DR | interval | SNIPS | ESS |" + (" truth |" if run.truth else ""),
        "| --- | --- | --- | --- | --- | --- |" + (" --- |" if run.truth else ""),
    ]
    for name, est in run.estimates.items():
        for o in EVALUATED:
            e = est[o]
            row = (f"| {name} | {o} | {e.dr.value:.4f} | {e.dr.low:.4f}–{e.dr.high:.4f} | "
                   f"{e.snips.value:.4f} | {e.effective_sample_size:.0f} |")  # fmt: skip
            if run.truth:
                row += f" {run.truth[name][o]:.4f} |"
            lines.append(row)
    if run.held_out.get("simulated"):
        lines += ["", "This run is on the simulator (`matching.learn.simulator`): its figures "
                  "show the loop works, not how the model does on the bureau's pushes."]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
