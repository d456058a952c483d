"""Exploration in the nightly lists: a share of the slots goes to a random eligible posting.

After the capped allocation (:mod:`matching.nightly.allocation`) every person holds a list of
``g`` postings. The persons are then taken one by one in a random order seeded by the run key
(a resumed run draws the same). For person *i*, the **pool** is the set of their candidates
(every one passed the hard filters; at most ``NightlySettings.explore_candidates`` of them, the
best by engine score) that are not in their list and whose exposure cap still has room at that
moment. Each of the ``g`` slots is explored with probability ``exploration``; the explored
slots (at most as many as the pool holds; when there are more, a random subset of them) get
distinct postings drawn uniformly from the pool, each replacing the posting of its slot, whose
room on its cap is freed. No posting ever goes over its cap, and no unfit posting is pushed.

The propensity stored with each push is the exact probability that the posting was among the
person's pushes **given the state when the person was processed** (their list, and the caps'
room then, which earlier persons' draws shaped): with ``c = E[min(S, pool)]``, ``S ~
Binomial(g, exploration)``, a listed posting stays with probability ``1 − c/g`` and a pool
posting comes in with ``c/|pool|`` (:func:`slot_inclusion`). Because each person's draw is
independent of everything before it given that state, the importance weight of a push has the
right conditional expectation whatever happened earlier, so IPS and doubly robust estimates stay
unbiased under this sequential logging (the usual argument for adaptively collected logs: the
sum of the per-person terms is a martingale).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.stats import binom

from matching.nightly.pairs import Candidates, IntArray

DEFAULT_EXPLORATION = 0.10
DEFAULT_EXPLORE_CANDIDATES = 50


@lru_cache(maxsize=4096)
def explored_mean(slots: int, pool: int, share: float) -> float:
    """E[min(S, pool)] for S ~ Binomial(slots, share): the expected number of explored pushes."""
    if slots == 0 or pool == 0 or share == 0.0:
        return 0.0
    s = np.arange(slots + 1)
    return float(np.sum(binom.pmf(s, slots, share) * np.minimum(s, pool)))


def slot_inclusion(slots: int, pool: int, share: float) -> tuple[float, float]:
    """The inclusion probability of a listed posting and of a pool posting.

    ``slots`` postings are listed, ``pool`` others may be explored in; each slot is explored
    with probability ``share``.

    Examples
    --------
    >>> slot_inclusion(5, 10, 0.0)
    (1.0, 0.0)
    >>> [round(p, 4) for p in slot_inclusion(1, 4, 0.5)]
    [0.5, 0.125]
    """
    c = explored_mean(slots, pool, share)
    listed = 1.0 - c / slots if slots else 0.0
    return listed, (c / pool if pool else 0.0)


@dataclass(slots=True)
class Explored:
    """The lists after exploration, per candidate pair.

    ``chosen``: pushed; ``explored``: pushed in an explored slot; ``propensity``: the pair's
    inclusion probability when its person was processed (0 when it could not be pushed: not
    listed and no room on its cap, or its person had no list); ``position``: 1-based slot of a
    pushed pair (0 otherwise); ``expected``: the expected number of explored slots (the sum
    over persons of ``E[min(S, pool)]``), around which ``explored.sum()`` scatters.
    """

    chosen: npt.NDArray[np.bool_]
    explored: npt.NDArray[np.bool_]
    propensity: npt.NDArray[np.float64]
    position: IntArray
    expected: float = 0.0


def list_positions(c: Candidates, chosen: npt.NDArray[np.bool_]) -> IntArray:
    """1-based place of each chosen pair in its person's list (score desc, then posting)."""
    position = np.zeros(c.size, np.int64)
    picked = np.flatnonzero(chosen)
    order = picked[np.lexsort((c.posting[picked], -c.score[picked], c.person[picked]))]
    person = c.person[order]
    first = np.searchsorted(person, person, side="left")
    position[order] = np.arange(order.size) - first + 1
    return position


def explore_lists(
    c: Candidates,
    chosen: npt.NDArray[np.bool_],
    caps: IntArray,
    exploration: float,
    seed: int,
) -> Explored:
    """Give each slot of the allocated lists, with probability ``exploration``, to a posting
    drawn uniformly from the person's pool (see the module docstring).

    Parameters
    ----------
    c : Candidates
        Every candidate pair (the pool of a person is drawn from theirs).
    chosen : bool array (m,)
        The capped allocation (not modified).
    caps : int array (n_postings,)
        Exposure caps; ``chosen`` respects them.
    exploration : float
        Probability that a slot is explored (0 leaves the lists as they are).
    seed : int
        Seeds the persons' order and the draws (the same seed gives the same lists).
    """
    position = list_positions(c, chosen)
    if exploration == 0.0:  # the lists as allocated, each push certain
        return Explored(chosen.copy(), np.zeros(c.size, dtype=bool), chosen * 1.0, position)
    # Plain lists in the loop: a person costs a few microseconds (numpy calls per person cost
    # ten times as much, 200k times a night).
    n_persons = int(c.person.max()) + 1 if c.size else 0
    by_person = np.lexsort((c.posting, -c.score, c.person))
    bounds = np.searchsorted(c.person[by_person], np.arange(n_persons + 1)).tolist()
    edges_of, picked = by_person.tolist(), chosen.tolist()
    load = np.bincount(c.posting[chosen], minlength=len(caps)).tolist()
    cap, posting, place = caps.tolist(), c.posting.tolist(), position.tolist()
    propensity, explored = [0.0] * c.size, [False] * c.size
    rng = np.random.default_rng(seed)
    expected = 0.0
    for i in rng.permutation(n_persons).tolist():
        edges = edges_of[bounds[i] : bounds[i + 1]]
        listed = [e for e in edges if picked[e]]  # best first: slot s holds listed[s]
        if not listed:
            continue
        pool = [e for e in edges if not picked[e] and load[posting[e]] < cap[posting[e]]]
        p_listed, p_pool = slot_inclusion(len(listed), len(pool), exploration)
        for e in listed:
            propensity[e] = p_listed
        for e in pool:
            propensity[e] = p_pool
        expected += explored_mean(len(listed), len(pool), exploration)
        slots = np.flatnonzero(rng.random(len(listed)) < exploration)
        if not pool or not slots.size:
            continue
        slots = rng.permutation(slots)[: len(pool)]
        for s, new in zip(slots.tolist(), rng.choice(pool, slots.size, replace=False).tolist(),
                          strict=True):  # fmt: skip
            old = listed[s]
            picked[old], picked[new], explored[new] = False, True, True
            place[new], place[old] = s + 1, 0
            load[posting[old]] -= 1
            load[posting[new]] += 1
    return Explored(
        np.array(picked, dtype=bool), np.array(explored, dtype=bool), np.array(propensity),
        np.array(place, dtype=np.int64), expected,
    )  # fmt: skip


def seed_of(run_key: str) -> int:
    """A 64-bit seed from a run key (hex): the same run draws the same lists."""
    return int(run_key[:16], 16)
