"""The classifier's idf weighting and row normalisation: the numbers scikit-learn's
``normalize`` of the broadcast product gave, bit for bit (the probabilities, hence every
classified posting and inferred category, do not move)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from matching.understand.classifier.features import N_FEATURES, hash_views, weigh


def _reference(x: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    return normalize(x.multiply(idf[np.newaxis, :]).tocsr(), norm="l2", copy=False)


def test_weigh_gives_normalize_of_the_product_bit_for_bit() -> None:
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(300, seed=3)
    idf = 1.0 + np.random.default_rng(3).random(N_FEATURES) * 6
    for x in hash_views([p.text for p in postings]).values():
        x = x.copy()
        x.data = x.data.copy()
        before = x.data.copy()
        for part in (x, x[:1], x[7:8]):  # a batch, one text (a person's)
            got, want = weigh(part, idf), _reference(part, idf)
            assert got.shape == want.shape
            np.testing.assert_array_equal(got.indptr, want.indptr)
            np.testing.assert_array_equal(got.indices, want.indices)
            np.testing.assert_array_equal(got.data, want.data)  # exact, not approximately
        np.testing.assert_array_equal(x.data, before)  # the input is left as it was
    empty = sp.csr_matrix((2, N_FEATURES))  # a text with no feature: a row of zeros, no NaN
    assert weigh(empty, idf).nnz == 0
