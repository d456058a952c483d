"""The exploring logging policy: only eligible postings, exact propensities, 0 disables it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from matching.learn.policy import (
    EnginePolicy,
    WeightsPolicy,
    context_from_scored,
    exploring_inclusion,
    log_lists,
    top_k,
)
from matching.learn.simulator import random_contexts
from tests.conftest import tiny_persons

TODAY = dt.date(2024, 11, 1)  # the tiny postings are open 2024-10-18 to 12-20


def test_context_from_the_engine_holds_only_postings_that_passed_every_hard_filter(tiny_engine):
    engine, person = tiny_engine, tiny_persons()[0]
    declined = {"p0", "p1"}  # declined postings never come back: they fail a hard filter
    profile = engine.profiles([person], today=TODAY, exclude=[sorted(declined)])[0]
    scored = engine.rank_many([profile], k=engine.index_.ntotal, today=TODAY)[0]
    ctx = context_from_scored("p0", scored, engine.posting_ids_)
    passing = {m.posting_id for m in engine.recommend(person, k=100, today=TODAY)} - declined
    assert set(ctx.posting_ids) == passing and len(passing) >= 3
    assert ctx.size < len(engine.posting_ids_)  # some postings fail the filters for this person
    top = [m.posting_id for m in engine.recommend(person, k=5, today=TODAY)]
    assert [ctx.posting_ids[r] for r in top_k(ctx.score, 3)] == [
        p for p in top if p not in declined
    ][:3]
    pushes = log_lists([ctx], 2, 1.0, np.random.default_rng(0))
    assert {p.posting_id for p in pushes} <= passing


def test_exploration_0_pushes_the_engine_top_k_with_propensity_1():
    rng = np.random.default_rng(1)
    contexts = random_contexts(50, rng)
    pushes = log_lists(contexts, 5, 0.0, rng)
    assert all(p.placed_by == "engine" and p.propensity == 1.0 for p in pushes)
    for ctx in contexts:
        rows = [p.row for p in pushes if p.person_id == ctx.person_id]
        assert rows == list(top_k(ctx.score, 5))
        assert [p.position for p in pushes if p.person_id == ctx.person_id] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("n, k, share", [(30, 5, 0.1), (7, 5, 0.5), (5, 5, 0.3), (3, 5, 0.2)])
def test_inclusion_probabilities_sum_to_the_list_length(n, k, share):
    score = np.random.default_rng(n).random(n)
    p = exploring_inclusion(score, k, share)
    assert p.sum() == pytest.approx(min(k, n))
    assert np.all((p >= 0) & (p <= 1))


def test_logged_propensities_match_how_often_each_posting_is_pushed():
    ctx = random_contexts(1, np.random.default_rng(2), postings=(8, 8))[0]
    rng = np.random.default_rng(3)
    runs = 20000
    seen = Counter(p.row for _ in range(runs) for p in log_lists([ctx], 5, 0.3, rng))
    expected = EnginePolicy(0.3).inclusion(ctx, 5)
    observed = np.array([seen[r] for r in range(ctx.size)]) / runs
    # binomial standard error at 20 000 runs is at most 0.0036; 4 of them
    np.testing.assert_allclose(observed, expected, atol=0.015)
    assert expected[top_k(ctx.score, 5)].min() < 1.0 and expected.min() > 0.0


def test_exploring_pushes_are_recorded_with_position_policy_and_propensity():
    rng = np.random.default_rng(4)
    contexts = random_contexts(300, rng)
    pushes = log_lists(contexts, 5, 0.1, rng)
    explored = [p for p in pushes if p.placed_by == "explore"]
    # 1 500 slots at 10 %: about 150 explored
    assert 100 < len(explored) < 200
    by_person = {c.person_id: c for c in contexts}
    for p in explored:
        ctx = by_person[p.person_id]
        assert p.row not in set(top_k(ctx.score, 5))
        assert p.propensity == pytest.approx(EnginePolicy(0.1).inclusion(ctx, 5)[p.row])
    per_person = Counter(p.person_id for p in pushes)
    assert set(per_person.values()) == {5}
    assert all(len({p.row for p in pushes if p.person_id == c.person_id}) == 5 for c in contexts)


def test_policies_refuse_bad_settings():
    with pytest.raises(ValueError, match="exploration"):
        EnginePolicy(1.5)
    with pytest.raises(ValueError, match="weights"):
        WeightsPolicy((1.0, 2.0))
