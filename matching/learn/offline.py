"""Offline evaluation of a policy on a push log: the log (recorded or simulated), the policies
by name, and IPS / SNIPS / DR of each outcome with intervals.

A log is the shape of :func:`matching.learn.pushlog.read_push_log`'s ``PushLog``: contexts,
pushes, responses and the persons' groups (for the fairness report). :func:`simulated_log`
builds one from the simulator, so the whole loop runs without data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from matching.config import MatchingConfig
from matching.learn.estimators import LogisticRewardModel, PolicyEstimate, estimate_policy
from matching.learn.policy import Context, Policy, Push, WeightsPolicy, log_lists
from matching.learn.ranker import LearnedPolicy
from matching.learn.simulator import Outcome, Response, Simulator, random_contexts, rewards
from matching.rank.learned import LearnedRanker, served_model
from matching.rank.scoring import TERMS, term_weights

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EVALUATED: tuple[Outcome, ...] = ("contact", "interview", "hire")
DISTRICTS = ("滨海新区", "和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区",
             "西青区", "津南区", "北辰区", "武清区", "宝坻区", "静海区", "宁河区", "蓟州区")  # fmt: skip


@dataclass(slots=True)
class LogData:
    """A push log: contexts, pushes, responses, groups, and what it is (``source``)."""

    contexts: list[Context]
    pushes: list[Push]
    responses: list[Response]
    groups: pd.DataFrame
    source: dict[str, Any] = field(default_factory=dict)
    horizon_days: int | None = None

    @property
    def k(self) -> int:
        """The usual list length of the log (pushes per person; policies push as many)."""
        counts = Counter(p.person_id for p in self.pushes)
        return Counter(counts.values()).most_common(1)[0][0] if counts else 0


def simulated_log(
    n_persons: int, *, seed: int = 0, k: int = 5, exploration: float = 0.1
) -> tuple[LogData, Simulator]:
    """A simulated night of ``n_persons`` (exploring logging policy), with made-up groups."""
    rng = np.random.default_rng(seed)
    contexts = random_contexts(n_persons, rng)
    sim = Simulator(contexts, seed=seed)
    pushes = log_lists(contexts, k, exploration, rng)
    responses = sim.respond(pushes, rng)
    gender = rng.choice(["男", "女"], n_persons)
    age = rng.integers(18, 60, n_persons)
    band = np.where(
        ((gender == "女") & (age >= 40)) | ((gender == "男") & (age >= 50)),
        "4050",
        np.where(age < 30, "16-29", "30+"),
    )
    groups = pd.DataFrame({
        "person_id": [c.person_id for c in contexts], "gender": gender, "age_band": band,
        "district": rng.choice(DISTRICTS, n_persons),
    })  # fmt: skip
    source = {"simulated": True, "persons": n_persons, "seed": seed, "exploration": exploration}
    return LogData(contexts, pushes, responses, groups, source), sim


def recorded_log(
    session: Session,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    horizon_days: int = 30,
) -> LogData:
    """The push log recorded in the database (pushes, their outcomes, the persons' groups)."""
    try:
        from matching.learn.pushlog import read_push_log  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - until the reader is merged
        raise RuntimeError(
            "本版本尚不能读取推送记录 / this version cannot read the push log yet "
            "(matching.learn.pushlog is missing); use --simulate N"
        ) from exc
    log = read_push_log(session, since=since, until=until, horizon_days=horizon_days)
    source = {"simulated": False, "since": str(since or ""), "until": str(until or "")}
    return LogData(list(log.contexts), list(log.pushes), list(log.responses), log.groups,
                   source, horizon_days)  # fmt: skip


def hand_policy(config: MatchingConfig | None = None) -> WeightsPolicy:
    """The hand weights of ``MatchingConfig`` as a policy (what serves with no promotion)."""
    weights = term_weights(config or MatchingConfig())
    return WeightsPolicy(tuple(weights[t] for t in TERMS))


def policy_named(name: str, session: Session | None) -> tuple[str, Policy]:
    """``engine`` (hand weights), a model file, or ``current`` (what the ledger serves)."""
    if name == "engine":
        return "engine", hand_policy()
    if name == "current":
        served = served_model(session) if session is not None else None
        if served is None:
            return "engine", hand_policy()
        path, digest = served
        ranker = LearnedRanker.load(Path(path), sha256=digest or None)
        return ranker.model_id, LearnedPolicy(ranker)
    path = Path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"找不到模型文件 / no such model file: {name} (give engine, current or a model file)"
        )
    ranker = LearnedRanker.load(path)
    return ranker.model_id, LearnedPolicy(ranker)


def evaluate_policy(
    log: LogData,
    policy: Policy,
    *,
    k: int | None = None,
    outcomes: Sequence[Outcome] = EVALUATED,
    n_boot: int = 500,
    seed: int = 0,
) -> dict[Outcome, PolicyEstimate]:
    """IPS, SNIPS and DR (logistic reward model) of each outcome's rate per push."""
    k = k or log.k
    if isinstance(policy, LearnedPolicy):
        policy.prime(log.contexts)
    pushes = [r.push for r in log.responses]
    out: dict[Outcome, PolicyEstimate] = {}
    for outcome in outcomes:
        r = rewards(log.responses, outcome, log.horizon_days)
        model = LogisticRewardModel().fit(log.contexts, pushes, r)
        out[outcome] = estimate_policy(
            log.contexts, pushes, r, policy, k, reward_model=model, n_boot=n_boot,
            rng=np.random.default_rng(seed),
        )  # fmt: skip
    return out


def estimate_table(estimates: dict[Outcome, PolicyEstimate]) -> list[dict[str, Any]]:
    """One row per outcome and estimator: value, interval, ESS (for printing and JSON)."""
    rows = []
    for outcome, est in estimates.items():
        for name in ("ips", "snips", "dr"):
            iv = getattr(est, name)
            rows.append({
                "outcome": outcome, "estimator": name.upper(), "value": round(iv.value, 5),
                "low": round(iv.low, 5), "high": round(iv.high, 5),
                "ess": round(est.effective_sample_size, 1), "pushes": est.n_pushes,
            })  # fmt: skip
    return rows


def simulated_checks(
    policies: dict[str, Policy],
    *,
    nights: int = 5,
    n_persons: int = 2000,
    seed: int = 0,
    n_boot: int = 200,
) -> pd.DataFrame:
    """Each policy's DR estimate (with its interval) and simulated truth, night by night: one
    row per (night, policy, outcome). What the notebook plots; a test checks the coverage."""
    rows = []
    for night in range(nights):
        log, sim = simulated_log(n_persons, seed=seed + night)
        for name, policy in policies.items():
            truth = sim.true_rates(policy, log.k)
            for outcome, est in evaluate_policy(log, policy, n_boot=n_boot, seed=night).items():
                rows.append({
                    "night": night + 1, "policy": name, "outcome": outcome,
                    "dr": est.dr.value, "low": est.dr.low, "high": est.dr.high,
                    "truth": truth[outcome], "covered": est.dr.covers(truth[outcome]),
                })  # fmt: skip
    return pd.DataFrame(rows)
