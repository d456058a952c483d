"""The recommendation's person read on the driver's connection (api.prepared): the same rows,
values and types as SQLAlchemy's own read of the statement, declined postings included, and
no transaction left open (a write right after it is not blocked)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from api.prepared import PreparedSelect
from api.routes.persons import _PERSON_AND_DECLINED, _person_read
from matching.store.db import session_scope
from matching.store.tables import OutcomeRow, PersonRow, PostingRow
from tests.api.conftest import OTHER, OWN, World

MINE = "test-prepared-read"  # the outcomes this test adds (and removes) carry this key id


def _as_sqlalchemy_reads(world: World, pk: int) -> list[tuple[object, ...]]:
    with world.db.connect() as conn:
        return [tuple(r) for r in conn.execute(_PERSON_AND_DECLINED, {"pk": pk}).all()]


def test_rows_values_and_types_are_sqlalchemys(client: TestClient, world: World) -> None:
    read = PreparedSelect(world.db, _PERSON_AND_DECLINED)
    pks = world.person_ids(OWN)[:20] + world.person_ids(OTHER)[:5]
    before = {r.declined_posting_id for r in read.all(pk=pks[0])} - {None}
    with session_scope(world.db) as s:  # two more declined postings for the first person
        postings = list(s.scalars(select(PostingRow.id).order_by(PostingRow.id.desc()).limit(2)))
        s.execute(
            insert(OutcomeRow),
            [{"person_id": pks[0], "posting_id": p, "kind": "declined", "reason": "远",
              "by_key": MINE} for p in postings],
        )  # fmt: skip
    mine = OutcomeRow.__table__.delete().where(OutcomeRow.by_key == MINE)
    try:
        for pk in pks:
            expected = _as_sqlalchemy_reads(world, pk)
            got = read.all(pk=pk)
            assert [tuple(r) for r in got] == expected
            assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in expected]
            assert got[0].id == pk and got[0].id_number == expected[0][1]
        declined = {r.declined_posting_id for r in read.all(pk=pks[0])}
        assert declined == before | set(postings) and len(read.all(pk=pks[0])) >= 2
        assert read.all(pk=2**31 - 1) == []
        with world.db.begin() as conn:  # the read left no transaction behind
            conn.execute(mine)
    finally:
        with world.db.begin() as conn:
            conn.execute(mine)


def test_an_edit_is_seen_by_the_next_read(client: TestClient, world: World) -> None:
    """No stale answer: a person changed in another connection is read as changed at once."""
    read = PreparedSelect(world.db, _PERSON_AND_DECLINED)
    pk = world.person_ids(OWN)[0]
    before = read.all(pk=pk)[0].skills
    persons = PersonRow.__table__
    with world.db.begin() as conn:
        conn.execute(persons.update().where(persons.c.id == pk).values(skills=before + "，叉车"))
    try:
        assert read.all(pk=pk)[0].skills == before + "，叉车"
    finally:
        with world.db.begin() as conn:
            conn.execute(persons.update().where(persons.c.id == pk).values(skills=before))


class _Refusing:
    """A driver connection whose statements fail with the driver's own error."""

    def __init__(self, error: Exception) -> None:
        self.error, self.closed = error, False

    def cursor(self) -> _Refusing:
        return self

    def execute(self, *_: object) -> None:
        raise self.error

    def close(self) -> None:
        self.closed = True


def _refusing_read(client: TestClient, monkeypatch, message: str) -> _Refusing:  # type: ignore[no-untyped-def]
    """The app's prepared person read, its driver connection failing with ``message``."""
    db = client.app.state.db  # type: ignore[attr-defined]
    fake = _Refusing(db.dialect.loaded_dbapi.OperationalError(message))

    class Pool:  # the prepared read's only use of its engine
        raw_connection = staticmethod(lambda: fake)

    monkeypatch.setattr(_person_read(db), "_db", Pool())
    return fake


def test_a_busy_database_during_the_read_is_a_503_with_retry_after(
    client: TestClient, world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The driver's "database is locked" reaches the caseworker as SQLAlchemy's reads make it:
    503 with Retry-After, not a 500; the connection goes back to its pool."""
    fake = _refusing_read(client, monkeypatch, "database is locked")
    pk = world.person_ids(OWN)[0]
    r = client.get(f"/persons/{pk}/recommendations", headers=world.headers("admin"))
    assert r.status_code == 503, r.text
    assert int(r.headers["Retry-After"]) > 0
    assert fake.closed


def test_another_driver_error_during_the_read_stays_a_server_error(
    client: TestClient, world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A broken query is not "busy": it is raised (a 500 the server logs), wrapped as
    SQLAlchemy's error, its bound values hidden."""
    fake = _refusing_read(client, monkeypatch, "no such column: persons.skills")
    pk = world.person_ids(OWN)[0]
    with pytest.raises(OperationalError) as raised:
        client.get(f"/persons/{pk}/recommendations", headers=world.headers("admin"))
    assert "no such column" in str(raised.value) and "parameters hidden" in str(raised.value)
    assert fake.closed
