"""Serving a promoted learned ranker: it changes what a person is recommended, explains every
term in the engine's words, only reorders postings that passed the filters; a rollback
restores the hand-weighted ranking exactly."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from matching.learn.guard import rollback
from matching.learn.offline import simulated_log
from matching.rank.learned import TERMS, LearnedRanker, apply_served_ranker, reason_term
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.nightly_tables import RankerPromotionRow
from tests.conftest import tiny_persons

TODAY = dt.date(2024, 11, 1)  # the tiny postings are open 2024-10-18 to 12-20


def _ledger(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    upgrade(db)
    return db


def _serve(db, engine):
    with session_scope(db) as session:
        return apply_served_ranker(engine, session)


def test_a_promoted_model_changes_the_ranking_and_a_rollback_restores_it(
    tiny_engine, pay_model, tmp_path
):
    db = _ledger(tmp_path)
    person = tiny_persons()[0]
    assert _serve(db, tiny_engine) is None  # no row: the hand weights
    before = tiny_engine.recommend(person, k=3, today=TODAY)
    passing = {m.posting_id for m in tiny_engine.recommend(person, k=100, today=TODAY)}
    ranker = LearnedRanker.load(pay_model)
    with session_scope(db, write=True) as session:
        session.add(RankerPromotionRow(action="promote", model_id=ranker.model_id,
                                       model_path=str(pay_model), model_sha256=ranker.sha256,
                                       by_key="王科长"))  # fmt: skip
    assert _serve(db, tiny_engine).model_id == ranker.model_id
    after = tiny_engine.recommend(person, k=3, today=TODAY)
    assert [m.posting_id for m in after] != [m.posting_id for m in before]
    assert {m.posting_id for m in after} <= passing  # only postings that passed the filters
    pays = {m.posting_id: m.terms[TERMS.index("salary")].value for m in after}
    assert list(pays.values()) == sorted(pays.values(), reverse=True)  # it learnt: pay first

    with session_scope(db, write=True) as session:
        assert rollback(session, by="王科长") is None  # back to the hand weights
    assert _serve(db, tiny_engine) is None
    assert tiny_engine.recommend(person, k=3, today=TODAY) == before  # exactly


def test_learned_recommendations_explain_every_term_with_the_engines_reasons(
    tiny_engine, pay_model
):
    person = tiny_persons()[0]
    hand = {m.posting_id: m for m in tiny_engine.recommend(person, k=100, today=TODAY)}
    ranker = LearnedRanker.load(pay_model)
    tiny_engine.set_reranker(ranker)
    served = tiny_engine.recommend(person, k=3, today=TODAY)
    values = np.array([[t.value for t in m.terms] for m in served])
    contrib = ranker.contributions(ranker.features(values, [m.posting_id for m in served]))
    for m, row in zip(served, contrib, strict=True):
        assert [t.name for t in m.terms] == list(TERMS)
        assert m.score == pytest.approx(row.sum(), abs=1e-3)  # contributions add up to it
        salary = m.terms[TERMS.index("salary")]
        assert salary.contribution == pytest.approx(row[TERMS.index("salary")], abs=1e-3)
        assert sorted(m.reasons) == sorted(hand[m.posting_id].reasons)  # the same words
        by_term = {t.name: t.contribution for t in m.terms}
        said = [by_term.get(reason_term(r), 0.0) for r in m.reasons]
        assert said == sorted(said, reverse=True), (m.reasons, by_term)  # most helpful first


def test_the_nightly_reasons_follow_the_served_model(tiny_engine, pay_model):
    profile = tiny_engine.profile(tiny_persons()[0], today=TODAY)
    tiny_engine.set_reranker(LearnedRanker.load(pay_model))
    scored = tiny_engine.rank_many([profile], 3, today=TODAY)[0]
    matches = tiny_engine.explain_rows(profile, scored, today=TODAY)
    reasons = tiny_engine.reasons_rows(profile, scored, today=TODAY)
    assert [list(m.reasons) for m in matches] == reasons


def test_a_promoted_file_that_changed_is_refused_at_load(tiny_engine, pay_model, tmp_path):
    db = _ledger(tmp_path)
    with session_scope(db, write=True) as session:
        session.add(RankerPromotionRow(action="promote", model_id="x", model_path=str(pay_model),
                                       model_sha256="f" * 64, by_key="t"))  # fmt: skip
    with pytest.raises(Exception, match="SHA-256"):
        _serve(db, tiny_engine)


def test_simulated_logs_have_groups_for_the_fairness_report():
    log, _ = simulated_log(400, seed=2)
    assert set(log.groups.columns) == {"person_id", "gender", "age_band", "district"}
    assert "4050" in set(log.groups["age_band"])
