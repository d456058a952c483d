"""Rows a search may return as a packed bitmap (faiss's IDSelectorBitmap layout): made from a
mask or from rows alike, combined, less some rows, and searched with the same result as the
mask it packs."""

from __future__ import annotations

import numpy as np
import pytest

from matching.retrieve.index import RowBitmap, VectorIndex


def test_a_bitmap_holds_its_rows_and_counts_them() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.random(1_003) < 0.3, rng.random(1_003) < 0.6
    bits = RowBitmap.of_mask(a)
    assert bits.bits.size == 126 and bits.count == int(a.sum())
    assert bits.rows(1_003).tolist() == np.flatnonzero(a).tolist()
    same = RowBitmap.of_rows(np.flatnonzero(a), 1_003)
    np.testing.assert_array_equal(same.bits, bits.bits)
    both = bits & RowBitmap.of_mask(b)
    assert both.rows(1_003).tolist() == np.flatnonzero(a & b).tolist()
    assert both.count == int((a & b).sum())
    cut = np.array([0, 5, 17, 1_002, 1_003, 4_000, -1])  # set, unset and past the end alike
    less = bits.without(cut)
    c = a.copy()
    c[[0, 5, 17, 1_002]] = False
    assert less.rows(1_003).tolist() == np.flatnonzero(c).tolist() and less.count == c.sum()
    assert bits.rows(1_003).tolist() == np.flatnonzero(a).tolist()  # a copy was changed


@pytest.mark.parametrize("exact_max", [100_000, 500])
def test_search_among_a_bitmap_equals_search_among_its_mask(exact_max: int) -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5_000, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index = VectorIndex(exact_max=exact_max).build(x)
    mask = rng.random(5_000) < 0.1
    for k in (10, 300):
        by_mask = index.search(x[:5], k, mask)
        by_bits = index.search(x[:5], k, RowBitmap.of_mask(mask))
        for m, b in zip(by_mask[0], by_bits[0], strict=True):
            assert m.tolist() == b.tolist() and mask[b].all()
    with pytest.raises(ValueError, match="cover 5000 rows"):
        index.search(x[:1], 5, RowBitmap.of_mask(mask[:4_000]))
