"""The classifier's character n-gram features, each run's grams made and hashed once: the same
columns as each gram cut and hashed one by one."""

from __future__ import annotations

from sklearn.utils import murmurhash3_32

from matching.generator import generate_postings
from matching.understand.classifier.features import N_FEATURES, _grams
from matching.understand.text import char_runs


def _reference(runs: list[str], lo: int, hi: int, prefix: str) -> list[int]:
    grams = [f"{prefix}{run[i : i + size]}" for run in runs for size in range(lo, hi + 1)
             for i in range(len(run) - size + 1)]  # fmt: skip
    return [abs(murmurhash3_32(g, 0)) % N_FEATURES for g in grams]


def test_grams_of_a_board_are_the_grams_cut_one_by_one() -> None:
    rows = generate_postings(300, seed=5)
    fields = [char_runs(r[k]) for r in rows for k in ("岗位名称", "岗位描述")]
    assert sum(len(runs) for runs in fields) > 1000
    for _ in range(2):  # the second time every run's grams come from the cache
        for lo, hi, prefix in ((1, 3, "tc:"), (2, 3, "tc:"), (2, 3, "dc:")):
            assert [_grams(r, lo, hi, prefix) for r in fields] == [
                _reference(r, lo, hi, prefix) for r in fields
            ]
    expected = ["tc:保", "tc:洁", "tc:保洁", "tc:a"]
    assert _grams(["保洁", "a"], 1, 3, "tc:") == [
        abs(murmurhash3_32(g, 0)) % N_FEATURES for g in expected
    ]
