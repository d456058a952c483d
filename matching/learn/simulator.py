"""A simulator of job seekers who answer pushes, for testing what learns from outcomes.

Each simulated person has hidden preferences: a weight per engine score term
(:data:`~matching.rank.scoring.TERMS`), drawn around population weights that differ from the
engine's hand-set ones. A pushed posting's utility is ``values @ weights``; the person answers
along the funnel contact → interest → interview → hire, each stage given the previous one with
probability ``sigmoid(intercept + utility)``. A share of persons never answers at all
(non-response), and each stage comes a random number of days after the previous one
(geometric delays), so an outcome looked at after ``within_days`` may not have happened yet.

The simulator is seeded: the same contexts, funnel and seed give the same persons, and the
same pushes and ``rng`` give the same answers. :meth:`Simulator.true_rates` gives a policy's exact
expected rates per push, the truth counterfactual estimates are judged against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from matching.config import MatchingConfig
from matching.learn.policy import Context, FloatArray, Policy, Push, engine_scores
from matching.rank.scoring import TERMS

Outcome = Literal["contact", "interest", "interview", "hire"]
OUTCOMES: tuple[Outcome, ...] = ("contact", "interest", "interview", "hire")


@dataclass(frozen=True, slots=True)
class Funnel:
    """Population parameters of the simulated job seekers.

    ==================  ===========================================================
    weights             mean hidden weight of each term, in ``TERMS`` order
    spread              standard deviation of a person's weights around the mean
    intercepts          logit of each stage given the previous one, at utility 0
    non_response        share of persons who never answer
    mean_delay_days     mean days from the previous stage (from the push for contact)
    ==================  ===========================================================
    """

    # Pay, distance and hours weigh more than the engine's hand weights assume. At a typical
    # utility of a top posting (about 3.5), a push is answered 1 time in 5 and ends in a hire
    # about 1 in 60.
    weights: tuple[float, ...] = (0.8, 1.2, 2.0, 1.5, 0.2, -1.0, -2.0)
    spread: float = 0.4
    intercepts: tuple[float, float, float, float] = (-4.5, -3.5, -4.0, -4.0)
    non_response: float = 0.2
    mean_delay_days: tuple[float, float, float, float] = (1.0, 2.0, 4.0, 7.0)

    def __post_init__(self) -> None:
        if len(self.weights) != len(TERMS):
            raise ValueError(f"Funnel needs {len(TERMS)} weights ({TERMS}).")
        if not 0.0 <= self.non_response <= 1.0:
            raise ValueError(f"non_response must be within [0, 1], got {self.non_response!r}.")
        if min(self.mean_delay_days) < 0:
            raise ValueError(f"mean_delay_days must be ≥ 0, got {self.mean_delay_days!r}.")


@dataclass(frozen=True, slots=True)
class Response:
    """What a person did about one push: the day (after the push) each stage happened, or None."""

    push: Push
    days: tuple[int | None, int | None, int | None, int | None]

    def reached(self, outcome: Outcome, within_days: int | None = None) -> bool:
        day = self.days[OUTCOMES.index(outcome)]
        return day is not None and (within_days is None or day <= within_days)


def rewards(
    responses: Sequence[Response], outcome: Outcome, within_days: int | None = None
) -> FloatArray:
    """1.0 where ``outcome`` happened (by ``within_days`` after the push), else 0.0."""
    return np.array([r.reached(outcome, within_days) for r in responses], np.float64)


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


class Simulator:
    """Job seekers with hidden preferences answering the pushes of their ``contexts``.

    Parameters
    ----------
    contexts : sequence of Context
        One per person (their eligible postings and term values).
    funnel : Funnel, optional
    seed : int
        Draws the persons' hidden weights and who never answers.
    """

    def __init__(
        self, contexts: Sequence[Context], funnel: Funnel | None = None, *, seed: int = 0
    ) -> None:
        self.contexts = list(contexts)
        self.funnel = funnel or Funnel()
        rng = np.random.default_rng(seed)
        n = len(self.contexts)
        mean = np.array(self.funnel.weights)
        self.weights_ = mean + self.funnel.spread * rng.standard_normal((n, len(TERMS)))
        self.responsive_ = rng.random(n) >= self.funnel.non_response
        self._row = {c.person_id: i for i, c in enumerate(self.contexts)}
        if len(self._row) != n:
            raise ValueError("Simulator: two contexts share a person_id.")

    def stage_probabilities(self, person: int) -> FloatArray:
        """P(each stage eventually happens) for each eligible posting of ``person``: (n, 4)."""
        ctx = self.contexts[person]
        utility = ctx.values.astype(np.float64) @ self.weights_[person]
        steps = _sigmoid(np.asarray(self.funnel.intercepts)[None, :] + utility[:, None])
        return float(self.responsive_[person]) * np.cumprod(steps, axis=1)

    def respond(self, pushes: Sequence[Push], rng: np.random.Generator) -> list[Response]:
        """Each person's answer to each push (independent across pushes)."""
        delays = self.funnel.mean_delay_days
        steps = np.asarray(self.funnel.intercepts)
        out: list[Response] = []
        for push in pushes:
            i = self._row[push.person_id]
            utility = float(self.contexts[i].values[push.row] @ self.weights_[i])
            probs = float(self.responsive_[i]) * np.cumprod(_sigmoid(steps + utility))
            u = rng.random()  # one draw: stage j happens iff u < P(j), so the funnel nests
            lag = np.cumsum(rng.geometric(1.0 / (1.0 + np.asarray(delays))) - 1)
            days = tuple(int(d) if u < p else None for p, d in zip(probs, lag, strict=True))
            out.append(Response(push, days))  # type: ignore[arg-type]
        return out

    def true_rates(
        self, policy: Policy, k: int, within_days: int | None = None
    ) -> dict[Outcome, float]:
        """The exact expected rate of each outcome per push when ``policy`` pushes ``k`` a
        person (outcomes counted by ``within_days`` after the push when given)."""
        totals = np.zeros(len(OUTCOMES))
        pushed = 0.0
        for i, ctx in enumerate(self.contexts):
            inclusion = policy.inclusion(ctx, k)
            totals += inclusion @ self.stage_probabilities(i)
            pushed += float(inclusion.sum())
        if within_days is not None:
            totals *= self.delay_cdf(within_days)
        return {
            o: float(t / pushed) if pushed else 0.0 for o, t in zip(OUTCOMES, totals, strict=True)
        }

    def delay_cdf(self, within_days: int) -> FloatArray:
        """P(stage j comes within ``within_days`` of the push | it happens), for each stage."""
        days = np.arange(within_days + 1)
        total = np.zeros(within_days + 1)
        total[0] = 1.0
        out = []
        for m in self.funnel.mean_delay_days:
            p = 1.0 / (1.0 + m)
            pmf = p * (1.0 - p) ** days  # geometric on {0, 1, …}, truncated at within_days
            total = np.convolve(total, pmf)[: within_days + 1]
            out.append(total.sum())
        return np.array(out)


def random_contexts(
    n_persons: int,
    rng: np.random.Generator,
    *,
    postings: tuple[int, int] = (15, 40),
    config: MatchingConfig | None = None,
) -> list[Context]:
    """Synthetic contexts: each person has ``postings[0]``–``postings[1]`` eligible postings
    with term values shaped like the engine's (categories 0 / 0.6 / 0.8–1, an unknown pay at
    0.5, area 0 / 0.5 / 1, schedule clashes at 0 or 1) and the engine score of ``config``."""
    config = config or MatchingConfig()
    out: list[Context] = []
    for i in range(n_persons):
        n = int(rng.integers(postings[0], postings[1] + 1))
        salary = np.where(rng.random(n) < 0.2, 0.5, rng.random(n))
        values = np.column_stack([
            rng.beta(2.0, 5.0, n),
            rng.choice([0.0, 0.6, 0.8, 0.9, 1.0], n, p=[0.4, 0.2, 0.1, 0.1, 0.2]),
            salary,
            rng.random(n),
            rng.random(n),
            rng.choice([0.0, 0.5, 1.0], n, p=[0.6, 0.25, 0.15]),
            (rng.random(n) < 0.15).astype(np.float64),
        ]).astype(np.float32)  # fmt: skip
        score = engine_scores(values, config).astype(np.float32)
        ids = tuple(f"P{i}-{j}" for j in range(n))
        out.append(Context(f"S{i:05d}", ids, values, score))
    return out
