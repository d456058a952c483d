"""Counterfactual estimates, judged against the simulator's truth."""

from __future__ import annotations

import numpy as np
import pytest

from matching.learn.estimators import (
    ConstantModel,
    LogisticRewardModel,
    estimate_policy,
)
from matching.learn.policy import Context, EnginePolicy, WeightsPolicy, log_lists
from matching.learn.simulator import Funnel, Simulator, random_contexts, rewards

K = 5
# The candidate ranks by the seekers' mean hidden weights, unlike the engine's hand weights.
TARGET = WeightsPolicy(Funnel().weights)


def _logged(seed: int, n: int, funnel: Funnel | None = None, exploration: float = 0.1):
    rng = np.random.default_rng(seed)
    contexts = random_contexts(n, rng)
    sim = Simulator(contexts, funnel, seed=seed)
    pushes = log_lists(contexts, K, exploration, rng)
    return rng, contexts, sim, pushes, sim.respond(pushes, rng)


class _WrongModel:
    """A reward model that believes the engine's hand weights: wrong on purpose."""

    def predict(self, context: Context) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(4.0 * context.score.astype(np.float64) - 2.0)))


def test_the_estimates_of_a_new_policy_cover_its_simulated_truth():
    # 2 000 persons × 5 pushes a night; 95 % intervals over 8 nights of the simulator
    covered = {("contact", m): 0 for m in ("ips", "snips", "dr")}
    covered |= {("interview", m): 0 for m in ("ips", "snips", "dr")}
    for seed in range(8):
        rng, contexts, sim, pushes, responses = _logged(seed, 2000)
        truth = sim.true_rates(TARGET, K)
        assert truth["contact"] > sim.true_rates(WeightsPolicy((0.35, 0.3, 0.15, 0.15, 0.05,
                                                                -0.15, -0.2)), K)["contact"]  # fmt: skip
        for outcome in ("contact", "interview"):
            r = rewards(responses, outcome)
            model = LogisticRewardModel().fit(contexts, pushes, r)
            est = estimate_policy(contexts, pushes, r, TARGET, K, reward_model=model,
                                  n_boot=400, rng=rng)  # fmt: skip
            for m in ("ips", "snips", "dr"):
                covered[outcome, m] += getattr(est, m).covers(truth[outcome])
            assert est.n_pushes == 10000 and 0 < est.effective_sample_size < 10000
    assert min(covered.values()) >= 7, covered


def _contact_nights(n_nights: int = 30):
    """Nights of 300 persons with 5 % exploration (large weights) and a contact rate near 0.7:
    (contexts, pushes, contact rewards, the target's true contact rate) each."""
    funnel = Funnel(intercepts=(0.0, -3.5, -4.0, -4.0))
    for seed in range(n_nights):
        _, contexts, sim, pushes, responses = _logged(seed, 300, funnel, exploration=0.05)
        yield contexts, pushes, rewards(responses, "contact"), sim.true_rates(TARGET, K)["contact"]


def test_snips_varies_less_than_ips_when_weights_vary_and_the_rate_is_not_small():
    ips, snips = [], []
    for contexts, pushes, r, truth in _contact_nights():
        est = estimate_policy(contexts, pushes, r, TARGET, K, n_boot=10)
        ips.append(est.ips.value - truth)
        snips.append(est.snips.value - truth)
    assert np.var(snips) < 0.5 * np.var(ips), (np.var(snips), np.var(ips))


def test_doubly_robust_is_unbiased_with_a_wrong_reward_model_when_propensities_are_right():
    dr, direct = [], []
    for contexts, pushes, r, truth in _contact_nights():
        wrong = _WrongModel()
        est = estimate_policy(contexts, pushes, r, TARGET, K, reward_model=wrong, n_boot=10)
        dr.append(est.dr.value - truth)
        pi = [TARGET.inclusion(c, K) for c in contexts]
        model = sum(p @ wrong.predict(c) for p, c in zip(pi, contexts, strict=True))
        direct.append(model / sum(p.sum() for p in pi) - truth)
    se = np.std(dr) / np.sqrt(len(dr))
    assert abs(np.mean(dr)) < 3 * se, (np.mean(dr), se)
    assert abs(np.mean(direct)) > 10 * se  # the model alone is far off: the test can fail


def test_the_logging_policy_estimates_its_own_logged_rate():
    _, contexts, _, pushes, responses = _logged(11, 500)
    r = rewards(responses, "contact")
    est = estimate_policy(contexts, pushes, r, EnginePolicy(0.1), K, n_boot=200)
    assert est.snips.value == pytest.approx(r.mean())  # all weights are 1
    assert est.effective_sample_size == pytest.approx(len(pushes))


def test_bad_logs_are_refused_with_the_push_named():
    _, contexts, _, pushes, responses = _logged(12, 20)
    r = rewards(responses, "contact")
    with pytest.raises(ValueError, match="rewards for"):
        estimate_policy(contexts, pushes, r[:-1], TARGET, K)
    bad = list(pushes)
    bad[3] = type(bad[3])(**{**{s: getattr(bad[3], s) for s in bad[3].__slots__},
                             "propensity": 0.0})  # fmt: skip
    with pytest.raises(ValueError, match="Push 3: propensity 0.0"):
        estimate_policy(contexts, bad, r, TARGET, K, reward_model=ConstantModel(0.1))
    with pytest.raises(ValueError, match="not in contexts"):
        estimate_policy(contexts[1:], pushes, r, TARGET, K)
