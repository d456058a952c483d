"""Reverse matching and job fairs: from a posting to the persons it fits."""

from __future__ import annotations

import pytest
from conftest import TODAY, tiny_persons

from matching.schemas import PersonStatus


@pytest.fixture
def engine_with_persons(tiny_engine):  # type: ignore[no-untyped-def]
    return tiny_engine.fit_persons(tiny_persons(), today=TODAY)


def test_candidates_for_posting_ranks_the_fitting_person_first(engine_with_persons):  # type: ignore[no-untyped-def]
    wang, li, zhao, liu = tiny_persons()
    got = engine_with_persons.candidates_for_posting("p0", k=4, today=TODAY)
    assert got[0].id_number == wang.id_number
    assert any("本人勾选" in r for r in got[0].reasons)
    assert (
        engine_with_persons.candidates_for_posting("p5", k=1, today=TODAY)[0].id_number
        == zhao.id_number
    )
    assert (
        engine_with_persons.candidates_for_posting("p3", k=1, today=TODAY)[0].id_number
        == liu.id_number
    )
    scores = [c.score for c in got]
    assert scores == sorted(scores, reverse=True)


def test_candidates_for_posting_respects_districts_and_status(engine_with_persons, tiny_engine):  # type: ignore[no-untyped-def]
    got = engine_with_persons.candidates_for_posting("p0", k=10, today=TODAY, districts=["蓟州区"])
    assert got and {c.id_number[:6] for c in got} == {"120119"}
    persons = tiny_persons()
    persons[0] = persons[0].model_copy(update={"status": PersonStatus.EMPLOYED})
    tiny_engine.fit_persons(persons, today=TODAY)
    ids_ = [c.id_number for c in tiny_engine.candidates_for_posting("p0", k=10, today=TODAY)]
    assert persons[0].id_number not in ids_ and len(ids_) == 3


def test_admit_filters_the_ranked_persons_and_keeps_their_order(engine_with_persons):  # type: ignore[no-untyped-def]
    # A service decides who may be shown by asking its database about the ranked persons
    # only; the result is the unscoped ranking without the refused, in the same order.
    wang = tiny_persons()[0]
    everyone = engine_with_persons.candidates_for_posting("p0", k=4, today=TODAY)
    asked: list[str] = []

    def admit(numbers):  # type: ignore[no-untyped-def]
        asked.extend(numbers)
        return [p for p in numbers if p != wang.id_number]

    got = engine_with_persons.candidates_for_posting("p0", k=4, today=TODAY, admit=admit)
    assert [(c.id_number, c.score) for c in got] == [
        (c.id_number, c.score) for c in everyone if c.id_number != wang.id_number
    ]
    assert len(asked) == len(set(asked))  # each person asked about once
    assert set(asked) <= {c.id_number for c in everyone}
    top = engine_with_persons.candidates_for_posting("p0", k=1, today=TODAY, admit=admit)
    assert [c.id_number for c in top] == [got[0].id_number]
    assert (
        engine_with_persons.candidates_for_posting("p0", k=4, today=TODAY, admit=lambda n: []) == []
    )


def test_reverse_score_equals_forward_score(engine_with_persons):  # type: ignore[no-untyped-def]
    # One scorer seen from both sides: the pair (wang, p0) scores the same either way.
    wang = tiny_persons()[0]
    forward = {m.posting_id: m.score for m in engine_with_persons.recommend(wang, k=8, today=TODAY)}
    reverse = {
        c.id_number: c.score
        for c in engine_with_persons.candidates_for_posting("p0", k=4, today=TODAY)
    }
    assert reverse[wang.id_number] == pytest.approx(forward["p0"], abs=1e-3)


def test_job_fair_selection_counts_fitting_persons(engine_with_persons):  # type: ignore[no-untyped-def]
    from matching.rank.jobfair import select_postings

    got = select_postings(engine_with_persons, categories=["B"], day=TODAY, fit_threshold=0.5)
    assert {g.posting_id for g in got} == {"p2", "p3", "p7"}
    counts = {g.posting_id: g for g in got}
    # 李强 (B, 河西区) fits the 河西区 driver job; 刘伟 (B, 蓟州区) the 蓟州区 warehouse job.
    assert counts["p2"].by_district.get("河西区", 0) >= 1
    assert counts["p3"].by_district.get("蓟州区", 0) >= 1
    assert all(g.by_category.get("B", 0) >= 1 for g in got if g.fit_count)
    only_jizhou = select_postings(
        engine_with_persons, categories=["B"], districts=["蓟州区"], day=TODAY, fit_threshold=0.5
    )
    assert [g.posting_id for g in only_jizhou] == ["p3"]
    assert select_postings(engine_with_persons, keywords=["叉车"], day=TODAY)[0].posting_id == "p3"
