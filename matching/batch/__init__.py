"""Nightly push lists (issue 4): allocation under exposure caps, message texts, the run.

- :mod:`matching.batch.allocation`: ``allocate_greedy`` / ``allocate_exact``, caps, Gini.
- :mod:`matching.batch.messages`: SMS (one 70-character segment), WeChat, call sheets.
- :mod:`matching.batch.run`: ``run_nightly`` (resumable, optionally on Dask).
- :mod:`matching.batch.report`: the markdown + png run report.
"""

from __future__ import annotations
