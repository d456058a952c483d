"""A registered person's query text, transformed once by ``fit_persons``, is read back on each
request: the same rows and the same matches as transforming it again."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from matching.config import MatchingConfig
from matching.rank.engine import MatchingEngine

DAY = dt.date(2024, 10, 21)


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    from matching.evaluate.generated import generated_persons, generated_postings

    postings = generated_postings(600, seed=13)[0]
    persons = generated_persons(150, seed=13)[0]
    served = MatchingEngine(MatchingConfig()).fit(postings)
    served.fit_persons(persons, today=DAY)
    return served, MatchingEngine(MatchingConfig()).fit(postings)


def test_fitted_texts_are_read_back_not_transformed(engines, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    served, plain = engines
    texts = [p.text for p in served.person_profiles_]
    assert len(texts) > 100
    want = plain.vectorizer_.transform_sparse(texts)
    want_vectors = plain.vectorizer_.project(want)

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("a fitted text was transformed again")

    monkeypatch.setattr(served.vectorizer_, "transform_sparse", refuse)
    for i, text in enumerate(texts):
        sparse, vector = served.query_rows([text])
        row = want[i]
        assert sparse.shape == row.shape and sparse.has_sorted_indices
        np.testing.assert_array_equal(sparse.indptr, row.indptr)
        np.testing.assert_array_equal(sparse.indices, row.indices)
        np.testing.assert_array_equal(sparse.data, row.data)  # bit for bit
        np.testing.assert_array_equal(vector[0], want_vectors[i])
    monkeypatch.undo()
    sparse, _ = served.query_rows(["叉车司机 仓库 装卸"])  # a walk-in's text: transformed
    assert sparse.shape[0] == 1 and sparse.nnz > 0


def test_served_matches_equal_those_of_an_engine_that_transforms_every_text(engines) -> None:  # type: ignore[no-untyped-def]
    served, plain = engines
    got = [served.recommend_profile(p, 10, today=DAY) for p in served.person_profiles_]
    assert got == [plain.recommend_profile(p, 10, today=DAY) for p in served.person_profiles_]
    assert sum(len(m) for m in got) > 1000
    many = served.rank_many(served.person_profiles_, 10, today=DAY)  # a batch of fitted texts
    assert [s.rows.tolist() for s in many] == [
        s.rows.tolist() for s in plain.rank_many(served.person_profiles_, 10, today=DAY)
    ]


def test_fitting_other_persons_forgets_the_previous_texts(engines) -> None:  # type: ignore[no-untyped-def]
    served, _ = engines
    text = served.person_profiles_[0].text
    other = MatchingEngine(MatchingConfig()).fit([served.posting(i) for i in served.posting_ids_])
    other.fit_persons(served.persons_, today=DAY)
    assert text in other.__dict__["_fitted_texts"][0]
    other.fit_persons([], today=DAY)
    assert "_fitted_texts" not in other.__dict__


def test_a_fitted_person_s_table_row_is_read_back_with_the_same_matches(
    engines, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """``recommend_fitted`` (what the service calls for a registered person) reads the person's
    row of ``person_table_`` instead of building it, and answers as ``recommend_profile`` of the
    same profile with the same exclusions."""
    import dataclasses

    from matching.rank import engine as engine_module

    served, plain = engines
    want = []
    for row, profile in enumerate(served.person_profiles_):
        skip = plain.posting_ids_[row % 5 : row % 5 + row % 3]  # none, one or two declined
        mine = dataclasses.replace(profile, exclude_posting_ids=frozenset(skip))
        want.append((row, skip, plain.recommend_profile(mine, 10, today=DAY)))

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("a fitted person's table row was built again")

    monkeypatch.setattr(engine_module.PersonTable, "from_profiles", refuse)
    got = [(row, skip, served.recommend_fitted(row, 10, today=DAY, exclude_posting_ids=skip))
           for row, skip, _ in want]  # fmt: skip
    assert got == want
    assert sum(len(m) for _, _, m in got) > 1000
    assert any(skip for _, skip, _ in got)
