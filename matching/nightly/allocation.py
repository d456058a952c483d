"""Allocation of postings to persons under exposure caps.

The problem is a bipartite b-matching: every candidate pair (person *i*, posting *j*) has a fit
score ``s_ij``; person *i* receives at most ``n`` postings, posting *j* is sent to at most
``cap_j`` persons; maximise the total fit. It is a min-cost flow (source → person, capacity *n*;
person → posting, capacity 1, cost −s; posting → sink, capacity ``cap_j``).

- :func:`allocate_exact` solves it exactly with :func:`scipy.optimize.milp` (the constraint
  matrix is totally unimodular, so HiGHS finds the integral optimum fast on small cases). It is the
  reference the tests compare against.
- :func:`allocate_greedy` is the fast one used at scale: take pairs best-first while both sides
  have room (in score order, and in score-minus-congestion-price order; the better start, and
  the other when it is within 3 %, goes on), then repair with improving exchanges (person *i*
  with a free slot takes a full posting *j* from person *k*, who moves to a posting *j'* with
  room, when the total rises).
  On random small cases it reaches ≥ 97 % of the optimum (``tests/nightly/test_allocation.py``).

Both are deterministic: ties are broken by person then posting index. The pairs, caps and
the figures of an allocation are in :mod:`matching.nightly.pairs`.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.nightly.pairs import Candidates, FloatArray, IntArray, total_score


def _best_first(c: Candidates) -> IntArray:
    # score desc, then person asc, then posting asc: a total, reproducible order
    return np.lexsort((c.posting, c.person, -c.score)).astype(np.int64)


def allocate_greedy(
    c: Candidates,
    caps: IntArray,
    per_person: int,
    *,
    repair_rounds: int = 3,
    price_rounds: int = 25,
    repair_margin: float = 0.03,
) -> npt.NDArray[np.bool_]:
    """Best-first allocation with exchange repair, guided by congestion prices.

    Two candidate solutions are built and the better one is returned: plain best-first on the
    scores, and best-first on ``score − price[posting]``, where the prices come from
    ``price_rounds`` rounds of a projected subgradient on the caps (the Lagrangian dual of the
    flow problem: an over-subscribed posting gets dearer, so persons with good alternatives
    move away from it first). Both are then repaired with exchanges on the true scores.

    Parameters
    ----------
    c : Candidates
    caps : int array (n_postings,)
        Exposure cap of every posting (use a large number for "uncapped").
    per_person : int
        Postings per person at most.
    repair_rounds : int, default 3
        Passes of improving exchanges after the greedy pass (0 = no repair).
    price_rounds : int, default 25
        Subgradient rounds for the congestion prices (0 = plain greedy only).
    repair_margin : float, default 0.03
        The worse start is repaired too when its total is within this share of the better.

    Returns
    -------
    bool array (m,)
        Which pairs are chosen. No posting exceeds its cap; no person exceeds ``per_person``.
    """
    if c.size == 0:
        return np.zeros(0, dtype=bool)
    if np.all(np.bincount(c.posting, minlength=len(caps)) <= caps):
        # No cap can bind (e.g. the report's uncapped allocation): best-first is every
        # person's top ``per_person``, and no exchange can improve on that.
        return top_per_person(c, per_person)
    true_order = _best_first(c)
    starts = [_greedy(c, caps, per_person, true_order)]
    if price_rounds > 0:
        prices = congestion_prices(c, caps, per_person, rounds=price_rounds)
        if prices.any():
            adjusted = c.score - prices[c.posting]
            order = np.lexsort((c.posting, c.person, -adjusted)).astype(np.int64)
            starts.append(_greedy(c, caps, per_person, order))
    # Repair the better start, and the other one only when it is close behind: on a city's
    # 2.7 M pairs the plain start was 9 % behind, its repair took ≈ 70 s and still ended below
    # the priced start (docs/benchmarks.md).
    totals = [total_score(c, s.chosen) for s in starts]
    lead = max(totals)
    best: npt.NDArray[np.bool_] | None = None
    for start, total in sorted(zip(starts, totals, strict=True), key=lambda st: -st[1]):
        if best is not None and total < lead - repair_margin * abs(lead):
            continue
        if repair_rounds > 0:
            start.repair(c, caps, per_person, true_order, repair_rounds)
        if best is None or total_score(c, start.chosen) > total_score(c, best) + 1e-12:
            best = start.chosen
    assert best is not None
    return best


def top_per_person(c: Candidates, per_person: int) -> npt.NDArray[np.bool_]:
    """Each person's best ``per_person`` pairs (ties: lower posting index), ignoring caps."""
    order = np.lexsort((c.posting, -c.score, c.person))
    person = c.person[order]
    first = np.searchsorted(person, person, side="left")
    chosen = np.zeros(c.size, dtype=bool)
    chosen[order[np.arange(order.size) - first < per_person]] = True
    return chosen


def congestion_prices(
    c: Candidates, caps: IntArray, per_person: int, *, rounds: int = 25
) -> FloatArray:
    """Per-posting prices from a projected subgradient on the exposure caps (vectorised).

    Each round every person picks its top ``per_person`` pairs by ``score − price`` (positive
    only); a posting picked by more persons than its cap gets dearer in proportion to the excess.
    """
    n_postings = len(caps)
    prices = np.zeros(n_postings, dtype=np.float64)
    # The pairs laid out as a (persons × most pairs of one person) table, padded, so each
    # round's "top per_person of every person" is one sort along the rows.
    by_person = np.argsort(c.person, kind="stable")
    person_sorted = c.person[by_person]
    starts = np.searchsorted(person_sorted, person_sorted, side="left")
    slot = np.arange(by_person.size) - starts
    n_rows = int(person_sorted[-1]) + 1
    table_edge = np.full((n_rows, int(slot.max()) + 1), -1, dtype=np.int64)
    table_edge[person_sorted, slot] = by_person
    pad = table_edge < 0
    table_score = np.where(pad, -np.inf, c.score[np.maximum(table_edge, 0)])
    table_posting = c.posting[np.maximum(table_edge, 0)]
    top = min(per_person, table_edge.shape[1])
    step0 = float(np.mean(np.abs(c.score))) or 1.0
    capf = np.maximum(caps.astype(np.float64), 1.0)
    for t in range(rounds):
        adjusted = table_score - np.where(pad, 0.0, prices[table_posting])
        part = np.argsort(-adjusted, axis=1, kind="stable")[:, :top]  # ties: by pair index
        best = np.take_along_axis(adjusted, part, axis=1)
        picked = np.take_along_axis(table_posting, part, axis=1)[best > 0]
        demand = np.bincount(picked, minlength=n_postings)
        excess = (demand - caps) / capf
        prices = np.maximum(0.0, prices + step0 / np.sqrt(t + 1) * 0.5 * excess)
    return prices


@dataclass(slots=True)
class _Start:
    """A best-first allocation and its loads, ready to be repaired."""

    chosen: npt.NDArray[np.bool_]
    load: list[int]
    taken: list[int]

    def repair(
        self, c: Candidates, caps: IntArray, per_person: int, true_order: IntArray, rounds: int
    ) -> None:
        """Up to ``rounds`` passes of improving exchanges (in place)."""
        exchanges = _Exchanges(
            c, self.chosen, caps.tolist(), per_person, self.load, self.taken, true_order
        )
        for _ in range(rounds):
            if not exchanges.one_pass():
                break


def _compact(values: npt.NDArray[Any], code: str) -> array[Any]:
    """``values`` as a Python ``array``: read element by element as fast as a list, at 4–8
    bytes an element instead of a list's 32–36 (the night's pairs number in the millions)."""
    out = array(code)
    out.frombytes(np.ascontiguousarray(values, dtype=np.dtype(code)).tobytes())
    return out


def _greedy(c: Candidates, caps: IntArray, per_person: int, order: IntArray) -> _Start:
    """Take the pairs in ``order`` while both sides have room."""
    chosen = np.zeros(c.size, dtype=bool)
    person, posting = _compact(c.person, "i"), _compact(c.posting, "i")
    cap = caps.tolist()
    load = [0] * len(cap)
    taken = [0] * (int(c.person.max()) + 1)
    for e in _compact(order, "q"):
        i, j = person[e], posting[e]
        if taken[i] < per_person and load[j] < cap[j]:
            chosen[e] = True
            taken[i] += 1
            load[j] += 1
    return _Start(chosen, load, taken)


class _Exchanges:
    """Improving exchanges ``i→j (full), k: j→j' (room)`` on a best-first allocation.

    Person *i* with a free slot takes the full posting *j* from its holder *k*, who moves to
    its best posting *j'* with room, when the total rises. For a full posting the best holder
    to move is the one whose move loses least (``score[g] − score[f]`` largest).

    Loads and takes only grow, so the postings a person could still move to only shrink:
    each person keeps a pointer to its best possible move that only advances, and each full
    posting keeps its best move until it is no longer feasible (ties: first holder by edge
    index, as a full scan picks). Only persons with room can gain a posting: no unchosen
    pair has room on both sides after the best-first pass, and an exchange frees nothing.
    """

    def __init__(
        self,
        c: Candidates,
        chosen: npt.NDArray[np.bool_],
        cap: list[int],
        per_person: int,
        load: list[int],
        taken: list[int],
        order: IntArray,
    ) -> None:
        self.chosen, self.cap, self.per_person = chosen, cap, per_person
        self.load, self.taken, self.order = load, taken, order
        self.person, self.posting = _compact(c.person, "i"), _compact(c.posting, "i")
        self.score = _compact(c.score, "d")
        self.c = c
        # each person's edges best first, as one array with offsets (CSR)
        by_person = order[np.argsort(c.person[order], kind="stable")]
        self.edges = _compact(by_person, "q")
        counts = np.bincount(c.person, minlength=len(taken))
        self.start = _compact(np.concatenate([[0], np.cumsum(counts)]), "q")
        self.next_move = self.start[:-1]  # per person: first edge not yet known infeasible
        self.holders: dict[int, set[int]] = {}  # posting -> chosen edges (built when needed)
        self.has: dict[int, set[int]] = {}  # person -> postings held (built when needed)
        picked = np.flatnonzero(chosen)
        self._initial_holders = _Groups(c.posting[picked], picked)
        self._initial_has = _Groups(c.person[picked], c.posting[picked])
        self.best_move: dict[int, tuple[float, int, int] | None] = {}  # posting -> (Δ, f, g)

    def _holders(self, j: int) -> set[int]:
        found = self.holders.get(j)
        if found is None:
            found = self.holders[j] = set(self._initial_holders.get(j, ()))
        return found

    def _has(self, k: int) -> set[int]:
        found = self.has.get(k)
        if found is None:
            found = self.has[k] = set(self._initial_has.get(k, ()))
        return found

    def _move(self, k: int) -> int | None:
        """k's best edge to a posting with room that k does not hold (None: no such edge)."""
        posting, load, cap, chosen, has_k = self.posting, self.load, self.cap, self.chosen, None
        edges, end, at = self.edges, self.start[k + 1], self.next_move[k]
        while at < end:
            g = edges[at]
            j2 = posting[g]
            if not (chosen[g] or load[j2] >= cap[j2]):
                has_k = self._has(k) if has_k is None else has_k
                if j2 not in has_k:
                    break
            at += 1
        self.next_move[k] = at
        return edges[at] if at < end else None

    def _move_for(self, j: int) -> tuple[float, int, int] | None:
        move = self.best_move.get(j, ())
        if move == () or (
            move is not None
            and not (self.chosen[move[1]] and self._move(self.person[move[1]]) == move[2])
        ):
            move = None
            for f in sorted(self._holders(j)):
                g = self._move(self.person[f])
                if g is not None and (move is None or self.score[g] - self.score[f] > move[0]):
                    move = (self.score[g] - self.score[f], f, g)
            self.best_move[j] = move
        return move  # type: ignore[return-value]

    def one_pass(self) -> bool:
        """One pass over the pairs best-first; True when anything improved."""
        person, posting, score = self.person, self.posting, self.score
        chosen, taken, per_person = self.chosen, self.taken, self.per_person
        room = np.asarray(taken) < per_person
        todo = self.order[room[self.c.person[self.order]]]
        improved = False
        for e in todo.tolist():
            i, j = person[e], posting[e]
            if chosen[e] or taken[i] >= per_person or j in self._has(i):
                continue
            move = self._move_for(j)
            if move is None or score[e] + move[0] <= 1e-12:
                continue
            _, f, g = move
            k, j2 = person[f], posting[g]
            chosen[f], chosen[e], chosen[g] = False, True, True
            self._holders(j).discard(f)
            self._holders(j).add(e)
            self._holders(j2).add(g)
            self._has(k).discard(j)
            self._has(k).add(j2)
            self._has(i).add(j)
            taken[i] += 1
            self.load[j2] += 1
            self.best_move.pop(j, None)  # its holders changed
            self.best_move.pop(j2, None)
            improved = True
        return improved


class _Groups:
    """``values`` grouped by ``keys`` (small non-negative ints; original order within a key),
    looked up one key at a time.

    Offsets per key (CSR), so a lookup is two reads and a slice: a ``np.searchsorted`` per
    lookup cast the whole int32 key array to int64 on every call (≈ 100 s at 180k persons).
    """

    def __init__(self, keys: IntArray, values: IntArray) -> None:
        order = np.argsort(keys, kind="stable")
        self.values = values[order]
        counts = np.bincount(keys) if keys.size else np.zeros(0, np.int64)
        self.start = _compact(np.concatenate([[0], np.cumsum(counts)]), "q")

    def get(self, key: int, default: tuple[()] = ()) -> list[int] | tuple[()]:
        if not 0 <= key < len(self.start) - 1:
            return default
        lo, hi = self.start[key], self.start[key + 1]
        return self.values[lo:hi].tolist() if hi > lo else default


def allocate_exact(c: Candidates, caps: IntArray, per_person: int) -> npt.NDArray[np.bool_]:
    """The optimal allocation (integer program; meant for small instances and tests)."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = c.size
    if m == 0:
        return np.zeros(0, dtype=bool)
    n_persons = int(c.person.max()) + 1
    n_postings = len(caps)
    cols = np.arange(m)
    a_person = sp.csr_matrix((np.ones(m), (c.person, cols)), shape=(n_persons, m))
    a_posting = sp.csr_matrix((np.ones(m), (c.posting, cols)), shape=(n_postings, m))
    constraints = [
        LinearConstraint(a_person, -np.inf, np.full(n_persons, per_person, dtype=float)),
        LinearConstraint(a_posting, -np.inf, caps.astype(float)),
    ]
    res = milp(
        -c.score,
        constraints=constraints,
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
    )
    if res.x is None:  # pragma: no cover - the all-zero solution is always feasible
        raise RuntimeError(f"allocation solver failed: {res.message}")
    return res.x > 0.5
