"""``matching.recommend_stored``: a script recommends for stored persons with public names only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import matching
from matching.cli.main import app
from matching.domain.idcard import mask_id_number
from matching.store.db import make_engine, session_scope
from matching.store.persons import iter_persons
from matching.store.tables import AuditLogRow
from tests.conftest import cli_env, make_id

DAY = dt.date(2024, 10, 21)


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("stored")
    env = cli_env(root)
    sample = root / "sample"
    runner = CliRunner()
    for args in (
        ["generate", "--out", str(sample), "--persons", "120", "--postings", "200", "--bad-rows", "0"],
        ["import", "persons", str(sample / "persons.csv")],
        ["import", "postings", str(sample / "postings.csv")],
        ["index", "build", "--date", DAY.isoformat()],
    ):  # fmt: skip
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    db = make_engine(env["SONGGANG_DATABASE_URL"])
    with session_scope(db) as session:
        persons = list(iter_persons(session))
    return db, matching.load_current(env["SONGGANG_INDEX_DIR"]), persons


def _audit(db) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        stmt = select(AuditLogRow.person_id_number, AuditLogRow.role, AuditLogRow.key_id).where(
            AuditLogRow.endpoint == "test"
        )
        return [tuple(r) for r in session.execute(stmt)]


def test_same_answers_as_the_engine_and_every_read_audited(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, persons = world
    chosen = [p for p in persons if p.status == "registered"][:5]
    numbers = [p.id_number for p in chosen]
    got = matching.recommend_stored(
        db, engine, [*numbers, numbers[0]], k=5, today=DAY, role="caseworker", endpoint="test"
    )
    assert [r.person.id_number for r in got] == numbers  # in order, once each
    for result, person in zip(got, chosen, strict=True):
        assert result.matches == engine.recommend(person, k=5, today=DAY)
    assert any(r.matches for r in got)
    assert sorted(_audit(db)) == sorted((n, "caseworker", "library") for n in numbers)


def test_a_person_no_longer_registered_gets_nothing(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, persons = world
    gone = next(p for p in persons if p.status != "registered")
    (result,) = matching.recommend_stored(db, engine, [gone.id_number], today=DAY)
    assert result.person.status == gone.status
    assert result.matches == []


def test_an_unknown_number_is_named_masked_and_nobody_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, persons = world
    before = len(_audit(db))
    unknown = make_id("120101", "19700101", "999")
    with pytest.raises(matching.MatchingError) as exc:
        matching.recommend_stored(
            db, engine, [persons[0].id_number, unknown], endpoint="test", today=DAY
        )
    assert mask_id_number(unknown) in str(exc.value)
    assert unknown not in str(exc.value)
    assert len(_audit(db)) == before


def test_the_published_snapshot_tells_its_vector_width(world) -> None:  # type: ignore[no-untyped-def]
    _, engine, _ = world
    assert isinstance(engine, matching.MatchingEngine)
    assert engine.dim_ > 0
