"""Push policies over a person's eligible postings, and the exploring logging policy.

A :class:`Context` is one person on one night: the postings that passed every hard filter for
them, each with the engine's term values (:data:`~matching.rank.scoring.TERMS`) and engine
score. A policy pushes ``k`` of them; what the counterfactual estimators need from a policy is
the probability that each eligible posting is among the ``k`` pushed (its *inclusion
probability*; the ``k`` probabilities sum to ``min(k, n)``).

The logging policy :func:`log_lists` ranks by the engine score and, with probability
``exploration`` per slot, hands the slot to a posting drawn uniformly from the eligible postings
outside the engine's top ``k`` — never an unfit one, since only eligible postings are in the
context. Each push records its position, the policy that placed it (``"engine"`` or
``"explore"``) and its propensity, the exact inclusion probability of :func:`exploring_inclusion`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.nightly.explore import DEFAULT_EXPLORATION, slot_inclusion
from matching.rank.scoring import TERMS, Scored, term_weights

FloatArray = npt.NDArray[np.float64]
PlacedBy = Literal["engine", "explore"]


@dataclass(frozen=True, slots=True)
class Context:
    """One person's eligible postings on one night.

    ``values[i, t]`` is term ``TERMS[t]`` of posting ``posting_ids[i]`` in [0, 1]; ``score[i]``
    its engine score.
    """

    person_id: str
    posting_ids: tuple[str, ...]
    values: npt.NDArray[np.float32]
    score: npt.NDArray[np.float32]

    def __post_init__(self) -> None:
        n = len(self.posting_ids)
        if self.values.shape != (n, len(TERMS)) or self.score.shape != (n,):
            raise ValueError(
                f"Context of {self.person_id!r}: {n} postings but values {self.values.shape} "
                f"and score {self.score.shape}; expected ({n}, {len(TERMS)}) and ({n},)."
            )

    @property
    def size(self) -> int:
        return len(self.posting_ids)


def context_from_scored(person_id: str, scored: Scored, posting_ids: Sequence[str]) -> Context:
    """The context of one person from the engine's :class:`~matching.rank.scoring.Scored`
    (``scored.rows`` index ``posting_ids``; every row passed the hard filters)."""
    values = np.column_stack([scored.values[t] for t in TERMS]).astype(np.float32)
    ids = tuple(posting_ids[int(r)] for r in scored.rows)
    return Context(person_id, ids, values.reshape(len(ids), len(TERMS)), scored.score.copy())


def engine_scores(values: npt.NDArray[np.float32], config: MatchingConfig) -> FloatArray:
    """The engine score of term ``values`` (rows × TERMS) under ``config``'s weights."""
    weights = term_weights(config)
    return values.astype(np.float64) @ np.array([weights[t] for t in TERMS])


class Policy(Protocol):
    """A push policy: the inclusion probability of each eligible posting in a list of ``k``."""

    def inclusion(self, context: Context, k: int) -> FloatArray: ...


def top_k(score: npt.ArrayLike, k: int) -> npt.NDArray[np.int64]:
    """Rows of the ``k`` highest scores, best first; ties go to the lower row (stable)."""
    s = np.asarray(score, np.float64)
    return np.argsort(-s, kind="stable")[: min(k, s.size)].astype(np.int64)


@dataclass(frozen=True, slots=True)
class WeightsPolicy:
    """Push the top ``k`` by ``values @ weights`` (weights in :data:`TERMS` order)."""

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(TERMS):
            raise ValueError(f"WeightsPolicy needs {len(TERMS)} weights ({TERMS}).")

    def inclusion(self, context: Context, k: int) -> FloatArray:
        out = np.zeros(context.size)
        out[top_k(context.values.astype(np.float64) @ np.array(self.weights), k)] = 1.0
        return out


@dataclass(frozen=True, slots=True)
class EnginePolicy:
    """Push the top ``k`` by the engine score, with an ``exploration`` share of the slots
    (0 disables it) filled uniformly from the eligible postings outside that top ``k``."""

    exploration: float = DEFAULT_EXPLORATION

    def __post_init__(self) -> None:
        if not 0.0 <= self.exploration <= 1.0:
            raise ValueError(f"exploration must be within [0, 1], got {self.exploration!r}.")

    def inclusion(self, context: Context, k: int) -> FloatArray:
        return exploring_inclusion(context.score, k, self.exploration)


def exploring_inclusion(score: npt.ArrayLike, k: int, exploration: float) -> FloatArray:
    """Exact inclusion probabilities of :class:`EnginePolicy`.

    With ``g = min(k, n)`` engine slots, ``m = n - g`` other eligible postings and ``c`` the
    expected number of explored slots (each slot explored with probability ``exploration``, at
    most ``m`` of them), an engine top-``g`` posting is pushed with probability ``1 - c/g`` and
    any other eligible posting with ``c/m`` (:func:`~matching.nightly.explore.slot_inclusion`,
    which the nightly lists use with the person's list and pool of the night).
    """
    s = np.asarray(score, np.float64)
    n = s.size
    g = min(k, n)
    out = np.zeros(n)
    if g == 0:
        return out
    listed, pool = slot_inclusion(g, n - g, exploration)
    out[:] = pool
    out[top_k(s, g)] = listed
    return out


@dataclass(frozen=True, slots=True)
class Push:
    """One logged push: a posting sent to a person, where, by which policy, with what chance."""

    person_id: str
    posting_id: str
    row: int  # the posting's row in the person's Context
    position: int  # 1-based place in the person's list
    placed_by: PlacedBy
    propensity: float


def log_lists(
    contexts: Sequence[Context], k: int, exploration: float, rng: np.random.Generator
) -> list[Push]:
    """Draw the logging policy's lists (:class:`EnginePolicy`) and record every push.

    Slot ``i`` holds the engine's ``i``-th best posting unless it is explored (probability
    ``exploration``); explored slots get distinct postings drawn uniformly from the eligible
    postings outside the engine's top ``k`` (when fewer are left than explored slots, a random
    subset of the explored slots gets them and the rest keep the engine's posting).
    """
    policy = EnginePolicy(exploration)
    pushes: list[Push] = []
    for ctx in contexts:
        propensity = policy.inclusion(ctx, k)
        best = top_k(ctx.score, k)
        rest = np.setdiff1d(np.arange(ctx.size), best)
        explored = np.flatnonzero(rng.random(best.size) < exploration)
        explored = rng.permutation(explored)[: rest.size]
        rows: list[tuple[int, PlacedBy]] = [(int(r), "engine") for r in best]
        for slot, row in zip(explored, rng.choice(rest, explored.size, replace=False), strict=True):
            rows[int(slot)] = (int(row), "explore")
        pushes.extend(
            Push(ctx.person_id, ctx.posting_ids[row], row, pos, by, float(propensity[row]))
            for pos, (row, by) in enumerate(rows, start=1)
        )
    return pushes
