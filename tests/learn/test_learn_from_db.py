"""The loop on the database: a nightly run's pushes and their recorded outcomes are read back,
a model is trained and judged on them, the ledger records the decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from matching.learn.card import run_training
from matching.learn.offline import recorded_log
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.nightly_tables import PushRow
from matching.store.tables import OutcomeRow

DAY = dt.date(2024, 10, 21)


def test_train_and_evaluate_from_recorded_pushes_and_outcomes(tmp_path: Path) -> None:
    from matching.generator import write_sample
    from matching.ingest.importer import import_persons, import_postings
    from matching.nightly.records import NightlySettings
    from matching.nightly.run import run_nightly
    from matching.rank.snapshots import build_snapshot

    info = write_sample(tmp_path / "sample", persons=300, postings=400, seed=4)
    db = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade(db)
    import_persons(db, info["persons_csv"])
    import_postings(db, info["postings_csv"], classify=False)
    build_snapshot(db, tmp_path / "index", active_on=DAY)
    run_nightly(db, tmp_path / "index", tmp_path / "out", day=DAY,
                settings=NightlySettings(per_person=5, cap_multiple=3.0, chunk_size=100),
                processes=1)  # fmt: skip
    with session_scope(db, write=True) as s:
        pushes = s.scalars(select(PushRow).order_by(PushRow.id)).all()
        assert {p.placed_by for p in pushes} == {"engine", "explore"}
        assert all(p.propensity and p.terms for p in pushes)
        at = dt.datetime.combine(DAY + dt.timedelta(days=2), dt.time(10), dt.UTC)
        for p in pushes[::4]:  # every fourth push answered, every eighth ends in an interview
            s.add(
                OutcomeRow(person_id=p.person_id, posting_id=p.posting_id, kind="contacted", at=at)
            )
        for p in pushes[::8]:
            s.add(OutcomeRow(person_id=p.person_id, posting_id=p.posting_id, kind="interviewed",
                             at=at))  # fmt: skip
    with session_scope(db) as s:
        log = recorded_log(s, since=DAY, until=DAY, horizon_days=30)
    assert len(log.responses) == len(pushes)
    assert {"gender", "age_band", "district"} <= set(log.groups.columns)
    run = run_training(log, tmp_path / "learned", n_boot=50)
    assert run.model.sidecar["window"]["since"] == str(DAY)
    assert run.model.sidecar["figures"]["labelled"]["interview"] > 0
    assert set(run.estimates) == {"engine", run.model.ranker.model_id}
