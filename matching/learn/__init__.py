"""Learning from outcomes (issue 19): exploration with logged propensities, a simulator of job
seekers, counterfactual estimates of a candidate policy.

- :mod:`matching.learn.policy`: a person's eligible postings (``Context``), push policies and
  their inclusion probabilities, the exploring logging policy (``log_lists``).
- :mod:`matching.learn.simulator`: seekers with hidden preferences answering pushes (contact,
  interest, interview, hire) with delays and non-response; a policy's true rates.
- :mod:`matching.learn.estimators`: IPS, self-normalised IPS and doubly robust estimates with
  bootstrap intervals and the effective sample size.
"""

from __future__ import annotations
