"""Learning from outcomes (issue 19): exploration with logged propensities, a simulator of job
seekers, counterfactual estimates of a candidate policy.

- :mod:`matching.learn.policy`: a person's eligible postings (``Context``), push policies and
  their inclusion probabilities, the exploring logging policy (``log_lists``).
- :mod:`matching.learn.simulator`: seekers with hidden preferences answering pushes (contact,
  interest, interview, hire) with delays and non-response; a policy's true rates.
- :mod:`matching.learn.estimators`: IPS, self-normalised IPS and doubly robust estimates with
  bootstrap intervals and the effective sample size.
- :mod:`matching.learn.ranker`: the LightGBM lambdarank learner and its policy
  (serving it is :mod:`matching.rank.learned`).
- :mod:`matching.learn.offline`: push logs (recorded or simulated), policies by name, estimates.
- :mod:`matching.learn.guard`: promote only a better model, roll back one step (the ledger).
- :mod:`matching.learn.fairness`: exposure and outcome rates by gender, age band and district.
- :mod:`matching.learn.card`: the training run with its held-out estimates and model card.
"""

from __future__ import annotations
