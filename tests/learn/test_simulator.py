"""The simulator: seeded, funnel nests, non-response, delays; its truth matches what it does."""

from __future__ import annotations

import numpy as np
import pytest

from matching.learn.policy import EnginePolicy, log_lists
from matching.learn.simulator import OUTCOMES, Funnel, Simulator, random_contexts, rewards


def _run(seed: int, n: int = 300, funnel: Funnel | None = None):
    rng = np.random.default_rng(seed)
    contexts = random_contexts(n, rng)
    sim = Simulator(contexts, funnel, seed=seed)
    pushes = log_lists(contexts, 5, 0.1, rng)
    return sim, pushes, sim.respond(pushes, rng)


def test_same_seed_same_answers_other_seed_other_answers():
    _, _, a = _run(7)
    _, _, b = _run(7)
    _, _, c = _run(8)
    assert [r.days for r in a] == [r.days for r in b]
    assert [r.days for r in a] != [r.days for r in c]


def test_the_funnel_nests_and_days_never_go_back():
    _, _, responses = _run(1)
    for r in responses:
        reached = [d is not None for d in r.days]
        assert reached == sorted(reached, reverse=True)  # no hire without an interview …
        days = [d for d in r.days if d is not None]
        assert days == sorted(days)
    assert rewards(responses, "hire").sum() > 0


def test_persons_who_never_answer_never_answer():
    sim, pushes, responses = _run(2, funnel=Funnel(non_response=0.5))
    silent = {c.person_id for c, ok in zip(sim.contexts, sim.responsive_, strict=True) if not ok}
    assert 0.4 < len(silent) / len(sim.contexts) < 0.6
    assert all(r.days == (None,) * 4 for r in responses if r.push.person_id in silent)


def test_answers_follow_the_true_rates_with_and_without_a_horizon():
    rng = np.random.default_rng(3)
    contexts = random_contexts(400, rng)
    sim = Simulator(contexts, seed=3)
    counts = {(o, h): 0.0 for o in OUTCOMES for h in (None, 5)}
    n = 0
    for _ in range(10):
        pushes = log_lists(contexts, 5, 0.1, rng)
        responses = sim.respond(pushes, rng)
        n += len(pushes)
        for o, h in counts:
            counts[o, h] += rewards(responses, o, h).sum()
    for h in (None, 5):
        truth = sim.true_rates(EnginePolicy(0.1), 5, within_days=h)
        for o in OUTCOMES:
            rate = counts[o, h] / n
            se = np.sqrt(truth[o] * (1 - truth[o]) / n)
            assert rate == pytest.approx(truth[o], abs=4 * se + 1e-4), (o, h)
    # within 5 days fewer hires have happened than eventually do
    assert (
        sim.true_rates(EnginePolicy(0.1), 5, 5)["hire"]
        < sim.true_rates(EnginePolicy(0.1), 5)["hire"]
    )


def test_hidden_preferences_differ_between_persons_and_from_the_engine():
    sim, _, _ = _run(4)
    assert sim.weights_.shape == (300, 7)
    assert sim.weights_.std(axis=0).min() > 0.3
    np.testing.assert_allclose(sim.weights_.mean(axis=0), Funnel().weights, atol=0.1)
