"""The classifier's character n-gram features, each run's grams made once: the same lists."""

from __future__ import annotations

from matching.generator import generate_postings
from matching.understand.classifier.features import _grams
from matching.understand.text import char_runs


def _reference(runs: list[str], lo: int, hi: int, prefix: str) -> list[str]:
    return [f"{prefix}{run[i : i + size]}" for run in runs for size in range(lo, hi + 1)
            for i in range(len(run) - size + 1)]  # fmt: skip


def test_grams_of_a_board_are_the_grams_cut_one_by_one() -> None:
    rows = generate_postings(300, seed=5)
    fields = [char_runs(r[k]) for r in rows for k in ("岗位名称", "岗位描述")]
    assert sum(len(runs) for runs in fields) > 1000
    for _ in range(2):  # the second time every run's grams come from the cache
        for lo, hi, prefix in ((1, 3, "tc:"), (2, 3, "tc:"), (2, 3, "dc:")):
            assert [_grams(r, lo, hi, prefix) for r in fields] == [
                _reference(r, lo, hi, prefix) for r in fields
            ]
    assert _grams(["保洁", "a"], 1, 3, "tc:") == ["tc:保", "tc:洁", "tc:保洁", "tc:a"]
