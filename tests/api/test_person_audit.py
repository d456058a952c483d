"""Every read and write of a person is audited with the caller's true role and district.

The test walks every route that reads or changes a person, as the 河西区 caseworker and as the
city admin, and checks the audit rows the call left for that person: the key, its role (a
status change by the city admin is the city admin's, not a caseworker's) and its district.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from matching.domain.spreadsheet import FORMULA_TRIGGERS
from matching.store.db import session_scope
from matching.store.tables import AuditLogRow, PersonRow
from tests.api.conftest import OWN, TestClient, World, served_world

WHO = {"caseworker": ("caseworker", OWN), "admin": ("city_admin", None)}


@pytest.fixture(scope="module")
def world_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, TestClient]]:
    with served_world(tmp_path_factory.mktemp("audit"), persons=80, postings=60) as wc:
        yield wc


def _rows(w: World, number: str, after: int) -> list[AuditLogRow]:
    with session_scope(w.db) as s:
        stmt = select(AuditLogRow).where(
            AuditLogRow.person_id_number == number, AuditLogRow.id > after
        )
        return list(s.scalars(stmt))


def _last_id(w: World) -> int:
    with session_scope(w.db) as s:
        return int(s.scalar(select(AuditLogRow.id).order_by(AuditLogRow.id.desc())) or 0)


def _calls(pk: int, name: str) -> list[tuple[str, str, dict[str, object] | None, str]]:
    """(method, path, json body, audit action) of every route on one person, in an order
    that leaves a status change to undo."""
    contact = {"contacted_on": "2024-11-02", "method": "电话", "content": "介绍岗位"}
    return [
        ("GET", f"/persons?q={name}", None, "search"),
        ("GET", f"/persons/{pk}", None, "read"),
        ("GET", f"/persons/{pk}/recommendations", None, "recommend"),
        ("POST", f"/persons/{pk}/outcomes", {"posting_id": 1, "kind": "contacted"}, "outcome:contacted"),
        ("GET", f"/web/persons/{pk}/outcomes", None, "outcomes"),
        ("POST", f"/persons/{pk}/contacts", contact, "add_contact"),
        ("GET", f"/persons/{pk}/contacts", None, "contacts"),
        ("POST", f"/persons/{pk}/employment", {"form": "灵活就业", "on": "2024-11-10"}, "register_employment"),
        ("GET", f"/persons/{pk}/status-history", None, "status_history"),
        ("POST", f"/persons/{pk}/status-events/{{event}}/undo", {}, "undo_employment"),
        ("POST", f"/persons/{pk}/deregistration", {"reason": 3, "on": "2024-11-11"}, "deregister"),
    ]  # fmt: skip


@pytest.mark.parametrize("who", ["caseworker", "admin"])
def test_every_person_route_is_audited_with_the_true_role_and_district(
    world_client: tuple[World, TestClient], who: str
) -> None:
    w, client = world_client
    pk = w.person_ids(OWN)[0 if who == "caseworker" else 1]
    person = w.person(pk)
    role, district = WHO[who]
    key_id = client.get("/me", headers=w.headers(who)).json()["key_id"]
    event = None
    for method, path, body, action in _calls(pk, person.name):
        before = _last_id(w)
        url = path.replace("{event}", str(event))
        r = client.request(method, url, json=body, headers=w.headers(who))
        assert r.status_code in (200, 201), (url, r.text)
        if action == "register_employment":
            event = r.json()["event_id"]
        rows = _rows(w, person.id_number, before)
        assert [x.action for x in rows] == [action], (url, [x.action for x in rows])
        (row,) = rows
        assert (row.role, row.district) == (role, district), url
        assert row.key_id == key_id, url


def test_the_contact_log_is_scoped_like_the_person(world_client: tuple[World, TestClient]) -> None:
    w, client = world_client
    pk = w.person_ids(OWN)[2]
    body = {"contacted_on": "2024-11-03", "method": "上门", "content": "送政策", "reached": False}
    assert client.post(f"/persons/{pk}/contacts", json=body,
                       headers=w.headers("caseworker")).status_code == 201  # fmt: skip
    log = client.get(f"/persons/{pk}/contacts", headers=w.headers("caseworker")).json()
    assert [(c["contacted_on"], c["method"], c["content"], c["reached"]) for c in log] == [
        ("2024-11-03", "上门", "送政策", False)
    ]
    before = _last_id(w)
    for who, status in (("caseworker_other", 404), ("organiser", 403)):
        r = client.get(f"/persons/{pk}/contacts", headers=w.headers(who))
        assert r.status_code == status, r.text
    assert _rows(w, w.person(pk).id_number, before) == []  # nothing read, nothing audited


def test_the_invite_list_neutralises_formulas(
    world_client: tuple[World, TestClient], tmp_path: Path
) -> None:
    w, client = world_client
    hostile = ["=cmd|'/c calc'!A0", "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1"]
    with session_scope(w.db) as s:
        for pk, name in zip(w.person_ids(OWN), hostile * 20, strict=False):
            s.execute(update(PersonRow).where(PersonRow.id == pk).values(name=name))
    for who in ("caseworker", "organiser"):
        found = 0
        for pid in range(1, 61):
            r = client.get(f"/web/postings/{pid}/candidates.xlsx", headers=w.headers(who))
            if r.status_code != 200:
                continue
            cells = [c.value for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()
                     for c in row]  # fmt: skip
            for v in cells:
                assert not (
                    isinstance(v, str)
                    and v
                    and (v[0] in FORMULA_TRIGGERS or v.lstrip()[:1] in FORMULA_TRIGGERS)
                ), (who, v)
            found += sum(isinstance(v, str) and v.startswith(("'=", "'+", "'-", "'@", "'\t", "'\r"))
                         for v in cells)  # fmt: skip
        assert found, who  # the hostile names (masked =**** for the organiser) were there, quoted
