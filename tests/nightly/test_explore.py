"""Exploration after the capped allocation: only candidates, never over a cap, exact
propensities given the state when each person is processed, and nothing changes at 0."""

from __future__ import annotations

import numpy as np
import pytest

from matching.exceptions import InputError
from matching.learn.policy import exploring_inclusion
from matching.nightly.allocation import allocate_greedy
from matching.nightly.explore import explore_lists, list_positions, slot_inclusion
from matching.nightly.pairs import Candidates
from matching.nightly.records import NightlySettings


def _random_case(seed: int, persons: int = 60, postings: int = 40, per: int = 12):
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(persons), per).astype(np.int64)
    posting = np.concatenate([rng.choice(postings, per, replace=False) for _ in range(persons)])
    c = Candidates(person, posting.astype(np.int64), rng.random(persons * per).round(3))
    caps = rng.integers(2, 10, postings).astype(np.int64)
    return c, caps, allocate_greedy(c, caps, 3)


def test_exploration_0_leaves_the_lists_and_their_order_as_allocated() -> None:
    c, caps, chosen = _random_case(0)
    out = explore_lists(c, chosen, caps, 0.0, seed=7)
    assert np.array_equal(out.chosen, chosen) and not out.explored.any()
    assert np.array_equal(out.position, list_positions(c, chosen))
    assert np.all(out.propensity[chosen] == 1.0) and np.all(out.propensity[~chosen] == 0.0)


@pytest.mark.parametrize("seed", range(8))
def test_caps_hold_and_every_person_keeps_their_number_of_slots(seed: int) -> None:
    c, caps, chosen = _random_case(seed)
    assert np.any(np.bincount(c.posting[chosen], minlength=caps.size) == caps)  # caps bind
    out = explore_lists(c, chosen, caps, 0.5, seed=seed)
    assert out.explored.any()
    assert np.all(np.bincount(c.posting[out.chosen], minlength=caps.size) <= caps)
    n = int(c.person.max()) + 1
    slots = np.bincount(c.person[out.chosen], minlength=n)
    assert np.array_equal(slots, np.bincount(c.person[chosen], minlength=n))
    assert np.all(out.chosen[out.explored]) and not np.any(chosen[out.explored])
    # positions stay 1..g in every list; propensities of pushes are in (0, 1]
    for i in range(n):
        assert sorted(out.position[out.chosen & (c.person == i)]) == list(range(1, slots[i] + 1))
    assert np.all((out.propensity[out.chosen] > 0) & (out.propensity[out.chosen] <= 1))


def test_same_seed_same_lists_other_seed_other_lists() -> None:
    c, caps, chosen = _random_case(3)
    a, b = (explore_lists(c, chosen, caps, 0.3, seed=s) for s in (11, 11))
    assert np.array_equal(a.chosen, b.chosen) and np.array_equal(a.position, b.position)
    assert not np.array_equal(a.chosen, explore_lists(c, chosen, caps, 0.3, seed=12).chosen)


def _hand_case() -> tuple[Candidates, np.ndarray, np.ndarray]:
    """One person, six candidates; the engine listed the two best; posting 5 is full."""
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    c = Candidates(np.zeros(6, np.int64), np.arange(6, dtype=np.int64), score)
    caps = np.array([5, 5, 5, 5, 5, 0], np.int64)  # posting 5 has no room left
    chosen = np.array([True, True, False, False, False, False])
    return c, caps, chosen


def test_propensities_equal_exploring_inclusion_on_a_hand_built_case() -> None:
    c, caps, chosen = _hand_case()
    out = explore_lists(c, chosen, caps, 0.3, seed=0)
    # the pool is postings 2, 3, 4 (5 is full): the policy over those five postings
    expected = exploring_inclusion(c.score[:5], 2, 0.3)
    assert out.propensity[:5] == pytest.approx(expected)
    assert out.propensity[5] == 0.0
    # by hand: c = E[min(S, 3)], S ~ Bin(2, 0.3) = 2·0.3 = 0.6 → kept 0.7, each of 3 gets 0.2
    assert out.propensity[:5] == pytest.approx([0.7, 0.7, 0.2, 0.2, 0.2])
    assert slot_inclusion(2, 3, 0.3) == pytest.approx((0.7, 0.2))


def test_logged_propensities_are_how_often_each_posting_is_pushed() -> None:
    c, caps, chosen = _hand_case()
    runs = 20_000
    seen = np.zeros(6)
    for seed in range(runs):
        seen += explore_lists(c, chosen, caps, 0.3, seed=seed).chosen
    propensity = explore_lists(c, chosen, caps, 0.3, seed=0).propensity
    sd = np.sqrt(propensity * (1 - propensity) / runs)
    assert np.all(np.abs(seen / runs - propensity) <= 4 * sd + 1e-12)


def test_propensity_is_conditional_on_the_room_left_by_earlier_persons() -> None:
    # Two persons want the same spare posting (cap 1): whoever comes second finds it full
    # when the first explored it, and their propensity for it is then 0.
    c = Candidates(
        np.array([0, 0, 1, 1], np.int64), np.array([0, 2, 1, 2], np.int64),
        np.array([0.9, 0.5, 0.9, 0.5]),
    )  # fmt: skip
    caps = np.array([1, 1, 1], np.int64)
    chosen = np.array([True, False, True, False])
    found = set()
    for seed in range(200):
        out = explore_lists(c, chosen, caps, 1.0, seed=seed)
        assert np.bincount(c.posting[out.chosen], minlength=3).max() <= 1
        found.add(tuple(out.propensity.round(6)))
    # person 0 first: they explore posting 2 for sure; person 1 then has no pool; or the reverse
    assert found == {(0.0, 1.0, 1.0, 0.0), (1.0, 0.0, 0.0, 1.0)}


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_an_exploration_share_outside_0_1_is_refused_with_a_clear_error(bad: float) -> None:
    with pytest.raises(InputError) as err:
        NightlySettings(exploration=bad)
    text = str(err.value)
    assert "探索比例" in text and "exploration share must be within 0 and 1" in text
    assert "exploration" in text and repr(bad) in text


def test_without_exploration_the_run_scores_no_more_candidates_than_before() -> None:
    assert NightlySettings(exploration=0.0).retrieved == NightlySettings().m
    assert NightlySettings(explore_candidates=50).retrieved == 50


def _sorted_case(seed: int, persons: int, postings: int, per: int, m: int):
    """Pairs grouped by person, best first (the run's layout); the best ``m`` allocated."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(persons), per).astype(np.int64)
    posting = np.concatenate([rng.choice(postings, per, replace=False) for _ in range(persons)])
    score = rng.random(persons * per).round(2)  # rounded: ties, broken by posting
    order = np.lexsort((posting, -score, person))
    c = Candidates(person[order], posting[order].astype(np.int64), score[order])
    caps = rng.integers(1, 8, postings).astype(np.int64)
    top = np.arange(c.size) - np.repeat(np.arange(persons) * per, per) < m
    chosen = np.zeros(c.size, bool)
    chosen[top] = allocate_greedy(Candidates(c.person[top], c.posting[top], c.score[top]), caps, 3)
    return c, caps, chosen


@pytest.mark.parametrize(
    ("seed", "persons", "postings", "per", "m", "share", "digest"),
    [
        (0, 60, 40, 12, 12, 0.5, "e49ab960d37d8344"),
        (1, 400, 150, 20, 9, 0.1, "1570813347e6b1fc"),
        (2, 2000, 900, 50, 15, 0.1, "003e7c1612189e37"),
        (3, 500, 60, 10, 10, 1.0, "2e044603bccb2242"),
        (4, 300, 200, 30, 9, 0.3, "28b931e35f615a09"),
    ],
)
def test_the_same_seed_draws_exactly_the_lists_it_drew_before(
    seed: int, persons: int, postings: int, per: int, m: int, share: float, digest: str
) -> None:
    # Pinned digests of the lists, explored marks, propensities, positions and expected count,
    # as the first implementation (Python lists over every pair) drew them: a faster
    # exploration must draw the very same lists, or a rerun of a night would differ.
    import hashlib

    c, caps, chosen = _sorted_case(seed, persons, postings, per, m)
    out = explore_lists(c, chosen, caps, share, seed=seed * 7919 + 11)
    h = hashlib.sha256()
    for a in (out.chosen, out.explored, out.propensity, out.position):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(repr(round(out.expected, 9)).encode())
    assert h.hexdigest()[:16] == digest


@pytest.mark.parametrize("seed", [5, 6])
def test_pairs_whose_ties_are_out_of_posting_order_draw_what_the_sorted_pairs_draw(
    seed: int,
) -> None:
    # The run's pairs come grouped by person, best first, but pairs whose rounded scores tie
    # keep the engine's order, not the posting's: exploration puts only those in order (no
    # sort of the night) and must draw exactly what it draws on the fully sorted pairs.
    c, caps, chosen = _sorted_case(seed, 600, 1500, 40, 15)
    rng = np.random.default_rng(seed)
    shuffled = np.lexsort((rng.random(c.size), -c.score, c.person))  # ties in random order
    assert not np.array_equal(shuffled, np.arange(c.size))
    tied = Candidates(c.person[shuffled], c.posting[shuffled], c.score[shuffled])
    got = explore_lists(tied, chosen[shuffled], caps, 0.3, seed=99)
    want = explore_lists(c, chosen, caps, 0.3, seed=99)
    for name in ("chosen", "explored", "propensity", "position"):
        assert np.array_equal(getattr(got, name), getattr(want, name)[shuffled]), name
    assert got.expected == want.expected
    assert got.explored.any()
