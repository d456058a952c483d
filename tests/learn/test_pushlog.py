"""The push log read back after a nightly run with exploration: contexts consistent with the
stored pushes, responses from the recorded outcomes and contact log, groups for a fairness
report, old rows left out and counted, and the logging policy's estimate equal to its logged
rate. On SQLite, and on PostgreSQL when SONGGANG_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, select, text, update

import matching.store.nightly_tables  # noqa: F401  (registers the tables on Base)
from matching.campaign.contact import ContactInput, add_contact
from matching.learn.estimators import estimate_policy
from matching.learn.pushlog import GROUP_COLUMNS, age_band, is_4050, read_push_log
from matching.learn.simulator import rewards
from matching.nightly.candidates_file import CANDIDATES_FILE
from matching.nightly.records import NightlySettings
from matching.nightly.run import run_nightly
from matching.rank.scoring import TERMS
from matching.schemas import age_on
from matching.store.access import add_outcome
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.nightly_tables import PushRow
from matching.store.tables import Base, OutcomeRow, PersonRow

DAY = dt.date(2024, 10, 21)
SETTINGS = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=50, exploration=0.3)
PG_ENV = "SONGGANG_TEST_POSTGRES_URL"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from matching.generator import write_sample

    root = tmp_path_factory.mktemp("pushlog")
    info = write_sample(root / "sample", persons=150, postings=300, seed=11)
    return {"root": root, **{k: Path(v) for k, v in info.items() if k.endswith("_csv")}}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def ran(request: pytest.FixtureRequest, sample: dict[str, Path]) -> Iterator[dict[str, Any]]:
    """A database with one nightly run (exploration 0.3) and its output folder."""
    from matching.ingest.importer import import_persons, import_postings
    from matching.rank.snapshots import build_snapshot

    root = sample["root"] / request.param
    root.mkdir()
    engine = _database(request.param, root)
    upgrade(engine)
    import_persons(engine, sample["persons_csv"])
    import_postings(engine, sample["postings_csv"], classify=False)
    build_snapshot(engine, root / "index", active_on=DAY)
    result = run_nightly(engine, root / "index", root / "out", day=DAY, settings=SETTINGS,
                         processes=1)  # fmt: skip
    yield {"engine": engine, "out": root / "out", "run_id": result.run_id}
    if request.param == "postgresql":
        _reset(engine)
    engine.dispose()


def _database(kind: str, root: Path) -> Engine:
    """A fresh database: a SQLite file under ``root``, or the test PostgreSQL server emptied."""
    if kind == "sqlite":
        return make_engine(f"sqlite:///{root / 'db.sqlite'}")
    if not os.environ.get(PG_ENV):
        pytest.skip(f"needs a PostgreSQL server: set {PG_ENV}=postgresql+psycopg://…")
    engine = make_engine(os.environ[PG_ENV])
    _reset(engine)
    return engine


def _reset(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _stored(engine: Engine) -> list[Any]:
    with session_scope(engine) as s:
        return list(
            s.execute(
                select(PushRow.person_id, PushRow.posting_id, PushRow.rank, PushRow.score,
                       PushRow.placed_by, PushRow.propensity, PushRow.terms, PushRow.code)
                .order_by(PushRow.person_id, PushRow.rank)
            )
        )  # fmt: skip


def test_contexts_are_consistent_with_the_stored_pushes(ran: dict[str, Any]) -> None:
    stored = _stored(ran["engine"])
    with session_scope(ran["engine"]) as s:
        log = read_push_log(s, since=DAY, until=DAY)
    assert len(log.pushes) == len(stored) and log.left_out == {
        "no_propensity": 0,
        "no_candidates": 0,
    }
    assert {p.placed_by for p in log.pushes} == {"engine", "explore"}
    contexts = {c.person_id: c for c in log.contexts}
    assert len(contexts) == len({r.person_id for r in stored})
    for push, row in zip(log.pushes, stored, strict=True):
        ctx = contexts[push.person_id]
        assert push.person_id == f"{ran['run_id']}:{row.person_id}"
        assert ctx.posting_ids[push.row] == push.posting_id == str(row.posting_id)
        assert (push.position, push.placed_by, push.propensity) == (
            row.rank, row.placed_by, row.propensity,
        )  # fmt: skip
        assert ctx.values[push.row] == pytest.approx([row.terms[t] for t in TERMS], abs=0.0021)
        assert float(ctx.score[push.row]) == pytest.approx(row.score, abs=1e-4)
        # the logging policy's stored inclusion of the pushed posting is its propensity
        assert log.logging_policy.inclusion(ctx, 3)[push.row] == pytest.approx(push.propensity)
    # each context holds more than the pushes: the candidates that could have been shown
    assert sum(c.size for c in log.contexts) > 3 * len(log.contexts)
    assert all(log.logging_policy.inclusion(c, 3).sum() == pytest.approx(
        sum(1 for p in log.pushes if p.person_id == c.person_id), abs=1e-5
    ) for c in log.contexts)  # fmt: skip


def test_groups_give_gender_age_band_4050_and_district(ran: dict[str, Any]) -> None:
    with session_scope(ran["engine"]) as s:
        log = read_push_log(s)
        people = {
            r.id: r
            for r in s.execute(select(PersonRow.id, PersonRow.gender, PersonRow.birth_date,
                                      PersonRow.district))
        }  # fmt: skip
    groups = log.groups
    assert tuple(groups.columns) == GROUP_COLUMNS
    assert sorted(groups.person_id) == sorted(c.person_id for c in log.contexts)
    for row in groups.itertuples():
        p = people[int(row.person_id.split(":")[1])]
        age = age_on(p.birth_date, DAY)
        assert (row.gender, row.district) == (p.gender, p.district)
        assert (row.age_band, row.is_4050) == (age_band(age), is_4050(p.gender, age))
    assert (is_4050("女", 40), is_4050("女", 39), is_4050("男", 49), is_4050("男", 50)) == (
        True, False, False, True,
    )  # fmt: skip
    assert groups.is_4050.any() and not groups.is_4050.all()


def _at(engine: Engine, outcome_id: int, day: dt.date) -> None:
    """Date an outcome (recorded now) as if recorded on ``day``."""
    when = dt.datetime.combine(day, dt.time(10), dt.UTC)
    with session_scope(engine, write=True) as s:
        s.execute(update(OutcomeRow).where(OutcomeRow.id == outcome_id).values(at=when))


def test_responses_come_from_recorded_outcomes_and_quoted_reply_codes(
    ran: dict[str, Any],
) -> None:
    engine = ran["engine"]
    stored = _stored(engine)
    a, b, c, d, e = (stored[i] for i in (0, 4, 8, 12, 16))
    recorded = [  # (push, kind, days after the push)
        (a, "contacted", 1), (a, "interested", 3),
        (b, "hired", 9),  # no interview recorded: it happened by day 9 at the latest
        (c, "declined", 2),
        (d, "interviewed", 40),  # past the 30-day horizon
    ]  # fmt: skip
    with session_scope(engine, write=True) as s:
        ids = [add_outcome(s, person_id=p.person_id, posting_id=p.posting_id, kind=kind).id
               for p, kind, _ in recorded]  # fmt: skip
        idn = s.get(PersonRow, e.person_id).id_number  # type: ignore[union-attr]
        add_contact(s, ContactInput(idn, DAY + dt.timedelta(days=2), "电话",
                                    content=f"回访，回复码{e.code}，本人有意向"))  # fmt: skip
    for oid, (_, _, days) in zip(ids, recorded, strict=True):
        _at(engine, oid, DAY + dt.timedelta(days=days))
    try:
        with session_scope(engine) as s:
            log = read_push_log(s, horizon_days=30)
        got = {(r.push.person_id, r.push.posting_id): r.days for r in log.responses}
        key = lambda row: (f"{ran['run_id']}:{row.person_id}", str(row.posting_id))  # noqa: E731
        assert got[key(a)] == (1, 3, None, None)
        assert got[key(b)] == (9, 9, 9, 9)
        assert got[key(c)] == (2, None, None, None)
        assert got[key(d)] == (None, None, None, None)
        assert got[key(e)] == (2, None, None, None)
        reached = {key(x) for x in (a, b, c, e)}
        assert all(all(v is None for v in days) for k, days in got.items() if k not in reached)
        # the logging policy estimated on its own log gives its logged rate
        r = rewards(log.responses, "contact")
        assert r.sum() == 4
        est = estimate_policy(log.contexts, log.pushes, r, log.logging_policy, 3)
        for interval in (est.ips, est.snips, est.dr):
            assert interval.covers(float(r.mean()))
            assert interval.value == pytest.approx(r.mean(), rel=1e-5)
        assert est.n_pushes == len(stored) and est.effective_sample_size > 0.99 * len(stored)
    finally:
        with session_scope(engine, write=True) as s:
            s.execute(OutcomeRow.__table__.delete())


def test_old_rows_and_runs_without_their_candidates_file_are_left_out_and_counted(
    ran: dict[str, Any], tmp_path: Path
) -> None:
    engine = ran["engine"]
    stored = _stored(engine)
    old = [r.person_id for r in stored[:2]]
    with session_scope(engine, write=True) as s:
        s.execute(update(PushRow).where(PushRow.person_id.in_(old)).values(propensity=None))
    try:
        with session_scope(engine) as s:
            log = read_push_log(s)
        n_old = sum(r.person_id in old for r in stored)
        assert log.left_out == {"no_propensity": n_old, "no_candidates": 0}
        assert len(log.pushes) == len(stored) - n_old
        # a cleaned output folder: the run's pushes have no context any more
        path = ran["out"] / CANDIDATES_FILE
        kept = tmp_path / "kept.npz"
        path.rename(kept)
        try:
            with session_scope(engine) as s:
                gone = read_push_log(s)
        finally:
            kept.rename(path)
        assert gone.left_out == {"no_propensity": n_old, "no_candidates": len(stored) - n_old}
        assert gone.pushes == [] and gone.contexts == [] and len(gone.groups) == 0
        with session_scope(engine) as s:  # another night: nothing
            assert read_push_log(s, since=DAY + dt.timedelta(days=1)).pushes == []
    finally:
        with session_scope(engine, write=True) as s:
            for r in stored:
                s.execute(update(PushRow).where(PushRow.person_id == r.person_id,
                                                PushRow.posting_id == r.posting_id)
                          .values(propensity=r.propensity))  # fmt: skip


def test_the_reader_never_logs_an_id_number(
    ran: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope(ran["engine"]) as s:
        numbers = set(s.scalars(select(PersonRow.id_number)))
        with caplog.at_level("DEBUG"):
            log = read_push_log(s)
    assert log.pushes and caplog.records
    assert not any(n in rec.getMessage() for rec in caplog.records for n in numbers)
    assert np.isfinite([p.propensity for p in log.pushes]).all()
