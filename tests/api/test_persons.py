"""Persons endpoints: search, profile, recommendations, outcomes, masking and audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.present import match_public
from api.schemas import MatchesPublic
from matching.domain.idcard import mask_id_number, mask_phone
from matching.store.db import session_scope
from matching.store.keyauth import KeyStore
from matching.store.persons import person_from_row
from matching.store.tables import AuditLogRow, OutcomeRow, PersonRow
from tests.api.conftest import OTHER, OWN, TODAY, World


def _audit_count(world: World, number: str) -> int:
    with session_scope(world.db) as s:
        stmt = select(func.count()).where(AuditLogRow.person_id_number == number)
        return int(s.scalar(stmt) or 0)


def test_caseworker_reads_own_person_unmasked_and_is_audited(
    client: TestClient, world: World
) -> None:
    pk = world.person_ids(OWN)[0]
    row = world.person(pk)
    before = _audit_count(world, row.id_number)
    r = client.get(f"/persons/{pk}", headers=world.headers("caseworker"))
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == pk and body["district"] == OWN and body["masked"] is False
    assert body["id_number"] == row.id_number and body["phone"] == (row.phone or "")
    assert _audit_count(world, row.id_number) == before + 1


@pytest.mark.parametrize("field", ["name", "id_number", "phone"])
def test_search_finds_by_name_id_or_phone(client: TestClient, world: World, field: str) -> None:
    pk = world.person_ids(OWN)[1]
    row = world.person(pk)
    q = getattr(row, field)
    q = q if field == "name" else q[-8:]
    r = client.get("/persons", params={"q": q}, headers=world.headers("caseworker"))
    assert r.status_code == 200
    body = r.json()
    assert pk in [p["id"] for p in body["data"]]
    assert body["page"] == 1 and body["count"] >= 1
    assert all(p["district"] == OWN for p in body["data"])


def test_search_is_paginated(client: TestClient, world: World) -> None:
    h = world.headers("admin")
    first = client.get("/persons", params={"page_size": 5}, headers=h).json()
    second = client.get("/persons", params={"page_size": 5, "page": 2}, headers=h).json()
    assert len(first["data"]) == 5 and first["count"] > 10
    assert not {p["id"] for p in first["data"]} & {p["id"] for p in second["data"]}


def test_admin_sees_every_district_unmasked(client: TestClient, world: World) -> None:
    body = client.get("/persons", params={"page_size": 100}, headers=world.headers("admin")).json()
    assert len({p["district"] for p in body["data"]}) > 3
    assert not any(p["masked"] for p in body["data"])


def test_recommendations_are_explained_in_chinese(client: TestClient, world: World) -> None:
    for pk in world.person_ids(OWN):
        r = client.get(
            f"/persons/{pk}/recommendations", params={"n": 5}, headers=world.headers("caseworker")
        )
        assert r.status_code == 200
        if r.json()["count"]:
            break
    body = r.json()
    assert 0 < body["count"] <= 5 and len(body["data"]) == body["count"]
    top = body["data"][0]
    assert (
        top["title"]
        and top["reasons"]
        and any("\u4e00" <= ch <= "\u9fff" for ch in top["reasons"][0])
    )
    assert [m["score"] for m in body["data"]] == sorted(
        (m["score"] for m in body["data"]), reverse=True
    )


def test_recommendations_are_audited_with_who_whom_where_and_when(
    client: TestClient, world: World
) -> None:
    pk, hidden = world.person_ids(OWN)[2], world.person_ids(OTHER)[0]
    row, other = world.person(pk), world.person(hidden)
    caller = KeyStore(world.settings.keys_file).authenticate(world.keys["caseworker"])
    assert caller is not None
    before_other = _audit_count(world, other.id_number)
    start = dt.datetime.now(dt.UTC)
    h = world.headers("caseworker")
    r = client.get(f"/persons/{pk}/recommendations", params={"n": 2}, headers=h)
    end = dt.datetime.now(dt.UTC)
    assert r.status_code == 200
    with session_scope(world.db) as s:
        stmt = select(AuditLogRow).where(AuditLogRow.person_id_number == row.id_number)
        last = max(s.scalars(stmt), key=lambda a: a.id)
    assert (last.key_id, last.role, last.action) == (caller.key_id, "caseworker", "recommend")
    assert last.endpoint == f"GET /persons/{pk}/recommendations"  # the path, no query
    at = last.at if last.at.tzinfo else last.at.replace(tzinfo=dt.UTC)  # SQLite: naive UTC
    assert start - dt.timedelta(seconds=1) <= at <= end
    # Another district's person: 404 as for a missing one, and nothing read, nothing audited.
    r = client.get(f"/persons/{hidden}/recommendations", headers=h)
    assert r.status_code == 404
    assert r.json() == client.get("/persons/2147483647/recommendations", headers=h).json()
    assert _audit_count(world, other.id_number) == before_other


def test_recommendations_body_is_the_json_of_the_engine_matches(
    client: TestClient, world: World
) -> None:
    # The route writes its JSON itself: the bytes FastAPI wrote for the MatchesPublic of the
    # engine's matches (same fields, order, numbers and Chinese text), for every n asked.
    loaded = client.app.state.holder.current  # type: ignore[attr-defined]
    h = world.headers("caseworker")
    shown = 0
    for pk in world.person_ids(OWN)[:6]:
        with session_scope(world.db) as s:
            declined = s.scalars(
                select(OutcomeRow.posting_id).where(
                    OutcomeRow.person_id == pk, OutcomeRow.kind == "declined"
                )
            )
            skip = {str(d) for d in declined}
        for n in (1, 4, 10):
            r = client.get(f"/persons/{pk}/recommendations", params={"n": n}, headers=h)
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            matches = loaded.engine.recommend(
                person_from_row(world.person(pk)), n, today=TODAY, exclude_posting_ids=skip
            )
            expected = MatchesPublic(
                data=[match_public(m, loaded.engine) for m in matches],
                count=len(matches),
                message=None if matches else r.json()["message"],
            )
            assert r.content == expected.model_dump_json().encode()
            shown += len(matches)
    assert shown > 0


def test_declined_posting_is_never_recommended_again(client: TestClient, world: World) -> None:
    h = world.headers("caseworker")
    pk = next(
        p
        for p in world.person_ids(OWN)
        if client.get(f"/persons/{p}/recommendations", params={"n": 3}, headers=h).json()["count"]
    )
    url = f"/persons/{pk}/recommendations"
    first = client.get(url, params={"n": 3}, headers=h).json()["data"][0]["posting_id"]
    r = client.post(
        f"/persons/{pk}/outcomes",
        json={"posting_id": int(first), "kind": "declined", "reason": "太远"},
        headers=h,
    )
    assert r.status_code == 201 and r.json()["kind"] == "declined"
    again = client.get(url, params={"n": 50}, headers=h).json()["data"]
    assert first not in [m["posting_id"] for m in again]


def test_every_declined_posting_is_left_out_and_the_rest_ranked_as_the_engine_does(
    client: TestClient, world: World
) -> None:
    """Two declined postings (and a pushed one, which does not count): both left out, the
    list the engine gives with exactly those two excluded."""
    h = world.headers("caseworker")
    loaded = client.app.state.holder.current  # type: ignore[attr-defined]
    pk = next(
        p
        for p in world.person_ids(OWN)[1:]
        if client.get(f"/persons/{p}/recommendations", params={"n": 4}, headers=h).json()["count"]
        >= 4
    )
    url = f"/persons/{pk}/recommendations"
    shown = [m["posting_id"] for m in client.get(url, params={"n": 4}, headers=h).json()["data"]]
    for posting, kind in [(shown[0], "declined"), (shown[2], "declined"), (shown[1], "pushed")]:
        r = client.post(f"/persons/{pk}/outcomes", json={"posting_id": int(posting), "kind": kind},
                        headers=h)  # fmt: skip
        assert r.status_code == 201
    with session_scope(world.db) as s:
        declined = set(s.scalars(select(OutcomeRow.posting_id).where(
            OutcomeRow.person_id == pk, OutcomeRow.kind == "declined")))  # fmt: skip
    assert {str(d) for d in declined} >= {shown[0], shown[2]}
    got = [m["posting_id"] for m in client.get(url, params={"n": 10}, headers=h).json()["data"]]
    want = loaded.engine.recommend(person_from_row(world.person(pk)), 10, today=TODAY,
                                   exclude_posting_ids={str(d) for d in declined})  # fmt: skip
    assert got == [m.posting_id for m in want]
    assert shown[0] not in got and shown[2] not in got and shown[1] in got


def test_non_registered_person_gets_an_empty_list_with_a_message(
    client: TestClient, world: World
) -> None:
    with session_scope(world.db) as s:
        pk = s.scalar(
            select(PersonRow.id).where(PersonRow.status != "registered").order_by(PersonRow.id)
        )
    assert pk is not None
    r = client.get(f"/persons/{pk}/recommendations", headers=world.headers("admin"))
    assert r.status_code == 200
    assert r.json()["data"] == [] and "不再推荐" in r.json()["message"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"posting_id": 1, "kind": "hired"}, 201),
        ({"posting_id": 1, "kind": "eaten"}, 422),
        ({"posting_id": 0, "kind": "pushed"}, 422),
        ({"posting_id": 99999999, "kind": "pushed"}, 404),
        ({"kind": "pushed"}, 422),
    ],
)
def test_outcome_validation(client: TestClient, world: World, body: dict, status: int) -> None:
    pk = world.person_ids(OWN)[0]
    r = client.post(f"/persons/{pk}/outcomes", json=body, headers=world.headers("admin"))
    assert r.status_code == status, r.text
    if status == 422 and "kind" not in body or body.get("kind") == "eaten":
        locs = [tuple(e["loc"]) for e in r.json()["detail"]]
        assert ("body", "kind") in locs


def test_unknown_person_is_404(client: TestClient, world: World) -> None:
    for path in ("/persons/9999999", "/persons/9999999/recommendations"):
        r = client.get(path, headers=world.headers("admin"))
        assert r.status_code == 404 and r.json()["detail"] == "没有此人 / no such person"


def test_masks_follow_the_documented_shape() -> None:
    assert mask_id_number("120103198503121234") == "120103********1234"
    assert mask_phone("13812345678") == "138****5678"
