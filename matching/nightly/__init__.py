"""Nightly push lists (issue 4): allocation under exposure caps, message texts, the run.

- :mod:`matching.nightly.pairs`: candidate pairs, exposure caps, exposure, Gini.
- :mod:`matching.nightly.allocation`: ``allocate_greedy`` / ``allocate_exact``.
- :mod:`matching.nightly.explore`: exploration after the allocation, with exact propensities.
- :mod:`matching.nightly.candidates_file`: every pushed person's candidates (``candidates.npz``).
- :mod:`matching.nightly.messages`: SMS (one 70-character segment), WeChat, call sheets.
- :mod:`matching.nightly.records`: the run's data types (settings, registrants, candidates).
- :mod:`matching.nightly.run`: ``run_nightly`` (resumable, optionally on Dask), made of
  :mod:`~matching.nightly.storage`, :mod:`~matching.nightly.scoring`,
  :mod:`~matching.nightly.pushes` and :mod:`~matching.nightly.writers`.
- :mod:`matching.nightly.report`: the markdown + png run report.
- :mod:`matching.nightly.outputs`: the files a run wrote, and reading them back.
"""

from __future__ import annotations
