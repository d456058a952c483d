"""An import's predictions are made from the probability matrix at once: the same category,
probabilities and source for each posting as one row at a time."""

from __future__ import annotations

import numpy as np

from matching.generator import generate_postings
from matching.understand.classifier.features import CLASSES
from matching.understand.classifier.predict import (
    CategoryPrediction,
    default_model,
    predict_combined,
)


def test_predictions_from_the_matrix_equal_those_made_row_by_row() -> None:
    rng = np.random.default_rng(3)
    proba = rng.dirichlet(np.ones(len(CLASSES)), size=300)
    proba[0] = 1.0 / len(CLASSES)  # a tie everywhere: the first category, as argmax of a row
    proba[1, [4, 9]] = proba[1].max() + 0.25  # a tie between two: the first of them
    sources = ["model", "model+lexicon", "lexicon"] * 100
    got = CategoryPrediction.from_rows(proba, sources)
    assert got == [CategoryPrediction.from_array(p, s) for p, s in zip(proba, sources, strict=True)]
    assert [g.probabilities for g in got] == [
        CategoryPrediction.from_array(p, "model").probabilities for p in proba
    ]
    assert got[0].category == CLASSES[0] and got[1].category == CLASSES[4]
    assert all(type(v) is float for g in got for v in g.probabilities.values())
    assert CategoryPrediction.from_rows(np.zeros((0, len(CLASSES))), []) == []


def test_a_board_is_classified_as_one_posting_at_a_time() -> None:
    model = default_model()
    texts = [f"{r['岗位名称']}\n{r['岗位描述']}" for r in generate_postings(200, seed=4)]
    one_by_one = [predict_combined(model, [t])[0] for t in texts]
    together = predict_combined(model, texts)
    assert [p.category for p in together] == [p.category for p in one_by_one]
    assert [p.source for p in together] == [p.source for p in one_by_one]
    for a, b in zip(together, one_by_one, strict=True):
        np.testing.assert_allclose(list(a.probabilities.values()), list(b.probabilities.values()))
