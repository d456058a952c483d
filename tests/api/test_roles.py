"""Roles: a 河西区 caseworker cannot read a 南开区 person by any endpoint; an organiser never
sees an ID number, a phone or a full name."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import FastAPI, Security
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.security import KEY_SCHEMES
from matching.store.db import session_scope
from matching.store.keys import create_key_with_id, revoke_key
from matching.store.tables import PersonRow, PostingRow
from tests.api.conftest import OTHER, OWN, World, scan_text


@pytest.fixture(scope="module")
def other_pk(world: World) -> int:
    return world.person_ids(OTHER)[0]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/persons/{pk}"),
        ("GET", "/persons/{pk}/recommendations"),
        ("POST", "/persons/{pk}/outcomes"),
    ],
)
def test_other_district_person_is_404_like_a_missing_one(
    client: TestClient, world: World, other_pk: int, method: str, path: str
) -> None:
    h = world.headers("caseworker")
    body = {"posting_id": 1, "kind": "pushed"}
    theirs = client.request(method, path.format(pk=other_pk), headers=h, json=body)
    missing = client.request(method, path.format(pk=9_999_999), headers=h, json=body)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    # the 南开区 caseworker reads the same person fine
    own = client.request(
        method, path.format(pk=other_pk), headers=world.headers("caseworker_other"), json=body
    )
    assert own.status_code in (200, 201)


def test_search_never_returns_other_districts(
    client: TestClient, world: World, other_pk: int
) -> None:
    row = world.person(other_pk)
    h = world.headers("caseworker")
    for q in (row.name, row.id_number, row.phone or "", ""):
        body = client.get(
            "/persons", params={"q": q, "district": OTHER, "page_size": 100}, headers=h
        ).json()
        assert all(p["district"] == OWN for p in body["data"])
        assert row.id_number not in str(body)


def test_candidates_for_a_caseworker_hold_only_their_district(
    client: TestClient, world: World
) -> None:
    h = world.headers("caseworker")
    other_numbers = {world.person(pk).id_number for pk in world.person_ids(OTHER)}
    seen = 0
    for posting_id in range(1, 60):
        r = client.get(f"/postings/{posting_id}/candidates", params={"n": 50}, headers=h)
        if r.status_code != 200:
            continue
        data = r.json()["data"]
        seen += len(data)
        assert all(c["district"] == OWN for c in data)
        assert not other_numbers & {c["id_number"] for c in data}
    assert seen > 0


def test_organiser_sees_no_personal_data(client: TestClient, world: World) -> None:
    h = world.headers("organiser")
    with session_scope(world.db) as s:
        rows = list(s.scalars(select(PersonRow)))
        posting_ids = list(s.scalars(select(PostingRow.id).order_by(PostingRow.id).limit(40)))
    pk = rows[0].id
    for path in (f"/persons/{pk}", f"/persons/{pk}/recommendations", "/persons", "/audit"):
        assert client.get(path, headers=h).status_code == 403
    masked_names = 0
    for posting_id in posting_ids:
        r = client.get(f"/postings/{posting_id}/candidates", params={"n": 100}, headers=h)
        if r.status_code != 200:
            continue
        assert scan_text(r.text, rows) == []
        for c in r.json()["data"]:
            assert c["person_id"] is None and c["id_number"] is None and c["phone"] is None
            assert c["name"].endswith("*")
            masked_names += 1
    assert masked_names > 0
    for path in ("/postings", "/version", "/health"):
        r = client.get(path, headers=h)
        assert r.status_code == 200
        assert [leak for leak in scan_text(r.text, rows) if len(leak) >= 11] == []
    r = client.post("/job-fairs/selection", json={"limit": 20}, headers=h)
    assert r.status_code == 200 and [x for x in scan_text(r.text, rows) if len(x) >= 11] == []


@pytest.mark.parametrize("who", ["caseworker", "organiser"])
def test_only_the_admin_imports_and_reads_the_audit_log(
    client: TestClient, world: World, who: str
) -> None:
    h = world.headers(who)
    assert client.get("/audit", headers=h).status_code == 403
    files = {"file": ("p.csv", b"a,b\n1,2\n", "text/csv")}
    assert client.post("/imports/postings", files=files, headers=h).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "sg_wrong"},
        {"Authorization": "Bearer sg_wrong"},
        {"Authorization": "Basic eA=="},
    ],
)
def test_no_or_unknown_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("/persons", "/postings", "/version", "/audit"):
        r = client.get(path, headers=headers)
        assert r.status_code == 401, path


def test_bearer_token_works_like_the_header(client: TestClient, world: World) -> None:
    r = client.get("/postings", headers={"Authorization": f"Bearer {world.keys['organiser']}"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "sg_wrong"}, {"Authorization": "Bearer sg_wrong"},
     {"Authorization": "Basic eA=="}],
)  # fmt: skip
def test_recommendations_answer_a_bad_key_as_every_route_does(
    client: TestClient, world: World, headers: dict[str, str]
) -> None:
    """Every route checks the key in one dependency: the recommendation route answers a bad
    key as the others do (the same 401 body and header), with the same schemes in its
    OpenAPI operation."""
    pk = world.person_ids(OWN)[0]
    r = client.get(f"/persons/{pk}/recommendations", headers=headers)
    same = client.get(f"/persons/{pk}", headers=headers)
    assert r.status_code == 401 == same.status_code
    assert r.json() == same.json() and r.headers["www-authenticate"] == "Bearer"
    paths = client.get("/openapi.json").json()["paths"]
    security = paths["/persons/{person_id}"]["get"]["security"]
    assert paths["/persons/{person_id}/recommendations"]["get"]["security"] == security
    assert security == [{"APIKeyHeader": []}, {"HTTPBearer": []}]


def test_recommendations_take_a_bearer_key_and_stop_a_revoked_one_at_once(
    client: TestClient, world: World
) -> None:
    path = world.settings.keys_file
    key_id, key = create_key_with_id(path, "caseworker", OWN, label="窗口10")
    url = f"/persons/{world.person_ids(OWN)[0]}/recommendations"
    assert client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert client.get(url, headers={"X-API-Key": key}).status_code == 200
    revoke_key(path, key_id)
    assert client.get(url, headers={"X-API-Key": key}).status_code == 401
    assert client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code == 401


_reference = FastAPI()  # the key schemes as FastAPI documents them when taken as dependencies


@_reference.get("/items/{item_id}")
def _item(
    item_id: int,
    key: Annotated[str | None, Security(KEY_SCHEMES[0])] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(KEY_SCHEMES[1])] = None,
) -> None:
    """An item."""


def test_the_openapi_declares_the_key_schemes_as_fastapi_would(client: TestClient) -> None:
    """The key schemes, declared once for the OpenAPI, come out as FastAPI writes them for a
    route that takes them as ``Security`` dependencies; every operation but the public ones
    carries them."""
    native = _reference.openapi()
    ours = client.get("/openapi.json").json()
    assert ours["components"]["securitySchemes"] == native["components"]["securitySchemes"]
    expected = native["paths"]["/items/{item_id}"]["get"]["security"]
    assert expected == [{"APIKeyHeader": []}, {"HTTPBearer": []}]
    public = {("/health", "get"), ("/ready", "get"), ("/metrics", "get")}
    for path, operations in ours["paths"].items():
        for method, operation in operations.items():
            if (path, method) in public:
                assert "security" not in operation, path
            else:
                assert operation["security"] == expected, (path, method)
