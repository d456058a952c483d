"""A few texts (a person's positions and skills, one posting) are hashed and weighed without
scipy: the same columns, values and probabilities as the batch path, bit for bit, so no
inferred category or classified posting moves with the number of texts in a call."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.understand.classifier.features import VIEWS, hash_few, hash_views
from matching.understand.classifier.model import FEW_TEXTS
from matching.understand.classifier.predict import default_model

# Chinese job words, digits, Latin letters, punctuation and every kind of whitespace
_ALPHABET = st.sampled_from(list("保洁员电工证会开叉车仓库理货营业收银钢筋普工司机厨师月薪元")
                            + list("0123456789abcXYZ-/·（）()，。 \t\n\u3000"))  # fmt: skip
_TEXTS = st.lists(st.text(_ALPHABET, max_size=60), min_size=1, max_size=FEW_TEXTS)


def _model():  # type: ignore[no-untyped-def]
    model = default_model()
    if model is None:
        pytest.skip("no classifier model in models/classifier/")
    return model


def _assert_same(texts: list[str]) -> None:
    model = _model()
    few, batch = hash_few(texts), hash_views(texts)
    for view in VIEWS:
        x = batch[view]
        for i, (columns, tf) in enumerate(few[view]):
            np.testing.assert_array_equal(columns, x[i].indices)
            np.testing.assert_array_equal(tf, x[i].data)  # exact, not approximately
        got = model.views_[view].proba_rows(few[view])
        want = model.views_[view].proba_hashed(x)
        assert got.shape == want.shape == (len(texts), 18)
        np.testing.assert_array_equal(got, want)


def test_few_texts_give_the_batch_numbers_on_generated_postings_and_titles() -> None:
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(600, seed=11)
    texts = [p.text for p in postings] + [f"{p.title}\n" for p in postings]
    texts += ["", "\n", " \n ", "保洁\n\n\n", "a"]  # no feature at all, lines only, one letter
    _assert_same(texts)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_few_texts_give_the_batch_numbers_on_any_text(texts: list[str]) -> None:
    _assert_same(texts)


def test_a_persons_texts_get_the_view_probabilities_they_get_in_a_batch() -> None:
    """What the model reads of a few texts equals what it reads of them inside a large batch
    (the combiner after it is the same code for both)."""
    model = _model()
    from matching.evaluate.generated import generated_persons

    persons, _ = generated_persons(60, seed=2)
    texts = [f"{t}\n" for p in persons for t in (*(w.position for w in p.work_history), p.skills)]
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    assert len(texts) > FEW_TEXTS  # the batch goes the sparse-matrix way
    batch = model.view_probas(texts)
    for i in range(0, len(texts), 3):
        alone = model.view_probas(texts[i : i + 3])
        assert alone.keys() == batch.keys()
        for view, p in alone.items():
            np.testing.assert_array_equal(p, batch[view][i : i + 3])


def test_a_persons_confident_categories_are_read_off_the_predictions() -> None:
    """The categories kept for a person's text: those of ``top(3)`` other than R at or above
    ``PERSON_MIN_PROBA``, best first, with their probabilities, as the predictions give them."""
    from matching.domain.categories import Category
    from matching.evaluate.generated import generated_postings
    from matching.understand.classifier.predict import (
        PERSON_MIN_PROBA,
        _confident,
        predict_combined,
    )

    model = _model()
    postings, _ = generated_postings(300, seed=8)
    texts = list(dict.fromkeys(f"{p.title}\n" for p in postings)) + ["\n", "其他\n", "保安 保洁\n"]
    for lo in range(0, len(texts), 5):  # a person's few texts at a time
        batch = texts[lo : lo + 5]
        want = [
            [(c, p) for c, p in pred.top(3) if c is not Category.R and p >= PERSON_MIN_PROBA]
            for pred in predict_combined(model, batch)
        ]
        assert _confident(batch, model) == want
        assert _confident(batch, None) == [
            [(c, p) for c, p in pred.top(3) if c is not Category.R and p >= PERSON_MIN_PROBA]
            for pred in predict_combined(None, batch)
        ]
    kept = [c for t in texts for c in _confident([t], model)]
    assert kept and len(kept) < 2 * len(texts)  # some texts say little: not every one keeps one
