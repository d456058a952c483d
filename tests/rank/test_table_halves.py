"""A posting table read in two halves at once (the command line's index build) holds the
arrays of one pass (see PostingTable.from_postings and matching/ingest/halves.py)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from matching.ingest import halves
from matching.rank.tables import PostingTable
from tests.ingest.test_prepare import _forks
from tests.ingest.test_segment import _odd


@pytest.mark.skipif(not _forks(), reason="needs fork and two cores")
def test_two_halves_read_the_table_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from matching.evaluate.generated import generated_postings

    made, _ = generated_postings(700, 5)
    postings = made[:300] + _odd() + made[300:]
    monkeypatch.setattr(halves, "MIN_ITEMS", 100)
    parent, read = os.getpid(), []
    real = PostingTable._read.__func__  # type: ignore[attr-defined]

    def spy(cls: type[PostingTable], part: list) -> PostingTable:  # type: ignore[type-arg]
        read.append((os.getpid(), len(part)))
        return real(cls, part)

    monkeypatch.setattr(PostingTable, "_read", classmethod(spy))
    want = PostingTable.from_postings(postings)  # outside forking(): one pass here
    assert read == [(parent, len(postings))]
    with halves.forking():
        got = PostingTable.from_postings(postings)
    assert read[1:] == [(parent, len(postings) // 2)]  # the other half was read elsewhere
    for name in PostingTable.__slots__:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    # the text readers found something to differ on
    assert want.off_day.any() and want.demands.any() and want.certificates.any()
    assert len(set(want.pay_period)) == 3 and len(set(want.experience)) > 10
