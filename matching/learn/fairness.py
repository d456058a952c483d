"""The fairness report: exposure and outcome rates by gender, age band and district, for the
policy that serves and a candidate, estimated on the same push log.

Exposure is the pushes a person of the group gets (expected, per person). A learned ranker
only reorders the postings that passed a person's filters and the nightly caps, so it pushes
as many postings per person as the engine: a difference in exposure would show a bug. Outcome
rates are the doubly robust estimates of each outcome's rate per push within the group, so a
candidate that raises the average by serving one group worse shows it here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from matching.domain.spreadsheet import neutralise_cell
from matching.learn.offline import EVALUATED, LogData, evaluate_policy
from matching.learn.policy import Policy
from matching.learn.ranker import LearnedPolicy

DIMENSIONS = ("gender", "age_band", "district")
LABELS = {"gender": "性别", "age_band": "年龄段", "district": "区"}


def _subset(log: LogData, persons: set[str]) -> LogData:
    keep = [r for r in log.responses if r.push.person_id in persons]
    return LogData(
        [c for c in log.contexts if c.person_id in persons],
        [r.push for r in keep],
        keep,
        log.groups[log.groups["person_id"].isin(persons)],
        log.source,
        log.horizon_days,
    )


def fairness_table(
    log: LogData,
    policies: Sequence[tuple[str, Policy]],
    *,
    k: int | None = None,
    n_boot: int = 100,
    min_persons: int = 20,
) -> pd.DataFrame:
    """One row per (dimension, group, policy): persons, pushes per person, DR rate of each
    outcome (with its interval). Groups smaller than ``min_persons`` are left out (their
    estimates say nothing)."""
    k = k or log.k
    for _, policy in policies:
        if isinstance(policy, LearnedPolicy):
            policy.prime(log.contexts)
    rows = []
    for dim in DIMENSIONS:
        if dim not in log.groups.columns:
            continue
        for value, members in log.groups.groupby(dim, sort=True):
            persons = set(members["person_id"].astype(str))
            if len(persons) < min_persons:
                continue
            sub = _subset(log, persons)
            if not sub.responses:
                continue
            for name, policy in policies:
                est = evaluate_policy(sub, policy, k=k, n_boot=n_boot)
                pushed = sum(float(policy.inclusion(c, k).sum()) for c in sub.contexts)
                row = {"dimension": LABELS[dim], "group": str(value), "policy": name,
                       "persons": len(sub.contexts),
                       "pushes_per_person": round(pushed / max(len(sub.contexts), 1), 3)}  # fmt: skip
                for o in EVALUATED:
                    row[o] = round(est[o].dr.value, 4)
                    row[f"{o}_low"] = round(est[o].dr.low, 4)
                    row[f"{o}_high"] = round(est[o].dr.high, 4)
                rows.append(row)
    return pd.DataFrame(rows)


def write_fairness(table: pd.DataFrame, path: Path) -> Path:
    """The table as UTF-8 CSV (BOM, for Excel), every cell neutralised against formulas."""
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = table.map(lambda v: neutralise_cell(v) if isinstance(v, str) else v)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def exposure_gaps(table: pd.DataFrame) -> float:
    """The largest difference in pushes per person between two policies within a group."""
    if table.empty:
        return 0.0
    spread = table.groupby(["dimension", "group"])["pushes_per_person"].agg(np.ptp)
    return float(spread.max())
