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

from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
    # Every array here is laid out person by person, best first (``layout``), so a person's
    # pairs are one slice; the loop reads each person's slice from compact arrays (a person
    # costs a few microseconds) and never holds one Python object per pair of the night.
    n_persons = int(c.person.max()) + 1 if c.size else 0
    layout = _BestFirst(c)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(c.person, minlength=n_persons))]).tolist()
    n_listed = np.bincount(c.person[chosen], minlength=n_persons).tolist()
    posting = array("i", layout.ordered(c.posting.astype(np.int32)).tobytes())
    # the allocation's lists (exploration changes `picked`)
    listed_at = layout.ordered(chosen.copy())
    took = listed_at.tobytes()  # per pair in the layout: 1 when listed by the allocation
    picked = listed_at.copy()
    place = layout.ordered(position)  # position is ours to change
    explored = np.zeros(c.size, dtype=bool)
    p_listed, p_pool = [0.0] * n_persons, [0.0] * n_persons
    pool_at = array("i" if c.size < 2**31 else "q")  # every pool pair (its place in the layout)
    load = np.bincount(c.posting[chosen], minlength=len(caps)).tolist()
    cap = caps.tolist()
    room = bytearray(x < y for x, y in zip(load, cap, strict=True))  # per posting: load < cap
    inclusion: dict[tuple[int, int], tuple[float, float, float]] = {}
    rng = np.random.default_rng(seed)
    draw = rng.random
    expected = 0.0
    for i in rng.permutation(n_persons).tolist():
        g = n_listed[i]
        if not g:
            continue
        lo, hi = bounds[i], bounds[i + 1]
        mine, listed_here = posting[lo:hi], took[lo:hi]
        pool = [k for k, j in enumerate(mine) if room[j] and not listed_here[k]]
        known = inclusion.get((g, len(pool)))
        if known is None:
            both = slot_inclusion(g, len(pool), exploration)
            known = inclusion[g, len(pool)] = (*both, explored_mean(g, len(pool), exploration))
        p_listed[i], p_pool[i], mean = known
        pool_at.extend([lo + k for k in pool])
        expected += mean
        u = draw(g).tolist()
        if not pool or min(u) >= exploration:
            continue
        slots = rng.permutation([s for s in range(g) if u[s] < exploration])[: len(pool)]
        listed = [k for k, t in enumerate(listed_here) if t]  # best first: slot s holds listed[s]
        # the same draw as choosing among the pool's pairs: only the pool's size matters
        for s, new in zip(slots.tolist(), rng.choice(len(pool), slots.size, replace=False).tolist(),
                          strict=True):  # fmt: skip
            old, new = listed[s], pool[new]
            picked[lo + old], picked[lo + new], explored[lo + new] = False, True, True
            place[lo + new], place[lo + old] = s + 1, 0
            for j, step in ((mine[old], -1), (mine[new], 1)):
                load[j] += step
                room[j] = load[j] < cap[j]
    del posting, listed_at, took
    # a propensity is its person's (listed or pool): set in pair order, nothing to move back
    p_listed_of, p_pool_of = np.array(p_listed), np.array(p_pool)
    propensity = np.zeros(c.size, np.float64)
    propensity[chosen] = p_listed_of[c.person[chosen]]
    pool_pairs = layout.pairs_at(np.frombuffer(pool_at, pool_at.typecode).astype(np.int64))
    del pool_at
    propensity[pool_pairs] = p_pool_of[c.person[pool_pairs]]
    return Explored(
        layout.back(picked), layout.back(explored), propensity, layout.back(place), expected
    )


class _BestFirst:
    """The pairs person by person, each person's best first (score desc, then posting), and
    back.

    The run's pairs come grouped by person, best score first; only pairs whose scores tie
    (scores are rounded to 4 places) may be out of posting order. Then the layout is the
    pair order with those few places changed (``at[k]`` holds pair ``src[k]``), moved in and
    out in place: no sort of the night's pairs (9 M at 200k persons) and no index array over
    all of them. Pairs in any other order are sorted (``perm[k]``: the pair at place ``k``).
    """

    def __init__(self, c: Candidates) -> None:
        self.at: IntArray | None = None
        self.src: IntArray | None = None
        self.perm: npt.NDArray[np.intp] | None = None
        person, score = c.person, c.score
        same = person[1:] == person[:-1]
        grouped = bool(
            np.all(person[1:] >= person[:-1]) and not np.any(same & (score[1:] > score[:-1]))
        )
        if not grouped:
            self.perm = np.lexsort((c.posting, -c.score, c.person))
            return
        tie = same & (score[1:] == score[:-1])  # tie[k]: pair k + 1 ties with pair k
        del same
        member = np.flatnonzero(np.concatenate([tie, [False]]) | np.concatenate([[False], tie]))
        starts = (member == 0) | ~tie[np.maximum(member - 1, 0)]  # first pair of a tie run
        order = np.lexsort((c.posting[member], np.cumsum(starts)))
        src = member[order]
        moved = src != member
        self.at, self.src = member[moved], src[moved]

    def ordered(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``values`` (per pair, in pair order; changed in place when only ties move) in the
        layout."""
        if self.perm is not None:
            return values[self.perm]
        values[self.at] = values[self.src]
        return values

    def back(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``values`` given in the layout back in pair order (in place when only ties move)."""
        if self.perm is not None:
            out = np.empty_like(values)
            out[self.perm] = values
            return out
        values[self.src] = values[self.at]
        return values

    def pairs_at(self, places: IntArray) -> IntArray:
        """The pairs at these places of the layout."""
        if self.perm is not None:
            return self.perm[places].astype(np.int64)
        assert self.at is not None and self.src is not None
        k = np.minimum(np.searchsorted(self.at, places), max(self.at.size - 1, 0))
        hit = (self.at[k] == places) if self.at.size else np.zeros(places.size, dtype=bool)
        out = places.copy()
        out[hit] = self.src[k[hit]]
        return out


def seed_of(run_key: str) -> int:
    """A 64-bit seed from a run key (hex): the same run draws the same lists."""
    return int(run_key[:16], 16)
