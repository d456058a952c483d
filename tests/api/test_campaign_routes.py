"""Campaign endpoints: batches, contacts, status changes with undo, the monthly report (附件1)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from matching.store.db import session_scope
from matching.store.tables import AuditLogRow
from tests.api.conftest import OTHER, OWN, World, served_world


@pytest.fixture(scope="module")
def cworld(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, TestClient]]:
    with served_world(tmp_path_factory.mktemp("campaign-api"), persons=160, postings=120) as wc:
        yield wc


def _ids(w: World, district: str, n: int) -> list[tuple[int, str]]:
    return [(pk, w.person(pk).id_number) for pk in w.person_ids(district)[:n]]


def test_campaign_flow_and_monthly_report(cworld) -> None:  # type: ignore[no-untyped-def]
    w, c = cworld
    admin, cw = w.headers("admin"), w.headers("caseworker")
    own = _ids(w, OWN, 3)
    other = _ids(w, OTHER, 1)
    body = {
        "batch": "2024-11-A",
        "issued_on": "2024-11-01",
        "id_numbers": [n for _, n in own + other] + ["120103198001010000"],
    }
    r = c.post("/campaign/batches", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["handed"] == 4 and r.json()["per_district"] == {OWN: 3, OTHER: 1}
    assert r.json()["unknown"] == ["120103198001010000"]
    again = c.post("/campaign/batches", json=body | {"batch": "2024-11-B"}, headers=admin)
    assert again.json()["handed"] == 0 and len(again.json()["already_handed"]) == 4
    assert c.post("/campaign/batches", json=body, headers=cw).status_code == 403

    (p1, _), (p2, _), (p3, _) = own
    contact = {"contacted_on": "2024-11-05", "method": "电话", "content": "推荐保洁岗位"}
    assert c.post(f"/persons/{p1}/contacts", json=contact, headers=cw).status_code == 201
    late = contact | {"contacted_on": "2024-11-25"}  # after the 20th: counts next month
    assert c.post(f"/persons/{p2}/contacts", json=late, headers=cw).status_code == 201
    missed = contact | {"reached": False}
    assert c.post(f"/persons/{p3}/contacts", json=missed, headers=cw).status_code == 201
    # another district's person does not exist for this caseworker
    assert c.post(f"/persons/{other[0][0]}/contacts", json=contact, headers=cw).status_code == 404
    bad = c.post(f"/persons/{p1}/contacts", json=contact | {"method": "飞鸽"}, headers=cw)
    assert bad.status_code == 422

    r = c.post(
        f"/persons/{p1}/employment",
        json={"form": "单位就业", "on": "2024-11-10", "employer": "某物业"},
        headers=cw,
    )
    assert r.status_code == 201 and r.json()["status"] == "employed"
    event = r.json()["event_id"]

    report = c.get("/reports/monthly", params={"month": "2024-11"}, headers=admin).json()
    rows = {row["district"]: row for row in report["rows"]}
    assert report["title"] == "失业人员就业服务攻坚行动统计表（11月）"
    assert [
        rows[OWN][k] for k in ("handed", "unreachable", "served", "employed", "not_employed")
    ] == [3, 2, 1, 1, 0]
    assert rows[OTHER]["handed"] == 1 and report["total"]["handed"] == 4
    december = c.get("/reports/monthly", params={"month": "2024-12"}, headers=admin).json()
    assert {r["district"]: r for r in december["rows"]}[OWN]["served"] == 2  # p2's late contact

    # employed persons get no recommendations, until the mistake is undone
    recs = c.get(f"/persons/{p1}/recommendations", headers=cw).json()
    assert recs["data"] == []
    r = c.post(f"/persons/{p1}/status-events/{event}/undo", json={"note": "登记错误"}, headers=cw)
    assert r.status_code == 200 and r.json()["status"] == "registered"
    assert c.get(f"/persons/{p1}/recommendations", headers=cw).json()["data"]
    history = c.get(f"/persons/{p1}/status-history", headers=cw).json()
    assert [h["undone"] for h in history] == [True]
    with session_scope(w.db) as s:
        actions = list(s.scalars(select(AuditLogRow.action)))
    assert any("undo" in a for a in actions)
    assert (
        c.post(f"/persons/{p2}/status-events/{event}/undo", json={}, headers=cw).status_code == 404
    )

    after = c.get("/reports/monthly", params={"month": "2024-11"}, headers=admin).json()
    assert {r["district"]: r for r in after["rows"]}[OWN]["employed"] == 0


def test_deregistration_and_report_access(cworld) -> None:  # type: ignore[no-untyped-def]
    w, c = cworld
    admin, cw = w.headers("admin"), w.headers("caseworker")
    pk = w.person_ids(OWN)[5]
    r = c.post(f"/persons/{pk}/deregistration", json={"reason": 13, "on": "2024-11-02"}, headers=cw)
    assert r.status_code == 422
    r = c.post(f"/persons/{pk}/deregistration", json={"reason": 6, "on": "2024-11-02"}, headers=cw)
    assert r.status_code == 201 and r.json()["status"] == "deregistered"
    assert c.get(f"/persons/{pk}/recommendations", headers=cw).json()["data"] == []

    assert c.get("/reports/monthly", params={"month": "2024-11"}, headers=cw).status_code == 403
    assert c.get("/reports/monthly", params={"month": "2024-13"}, headers=admin).status_code == 422
    x = c.get("/reports/monthly.xlsx", params={"month": "2024-11"}, headers=admin)
    assert x.status_code == 200 and x.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(x.content)).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "失业人员就业服务攻坚行动统计表（11月）" in cells and "蓟州区" in cells
    assert c.post(
        f"/persons/{pk}/contacts",
        json={"contacted_on": "2024-11-05", "method": "电话"},
        headers=w.headers("organiser"),
    ).status_code in (403, 404)
