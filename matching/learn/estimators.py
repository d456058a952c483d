"""Counterfactual estimates of a candidate policy's outcome rates from a push log.

The log holds, per push, the person, the posting's row in the person's
:class:`~matching.learn.policy.Context`, the propensity with which the logging policy pushed
it (its inclusion probability) and the outcome (1 contact / interview / hire, else 0). A
candidate policy gives each eligible posting an inclusion probability ``π``; with the weight
``w = π / propensity`` of each logged push, and ``K`` the pushes the candidate would send
(``min(k, n)`` a person):

* IPS        ``Σ w·r / Σ K`` — unbiased when every posting the candidate may push had a
             positive propensity;
* SNIPS      ``Σ w·r / Σ w`` — self-normalised: slightly biased, far less variable when the
             weights vary a lot and the rate is not small;
* DR         ``(Σ_x Σ_a π·q̂ + Σ w·(r − q̂)) / Σ K`` — doubly robust: a reward model ``q̂``
             predicts the outcome of every eligible posting, the weighted residuals correct it;
             unbiased when either the propensities or the model are right.

The estimand is the rate per push, assuming a push's outcome depends on the person and the
posting, not on the other postings of the list nor on its position in it. Intervals come from
a bootstrap over persons (a person's pushes are resampled together); the effective sample size
is ``(Σ w)² / Σ w²``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from matching.learn.policy import Context, FloatArray, Policy, Push


class RewardModel(Protocol):
    """Predicts the probability of the outcome for every eligible posting of a context."""

    def predict(self, context: Context) -> FloatArray: ...


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with its bootstrap confidence interval."""

    value: float
    low: float
    high: float

    def covers(self, truth: float) -> bool:
        return self.low <= truth <= self.high


@dataclass(frozen=True, slots=True)
class PolicyEstimate:
    """IPS, SNIPS and DR estimates of one outcome rate of a candidate policy."""

    ips: Interval
    snips: Interval
    dr: Interval
    effective_sample_size: float
    n_pushes: int
    n_persons: int


@dataclass(frozen=True, slots=True)
class _PerPerson:
    """Per-person sums; every estimator is a ratio of their totals."""

    wr: FloatArray  # Σ w·r
    w: FloatArray  # Σ w
    k: FloatArray  # pushes the candidate sends
    direct: FloatArray  # Σ_a π(a)·q̂(a)
    wq: FloatArray  # Σ w·q̂ over the logged pushes

    def estimates(self, counts: npt.NDArray[np.float64]) -> tuple[FloatArray, ...]:
        """IPS, SNIPS, DR for each row of ``counts`` (how often each person is drawn)."""
        wr, w, k = counts @ self.wr, counts @ self.w, counts @ self.k
        dr = (counts @ self.direct + wr - counts @ self.wq) / k
        with np.errstate(invalid="ignore", divide="ignore"):
            snips = np.where(w > 0, wr / w, 0.0)
        return wr / k, snips, dr


class ConstantModel:
    """A reward model that predicts the same rate for every posting (the simplest q̂)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def predict(self, context: Context) -> FloatArray:
        return np.full(context.size, self.rate)


def estimate_policy(
    contexts: Sequence[Context],
    pushes: Sequence[Push],
    rewards: npt.ArrayLike,
    target: Policy,
    k: int,
    *,
    reward_model: RewardModel | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> PolicyEstimate:
    """Estimate the rate per push of one outcome if ``target`` had pushed ``k`` a person.

    Parameters
    ----------
    contexts : sequence of Context
        Every person of the log (persons with no push count with their ``K`` too).
    pushes : sequence of Push
        The logged pushes, with their propensities.
    rewards : array-like of float
        The outcome of each push (1/0), aligned with ``pushes``.
    target : Policy
        The candidate policy.
    reward_model : RewardModel, optional
        q̂ for DR; by default the logged rate of the outcome (a constant).
    n_boot, level : int, float
        Bootstrap replicates over persons and the interval's coverage.

    Raises
    ------
    ValueError
        A push without a positive propensity, of an unknown person or posting row, or rewards
        not aligned with the pushes.
    """
    r = np.asarray(rewards, np.float64)
    if r.shape != (len(pushes),):
        raise ValueError(f"{r.size} rewards for {len(pushes)} pushes; give one per push.")
    if not pushes:
        raise ValueError("The push log is empty; nothing to estimate from.")
    model = reward_model or ConstantModel(float(r.mean()))
    sums, w = _per_person(contexts, pushes, r, target, k, model)
    rng = rng or np.random.default_rng(0)
    n = len(contexts)
    point = [float(e[0]) for e in sums.estimates(np.ones((1, n)))]
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(np.float64)
    boots = sums.estimates(counts)
    tail = 100.0 * (1.0 - level) / 2.0
    ivals = [
        Interval(p, float(np.percentile(b, tail)), float(np.percentile(b, 100.0 - tail)))
        for p, b in zip(point, boots, strict=True)
    ]
    ess = float(w.sum() ** 2 / np.sum(w**2)) if np.any(w > 0) else 0.0
    return PolicyEstimate(*ivals, effective_sample_size=ess, n_pushes=len(pushes), n_persons=n)


def _per_person(
    contexts: Sequence[Context],
    pushes: Sequence[Push],
    r: FloatArray,
    target: Policy,
    k: int,
    model: RewardModel,
) -> tuple[_PerPerson, FloatArray]:
    """The per-person sums of the estimators, and each push's weight."""
    index = {c.person_id: i for i, c in enumerate(contexts)}
    n = len(contexts)
    inclusion = [target.inclusion(c, k) for c in contexts]
    predicted = [np.asarray(model.predict(c), np.float64) for c in contexts]
    w = np.zeros(len(pushes))
    person = np.zeros(len(pushes), np.int64)
    q = np.zeros(len(pushes))
    for j, push in enumerate(pushes):
        i = index.get(push.person_id)
        if i is None or not 0 <= push.row < contexts[i].size:
            raise ValueError(f"Push {j}: person {push.person_id!r} row {push.row} not in contexts.")
        if not push.propensity > 0.0:
            raise ValueError(f"Push {j}: propensity {push.propensity!r} must be > 0.")
        w[j] = inclusion[i][push.row] / push.propensity
        person[j], q[j] = i, predicted[i][push.row]
    sums = _PerPerson(
        wr=np.bincount(person, w * r, n),
        w=np.bincount(person, w, n),
        k=np.array([float(a.sum()) for a in inclusion]),
        direct=np.array([float(a @ p) for a, p in zip(inclusion, predicted, strict=True)]),
        wq=np.bincount(person, w * q, n),
    )
    return sums, w


class LogisticRewardModel:
    """q̂ from a logistic regression of the logged outcome on the term values (scikit-learn)."""

    def fit(
        self, contexts: Sequence[Context], pushes: Sequence[Push], rewards: npt.ArrayLike
    ) -> LogisticRewardModel:
        from sklearn.linear_model import LogisticRegression

        by_person = {c.person_id: c for c in contexts}
        x = np.stack([by_person[p.person_id].values[p.row] for p in pushes]).astype(np.float64)
        y = np.asarray(rewards, np.float64)
        if np.unique(y).size < 2:
            self.model_ = None
            self.rate_ = float(y.mean()) if y.size else 0.0
        else:
            self.model_ = LogisticRegression(max_iter=1000).fit(x, y)
            self.coef_ = self.model_.coef_[0].astype(np.float64)  # numpy per context: fast
            self.intercept_ = float(self.model_.intercept_[0])
        return self

    def predict(self, context: Context) -> FloatArray:
        if self.model_ is None:
            return np.full(context.size, self.rate_)
        logit = context.values.astype(np.float64) @ self.coef_ + self.intercept_
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), np.float64)
