"""Requests and responses hold no ambiguous value: a day is never a number (``"on": 0`` is not
1970-01-01), an ID number is never empty, and every moment answered carries its time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import OWN, TestClient, World


def _aware(text: str) -> bool:
    return dt.datetime.fromisoformat(text).utcoffset() is not None


@pytest.mark.parametrize("day", [0, 1, "0", "20241120", 1.5, True])
@pytest.mark.parametrize(
    "path, body",
    [
        ("employment", {"form": "单位就业"}),
        ("deregistration", {"reason": 3}),
        ("contacts", {"method": "电话"}),
    ],
)
def test_a_day_that_is_a_number_is_refused(
    client: TestClient, world: World, path: str, body: dict[str, object], day: object
) -> None:
    pk = world.person_ids(OWN)[0]
    key = "contacted_on" if path == "contacts" else "on"
    r = client.post(
        f"/persons/{pk}/{path}", json=body | {key: day}, headers=world.headers("caseworker")
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == key
    assert world.person(pk).status == "registered"  # nothing written


@pytest.mark.parametrize("query", ["valid_on=0", "valid_on=1700000000"])
def test_a_query_day_that_is_a_number_is_refused(
    client: TestClient, world: World, query: str
) -> None:
    r = client.get(f"/postings?{query}", headers=world.headers("admin"))
    assert r.status_code == 422, r.text


@pytest.mark.parametrize("numbers", [[""], ["   "], ["120103198503121234", ""]])
def test_an_empty_id_number_in_a_batch_is_refused(
    client: TestClient, world: World, numbers: list[str]
) -> None:
    body = {"batch": "2024-11-Z", "issued_on": "2024-11-01", "id_numbers": numbers}
    r = client.post("/campaign/batches", json=body, headers=world.headers("admin"))
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][:2] == ["body", "id_numbers"]


def test_audit_and_outcome_times_carry_their_time_zone(client: TestClient, world: World) -> None:
    pk = world.person_ids(OWN)[0]
    h = world.headers("caseworker")
    out = client.post(f"/persons/{pk}/outcomes", json={"posting_id": 1, "kind": "contacted"},
                      headers=h)  # fmt: skip
    assert out.status_code == 201, out.text
    assert _aware(out.json()["at"])
    listed = client.get(f"/web/persons/{pk}/outcomes", headers=h).json()["data"]
    assert listed and all(_aware(o["at"]) for o in listed)
    audit = client.get("/audit", headers=world.headers("admin")).json()["data"]
    assert audit and all(_aware(a["at"]) for a in audit)
