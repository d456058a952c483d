"""Generated postings past the reader's row limit are read in files of at most that many rows,
and are the same postings as one file gives."""

from __future__ import annotations

from matching.evaluate.generated import generated_postings


def test_postings_read_in_chunks_equal_those_read_from_one_file() -> None:
    whole, truth = generated_postings(45, seed=3)
    parts, parts_truth = generated_postings(45, seed=3, chunk=20)
    assert [p.model_dump() for p in parts] == [p.model_dump() for p in whole]
    assert parts_truth == truth
    assert len(whole) > 40
