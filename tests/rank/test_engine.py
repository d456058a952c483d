"""The ranking contract: what a caseworker relies on when reading a top-N list."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from conftest import TODAY, make_id, person, posting, tiny_persons, tiny_postings

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.domain.retirement import of_working_age
from matching.exceptions import EmptyInputError, NotFittedError
from matching.rank.engine import MatchingEngine, categories_of
from matching.schemas import Education, PersonStatus


def ids(matches):  # type: ignore[no-untyped-def]
    return [m.posting_id for m in matches]


def test_person_who_ticked_A_in_hexi_gets_A_near_hexi_first(tiny_engine):  # type: ignore[no-untyped-def]
    wang = tiny_persons()[0]
    got = tiny_engine.recommend(wang, k=3, today=TODAY)
    assert ids(got)[:2] in (["p0", "p6"], ["p6", "p0"])  # the two 河西区 A postings
    assert ids(got)[2] == "p1" or categories_of(got, tiny_engine)[2] == Category.A
    top = got[0]
    assert any(r.startswith("意向类别：A 家政/保洁（本人勾选）") for r in top.reasons)
    assert any("河西区" in r for r in top.reasons)
    assert top.score == pytest.approx(sum(t.contribution for t in top.terms), abs=1e-3)


@pytest.mark.parametrize("i, expected", [(0, {"p0", "p6"}), (1, {"p2"}), (2, {"p5"}), (3, {"p3"})])
def test_each_tiny_person_gets_their_posting_first(tiny_engine, i, expected):  # type: ignore[no-untyped-def]
    # The right answer: the person's category, in the person's district (p0/p6 both are).
    assert set(ids(tiny_engine.recommend(tiny_persons()[i], k=1, today=TODAY))) <= expected


def test_k_larger_than_corpus_returns_every_valid_posting(tiny_engine):  # type: ignore[no-untyped-def]
    # faiss pads with -1 when k > ntotal (faiss issue #1016): none may leak through.
    got = tiny_engine.recommend(tiny_persons()[0], k=50, today=TODAY)
    assert sorted(ids(got)) == sorted(p.id for p in tiny_postings())
    assert all(m.posting_id != "-1" for m in got)


def test_recommend_many_equals_loop(tiny_engine):  # type: ignore[no-untyped-def]
    persons = tiny_persons()
    batch = tiny_engine.recommend_many(persons, k=5, today=TODAY)
    assert batch == [tiny_engine.recommend(p, k=5, today=TODAY) for p in persons]


def test_not_fitted_and_empty_input() -> None:
    with pytest.raises(NotFittedError, match="fit"):
        MatchingEngine().recommend(tiny_persons()[0])
    with pytest.raises(EmptyInputError):
        MatchingEngine().fit([])


def test_dim_is_the_width_of_the_posting_vectors(tiny_engine):  # type: ignore[no-untyped-def]
    from matching.domain.categories import ALL

    with pytest.raises(NotFittedError, match="fit"):
        _ = MatchingEngine().dim_
    dim = tiny_engine.dim_
    assert isinstance(dim, int)
    assert dim == tiny_engine.vectors_.shape[1] == tiny_engine.text_vectors_.shape[1] + len(ALL) + 3
    with pytest.raises(AttributeError):
        tiny_engine.dim_ = 3


# -- hard filters ------------------------------------------------------------------------------


def _engine_with(*extra):  # type: ignore[no-untyped-def]
    return MatchingEngine().fit(tiny_postings() + list(extra))


def test_expired_not_yet_valid_and_filled_postings_never_appear() -> None:
    day = dt.timedelta(days=1)
    engine = _engine_with(
        posting(
            "old",
            "小区保洁员",
            "楼道保洁",
            Category.A,
            "河西区",
            5000,
            6000,
            valid_until=TODAY - day,
        ),
        posting(
            "future",
            "小区保洁员",
            "楼道保洁",
            Category.A,
            "河西区",
            5000,
            6000,
            valid_from=TODAY + day,
        ),
        posting("full", "小区保洁员", "楼道保洁", Category.A, "河西区", 5000, 6000, filled=True),
    )
    got = ids(engine.recommend(tiny_persons()[0], k=50, today=TODAY))
    assert {"old", "future", "full"}.isdisjoint(got)
    assert len(got) == 8


def test_education_and_age_requirements_are_hard_filters() -> None:
    engine = _engine_with(
        posting(
            "college",
            "保洁主管",
            "保洁 管理",
            Category.A,
            "河西区",
            6000,
            7000,
            education_min=Education.COLLEGE,
        ),
        posting(
            "young", "保洁员", "保洁", Category.A, "河西区", 6000, 7000, age_min=18, age_max=35
        ),
    )
    wang = tiny_persons()[0]  # 初中, born 1985 → 39 on TODAY
    got = ids(engine.recommend(wang, k=50, today=TODAY))
    assert "college" not in got and "young" not in got
    grad = wang.model_copy(
        update={"education": Education.BACHELOR, "birth_date": dt.date(1995, 1, 1)}
    )
    got = ids(engine.recommend(grad, k=50, today=TODAY))
    assert "college" in got and "young" in got


def test_location_requirement_districts_and_radius(tiny_engine):  # type: ignore[no-untyped-def]
    # 只/仅/必须 make the 地点要求 a hard filter (without them it is a preference: test_area.py)
    wang = tiny_persons()[0].model_copy(update={"location_requirement": "只在河西区"})
    got = tiny_engine.recommend(wang, k=50, today=TODAY)
    assert got and all(tiny_engine.posting(m.posting_id).district == "河西区" for m in got)
    near = tiny_persons()[0].model_copy(update={"location_requirement": "必须离家5公里内"})
    got = tiny_engine.recommend(near, k=50, today=TODAY)
    assert got and all(tiny_engine.posting(m.posting_id).district == "河西区" for m in got)


def test_deregistered_or_employed_person_gets_nothing(tiny_engine):  # type: ignore[no-untyped-def]
    for status in (PersonStatus.DEREGISTERED, PersonStatus.EMPLOYED):
        p = tiny_persons()[0].model_copy(update={"status": status})
        assert tiny_engine.recommend(p, today=TODAY) == []


def test_excluded_postings_are_not_recommended(tiny_engine):  # type: ignore[no-untyped-def]
    got = ids(
        tiny_engine.recommend(tiny_persons()[0], k=50, today=TODAY, exclude_posting_ids=["p0"])
    )
    assert "p0" not in got and "p6" in got


def test_salary_reason_and_minimum_wage_flag() -> None:
    engine = _engine_with(
        posting("low", "保洁员", "小区保洁", Category.A, "河西区", 1500, 2000),
    )
    got = {m.posting_id: m for m in engine.recommend(tiny_persons()[0], k=50, today=TODAY)}
    assert any("高于期望4000元" in r for r in got["p0"].reasons)  # 4000-5000 vs 4000
    assert any("低于期望4000元" in r for r in got["low"].reasons)
    assert any("最低工资" in f for f in got["low"].flags)
    assert not got["p0"].flags


def test_weights_change_the_order() -> None:
    # With only the location weight, the nearest posting wins whatever its category.
    engine = MatchingEngine(
        MatchingConfig(
            weight_text=0, weight_category=0, weight_salary=0, weight_freshness=0, weight_location=1
        )
    ).fit(tiny_postings())
    zhao = tiny_persons()[2]  # lives in 蓟州区
    top = engine.recommend(zhao, k=4, today=TODAY)
    assert {engine.posting(m.posting_id).district for m in top[:3]} == {"蓟州区"}


def test_person_without_any_preference_still_gets_valid_ranked_list(tiny_engine):  # type: ignore[no-untyped-def]
    blank = person(make_id(seq="162"), "张三", (), "河西区", "")
    got = tiny_engine.recommend(blank, k=8, today=TODAY)
    assert len(got) == 8
    scores = [m.score for m in got]
    assert scores == sorted(scores, reverse=True)
    assert np.isfinite(scores).all()


def test_ivf_index_above_the_exact_limit_gives_the_same_top_matches(tiny_engine):  # type: ignore[no-untyped-def]
    ivf = MatchingEngine(MatchingConfig(exact_index_max=4)).fit(tiny_postings())
    assert ivf.index_.kind_ == "ivf" and tiny_engine.index_.kind_ == "flat"
    for p in tiny_persons():
        assert ids(ivf.recommend(p, k=3, today=TODAY)) == ids(
            tiny_engine.recommend(p, k=3, today=TODAY)
        )


def test_config_rejects_unknown_fields_and_bad_weights() -> None:
    with pytest.raises(ValueError, match="unknown"):
        MatchingConfig.from_dict({"weight_txt": 1.0})
    with pytest.raises(ValueError, match="weight_salary"):
        MatchingConfig(weight_salary=-1).validate()


# -- batching: the nightly run and the API must rank alike ---------------------------------------


@pytest.fixture(scope="module")
def generated_world():  # type: ignore[no-untyped-def]
    from matching.evaluate.generated import generated_persons, generated_postings

    postings, _ = generated_postings(600, seed=5)
    persons, _ = generated_persons(120, seed=5)
    # Every other person insists on the 地点要求 (只…): a hard filter, the rest a preference.
    persons = [
        p.model_copy(update={"location_requirement": "只" + p.location_requirement}) if i % 2 else p
        for i, p in enumerate(persons)
    ]
    # Few candidates per search: strict location requirements leave few that pass.
    config = MatchingConfig(min_candidates=10, oversample=2)
    return MatchingEngine(config).fit(postings), persons


def test_batched_ranking_equals_one_by_one(generated_world):  # type: ignore[no-untyped-def]
    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    pids = engine.posting_ids_
    # Exclusions differ per person; ineligible persons (not registered) sit among the others.
    exclude = [pids[i % 7 :: 37] for i in range(len(persons))]
    persons = [
        p.model_copy(update={"status": PersonStatus.EMPLOYED}) if i % 10 == 3 else p
        for i, p in enumerate(persons)
    ]
    batch = engine.recommend_many(persons, 12, today=day, exclude=exclude)
    loop = [
        engine.recommend(p, 12, today=day, exclude_posting_ids=skip)
        for p, skip in zip(persons, exclude, strict=True)
    ]
    assert batch == loop
    assert all(batch[i] == [] for i in range(3, len(persons), 10))
    # past the statutory retirement age (2025 rules; women of 51–57 and a man of 63 here)
    retired = [i for i, p in enumerate(persons) if not of_working_age(p.birth_date, p.gender, day)]
    assert retired and all(batch[i] == [] for i in retired)
    assert sum(len(m) == 12 for m in batch) > (len(persons) - len(retired)) // 2
    for matches, skip in zip(batch, exclude, strict=True):
        assert not {m.posting_id for m in matches} & set(skip)
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    # A small batch size (several batches) changes nothing.
    profiles = engine.profiles(persons, today=day, exclude=exclude)
    small = engine.rank_many(profiles, 12, today=day, batch_size=7)
    whole = engine.rank_many(profiles, 12, today=day)
    assert [s.rows.tolist() for s in small] == [s.rows.tolist() for s in whole]


def test_rank_many_returns_reasons_without_matches(generated_world):  # type: ignore[no-untyped-def]
    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    profiles = engine.profiles(persons[:150], today=day)
    checked = 0
    for profile, scored in zip(profiles, engine.rank_many(profiles, 15, today=day), strict=True):
        assert engine.reasons_rows(profile, scored, today=day) == [
            list(m.reasons) for m in engine.explain_rows(profile, scored, today=day)
        ]
        checked += len(scored.rows)
    assert checked > 1000


def test_refit_forgets_the_previous_postings_reasons(generated_world):  # type: ignore[no-untyped-def]
    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    postings = [engine.posting(pid) for pid in engine.posting_ids_]
    again = MatchingEngine(engine.config_).fit(postings)
    profile = again.profile(persons[0], today=day)
    before = again.reasons_rows(profile, again.rank_many([profile], 5, today=day)[0], today=day)
    # Same ids, every posting now in 西青区 with no stated pay: the reasons must say so.
    moved = [p.model_copy(update={"district": "西青区", "salary": None}) for p in postings]
    again.fit(moved)
    after = again.reasons_rows(profile, again.rank_many([profile], 5, today=day)[0], today=day)
    assert before != after
    assert all("薪资未注明" in r and any("西青区" in x for x in r) for r in after)


def test_posting_words_segmented_at_fit_survive_save_and_load(generated_world, tmp_path):  # type: ignore[no-untyped-def]
    from matching.rank.words import distinct_words

    engine, _ = generated_world
    loaded = MatchingEngine.load(engine.save(tmp_path / "engine"))
    for row, p in enumerate(engine.postings_):
        expected = frozenset(distinct_words(f"{p.title} {p.description}"))
        assert engine.words_.of(row) == expected
        assert loaded.words_.of(row) == expected


def test_passing_matrix_is_the_hard_filter_of_every_pair(generated_world):  # type: ignore[no-untyped-def]
    from matching.rank.filters import passing
    from matching.rank.scoring import score_pairs
    from matching.rank.tables import PersonTable

    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    profiles = engine.profiles(persons, today=day)
    table = PersonTable.from_profiles(profiles)
    n = engine.index_.ntotal
    assert np.isfinite(table.max_km).any() and (~table.allowed.all(axis=1)).any()
    got = passing(table, np.arange(len(profiles)), engine.table_, today=day,
                  config=engine.config_)  # fmt: skip
    who = np.repeat(np.arange(len(profiles)), n)
    rows = np.tile(np.arange(n), len(profiles))
    scored = score_pairs(table, who, engine.table_, rows, np.zeros(who.size, np.float32),
                         today=day, config=engine.config_)  # fmt: skip
    expected = np.zeros(who.size, bool)
    expected[scored.keep] = True
    np.testing.assert_array_equal(got.ravel(), expected)
    assert 0 < got.mean() < 1


def test_flat_retrieval_takes_the_best_candidates_that_pass_the_filters(generated_world):  # type: ignore[no-untyped-def]
    """Candidates = each profile's top ``fetch`` by retrieval score among the postings that pass
    its hard filters (so a person with strict filters still gets the best of what passes)."""
    from matching.rank.filters import passing
    from matching.rank.scoring import score_rows
    from matching.rank.tables import PersonTable
    from matching.rank.vectors import query_vector

    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    k, fetch = 12, 24  # the fixture's config: max(min_candidates=10, k·oversample=2·12)
    profiles = engine.profiles(persons, today=day)
    ranked = engine.rank_many(profiles, k, today=day)
    table = PersonTable.from_profiles(profiles)
    keep = passing(table, np.arange(len(profiles)), engine.table_, today=day,
                   config=engine.config_)  # fmt: skip
    q = engine.vectorizer_.transform_sparse([p.text for p in profiles])
    queries = np.stack([query_vector(p, v, engine.config_)
                        for p, v in zip(profiles, engine.vectorizer_.project(q), strict=True)])  # fmt: skip
    retrieval = queries @ engine.vectors_.T
    strict = 0
    for i, scored in enumerate(ranked):
        ok = np.flatnonzero(keep[i])
        strict += ok.size < 4 * fetch
        cand = ok[np.argsort(-retrieval[i, ok], kind="stable")[:fetch]]
        exact = score_rows(profiles[i], engine.table_, cand,
                           np.asarray((engine.sparse_[cand] @ q[i].T).todense()).ravel(),
                           today=day, config=engine.config_)  # fmt: skip
        order = np.lexsort((engine._id_rank()[exact.rows], -exact.score))[:k]
        assert scored.rows.tolist() == exact.rows[order].tolist()
        np.testing.assert_allclose(scored.score, exact.score[order], atol=1e-6)
    assert strict > 0  # some persons' filters leave few postings: the case this is for


def test_ivf_ranking_refetches_and_equals_one_by_one(generated_world):  # type: ignore[no-untyped-def]
    from matching.retrieve import index

    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    # fewer candidates than postings, so strict filters send some profiles back for more
    config = replace(engine.config_, exact_index_max=100, ivf_min_candidates=10)
    ivf = MatchingEngine(config).fit(engine.postings_)
    assert ivf.index_.kind_ == "ivf"
    searches: list[int] = []
    real = index.VectorIndex.search

    def counting(self, queries, k, allowed=None):  # type: ignore[no-untyped-def]
        searches.append(k)
        assert allowed is not None  # the postings closed that day are skipped by the search
        return real(self, queries, k, allowed)

    profiles = ivf.profiles(persons, today=day)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index.VectorIndex, "search", counting)
        batch = ivf.rank_many(profiles, 12, today=day)
    assert len(set(searches)) > 1  # strict filters sent some profiles back for more
    loop = [ivf.rank_many([p], 12, today=day)[0] for p in profiles]
    assert [s.rows.tolist() for s in batch] == [s.rows.tolist() for s in loop]
    assert sum(len(s.rows) == 12 for s in batch) > len(profiles) // 2


def test_engine_equals_the_exhaustive_scorer_when_every_passing_posting_is_a_candidate(
    generated_world,
):  # type: ignore[no-untyped-def]
    """With ``fetch`` ≥ the postings, the engine's list is the exhaustive scorer's (score over
    every posting, ties by id), person by person."""
    from matching.evaluate.baselines import exhaustive_recommend

    engine, persons = generated_world
    day = dt.date(2024, 10, 21)
    wide = MatchingEngine(replace(engine.config_, min_candidates=engine.index_.ntotal))
    wide.fit(engine.postings_)
    profiles = wide.profiles(persons, today=day)
    compared = 0
    for profile, scored in zip(profiles, wide.rank_many(profiles, 12, today=day), strict=True):
        got = [wide.posting_ids_[r] for r in scored.rows]
        assert got == exhaustive_recommend(wide, profile, 12, day)
        compared += len(got)
    assert compared > 500
