"""Guardrails: promote refuses a worse model and accepts a better one (recording which, when,
by whom and the figures); rollback is one step back; the fairness report compares groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matching.exceptions import PromotionRefusedError
from matching.learn.fairness import exposure_gaps, fairness_table, write_fairness
from matching.learn.guard import ledger_rows, promote, promotion_stack, rollback
from matching.learn.offline import hand_policy, simulated_log
from matching.learn.policy import log_lists
from matching.learn.ranker import LearnedPolicy, train_ranker
from matching.learn.simulator import Funnel, Simulator, random_contexts
from matching.rank.learned import served_model
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.nightly_tables import RankerPromotionRow


def _train(tmp, funnel: Funnel | None, n: int = 8000, seed: int = 0):
    rng = np.random.default_rng(seed)
    contexts = random_contexts(n, rng)
    sim = Simulator(contexts, funnel, seed=seed)
    responses = sim.respond(log_lists(contexts, 5, 0.1, rng), rng)
    return train_ranker(contexts, responses, tmp, window={"simulated": True}).path


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guard")
    better = _train(tmp, None)
    # seekers who prefer the opposite of everything: a model of them serves real ones worse
    worse = _train(tmp, Funnel(weights=tuple(-w for w in Funnel().weights),
                               intercepts=(1.0, -3.5, -4.0, -4.0)))  # fmt: skip
    log, sim = simulated_log(8000, seed=77, exploration=0.3)
    return better, worse, log, sim


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    upgrade(engine)
    return engine


def test_promote_refuses_a_worse_model_and_writes_nothing(db, models):
    _, worse, log, sim = models
    from matching.rank.learned import LearnedRanker

    assert (
        sim.true_rates(LearnedPolicy(LearnedRanker.load(worse)), 5)["contact"]
        < (sim.true_rates(hand_policy(), 5)["contact"])
    )  # truly worse: the test can fail
    with session_scope(db, write=True) as session:
        with pytest.raises(PromotionRefusedError, match="拒绝上线.*refused: the DR lower bound"):
            promote(session, log, worse, by="王科长", n_boot=200)
    with session_scope(db) as session:
        assert ledger_rows(session) == [] and served_model(session) is None


def test_promote_accepts_a_better_model_and_records_it(db, models):
    better, _, log, _ = models
    with session_scope(db, write=True) as session:
        decision = promote(session, log, better, by="王科长", n_boot=200, note="十二月")
    assert decision.accepted and decision.candidate.dr.low > decision.current.dr.value
    with session_scope(db) as session:
        (row,) = ledger_rows(session)
        assert (row.action, row.by_key, row.note) == ("promote", "王科长", "十二月")
        assert row.model_path == str(better.resolve()) and len(row.model_sha256) == 64
        assert row.estimate["outcome"] == "contact" and row.estimate["current"]["id"] == "engine"
        assert row.estimate["log"]["simulated"] is True and row.at is not None
        assert served_model(session) == (row.model_path, row.model_sha256)
    # the same model again is not better than itself: refused
    with session_scope(db, write=True) as session, pytest.raises(PromotionRefusedError):
        promote(session, log, better, by="王科长", n_boot=200)


def test_promote_needs_a_name(db, models):
    better, _, log, _ = models
    with (
        session_scope(db, write=True) as session,
        pytest.raises(PromotionRefusedError, match="--by"),
    ):
        promote(session, log, better, by=" ", n_boot=50)


def _row(action, model=None):
    return RankerPromotionRow(action=action, model_id=model, model_path=model and f"/m/{model}.txt",
                              model_sha256=model and "a" * 64, by_key="t")  # fmt: skip


def test_rollback_steps_back_one_promotion_at_a_time(db):
    with session_scope(db, write=True) as session:
        session.add_all([_row("promote", "A"), _row("promote", "B")])
    with session_scope(db, write=True) as session:
        assert rollback(session, by="李").model_id == "A"
    with session_scope(db) as session:
        assert served_model(session) == ("/m/A.txt", "a" * 64)
    with session_scope(db, write=True) as session:
        assert rollback(session, by="李") is None
    with session_scope(db) as session:
        assert served_model(session) is None and promotion_stack(ledger_rows(session)) == []
        assert [r.action for r in ledger_rows(session)] == ["promote", "promote", "rollback",
                                                            "rollback"]  # fmt: skip
    with (
        session_scope(db, write=True) as session,
        pytest.raises(PromotionRefusedError, match="nothing to roll back"),
    ):
        rollback(session, by="李")


def test_fairness_report_compares_groups_and_exposure_stays_equal(models, tmp_path):
    better, _, log, _ = models
    from matching.rank.learned import LearnedRanker

    table = fairness_table(
        log,
        [("engine", hand_policy()), ("model", LearnedPolicy(LearnedRanker.load(better)))],
        n_boot=50,
    )
    assert set(table["dimension"]) == {"性别", "年龄段", "区"}
    assert {"4050", "16-29"} <= set(table["group"])
    assert set(table["policy"]) == {"engine", "model"}
    assert exposure_gaps(table) == 0.0  # reordering changes no one's number of pushes
    assert (table["contact_low"] <= table["contact"]).all()
    groups = log.groups.set_index("person_id")
    women = table[(table["group"] == "女") & (table["policy"] == "engine")]
    assert women["persons"].item() == int((groups["gender"] == "女").sum())
    table.loc[0, "group"] = "=HYPERLINK(1)"
    path = write_fairness(table, tmp_path / "fair.csv")
    assert pd.read_csv(path)["group"].iloc[0] == "'=HYPERLINK(1)"
