"""Nightly push lists (issue 4): allocation under exposure caps, message texts, the run.

- :mod:`matching.nightly.allocation`: ``allocate_greedy`` / ``allocate_exact``, caps, Gini.
- :mod:`matching.nightly.messages`: SMS (one 70-character segment), WeChat, call sheets.
- :mod:`matching.nightly.run`: ``run_nightly`` (resumable, optionally on Dask).
- :mod:`matching.nightly.report`: the markdown + png run report.
"""

from __future__ import annotations
