"""A reload of the same snapshot keeps the postings' reason parts; another snapshot or another
config builds its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from api.state import Loaded, carry_reasons
from matching.rank.engine import MatchingEngine

DAY = dt.date(2024, 10, 21)


def test_a_reload_of_the_same_snapshot_keeps_the_reason_parts(tiny_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tiny_engine.save(tmp_path / "snap")
    served = MatchingEngine.load(folder)
    assert served.prepare_day(DAY) > 0
    old = Loaded(served, "snap")

    again = MatchingEngine.load(folder)
    assert carry_reasons(old, again, "snap")
    assert again.prepare_day(DAY) == 0  # nothing left to build
    cache = again.__dict__["_reason_parts_cache"]
    assert cache is served.__dict__["_reason_parts_cache"]

    other = MatchingEngine.load(folder)
    assert not carry_reasons(old, other, "another-snapshot")
    assert not carry_reasons(None, other, "snap")  # the first load
    changed = MatchingEngine.load(folder)
    changed.config = dataclasses.replace(changed.config_, min_wage_monthly_yuan=9999)
    assert not carry_reasons(old, changed, "snap")  # the parts name the minimum wage
    assert other.prepare_day(DAY) == changed.prepare_day(DAY) == len(cache)
