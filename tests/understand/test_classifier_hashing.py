"""The classifier's features are hashed to their columns once per distinct feature, not through
scikit-learn's FeatureHasher once per text: the same matrices, bit for bit, and so the same
categories, on a generated board and on the real postings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher

from matching.generator import generate_postings
from matching.understand.classifier import features
from matching.understand.classifier.features import VIEWS, hash_few, hash_texts, hash_views
from matching.understand.classifier.predict import default_model
from matching.understand.text import char_runs, normalize_text, tokenize
from tests.conftest import real_postings


def _grams(runs: Sequence[str], lo: int, hi: int, prefix: str) -> list[str]:
    return [f"{prefix}{run[i : i + size]}" for run in runs for size in range(lo, hi + 1)
            for i in range(len(run) - size + 1)]  # fmt: skip


def _reference(text: str, view: str) -> list[str]:
    """The feature strings of the module's docstring, as they were fed to FeatureHasher."""
    title, _, description = text.partition("\n")
    t_words, d_words = tokenize(title), tokenize(description)
    if view == "title":
        runs = char_runs(title)
        core = "".join(runs)
        ends = [f"end:{core[-2:]}", f"end:{core[-1:]}"] if core else []
        return [f"t:{w}" for w in t_words] + _grams(runs, 1, 3, "tc:") + ends
    return ([f"t:{w}" for w in t_words] + [f"w:{w}" for w in [*t_words, *d_words]]
            + _grams(char_runs(title), 2, 3, "tc:") + _grams(char_runs(description), 2, 3, "dc:"))  # fmt: skip


def _feature_hasher(texts: list[str], view: str) -> sp.csr_matrix:
    hasher = FeatureHasher(n_features=2**18, input_type="string", alternate_sign=False)
    x = hasher.transform(_reference(t, view) for t in texts).tocsr()
    x.sum_duplicates()
    x.data = 1.0 + np.log(x.data)
    return x


def _identical(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.has_sorted_indices and b.has_sorted_indices
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)


def _same_as_feature_hasher(texts: list[str]) -> None:
    parts = [t.partition("\n")[::2] for t in texts]
    words = [(tokenize(a), tokenize(b)) for a, b in parts]
    fields = [(normalize_text(a), normalize_text(b)) for a, b in parts]
    expected = {v: _feature_hasher(texts, v) for v in VIEWS}
    for _ in range(2):  # the second time every column comes from the caches
        got = hash_views(texts, words, fields)
        for v in VIEWS:
            _identical(got[v], expected[v])
            _identical(hash_texts(texts, v), expected[v])
            few = hash_few(texts[:50])[v]
            for (columns, tf), i in zip(few, range(50), strict=False):
                row = expected[v][i]
                np.testing.assert_array_equal(columns, row.indices)
                np.testing.assert_array_equal(tf, row.data)
    model = default_model()
    if model is None:
        pytest.skip("no classifier model in models/classifier/")
    views = model.view_probas(texts, words, fields)
    old = {v: model.views_[v].proba_hashed(expected[v]) for v in VIEWS} | {
        "lexicon": views["lexicon"]
    }
    np.testing.assert_array_equal(model.combine(views), model.combine(old))
    assert list(model.combine(views).argmax(axis=1)) == list(model.combine(old).argmax(axis=1))


def _odd() -> list[str]:
    return [
        "",
        "\n",
        "保洁员\n",
        "\n日结",
        "ＡＢＣ全角\n  \t空白\u3000",
        "收银" * 40 + "\n" + "员" * 90,
    ]


def test_a_generated_board_hashes_as_feature_hasher_hashed_it() -> None:
    rows = generate_postings(1500, seed=11)
    texts = [f"{r['岗位名称']}\n{r['岗位描述']}" for r in rows] + _odd()
    _same_as_feature_hasher(texts)


def test_real_postings_hash_as_feature_hasher_hashed_them(shared_data: Path) -> None:
    texts = [f"{p.title}\n{p.description}" for p in real_postings(shared_data)]
    _same_as_feature_hasher(texts)


def test_a_full_cache_starts_over_and_still_gives_the_same_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(features, "_MAX_COLUMNS", 50)
    features._COLUMNS.clear()
    features._WORDS.clear()
    features._run_grams.cache_clear()
    texts = [f"{r['岗位名称']}\n{r['岗位描述']}" for r in generate_postings(200, seed=3)]
    for v in VIEWS:
        _identical(hash_texts(texts, v), _feature_hasher(texts, v))
    assert len(features._COLUMNS) <= 50
