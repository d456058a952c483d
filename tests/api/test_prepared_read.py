"""The recommendation's person read on the driver's connection (api.prepared): the same rows,
values and types as SQLAlchemy's own read of the statement, declined postings included, and
no transaction left open (a write right after it is not blocked)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from api.prepared import PreparedSelect
from api.routes.persons import _PERSON_AND_DECLINED
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
