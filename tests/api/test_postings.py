"""Postings, candidates, ad-hoc recommendations, job fairs, health and version."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import OWN, TODAY, World


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {
        "status": "ok",
        "index_loaded": True,
        "rebuilding": False,
    }


def test_version_reports_index_and_counts(client: TestClient, world: World) -> None:
    body = client.get("/version", headers=world.headers("organiser")).json()
    assert body["index_version"] and body["index_version"].endswith(f"-{body['indexed_postings']}")
    assert body["persons"] == 400 and body["postings"] == 300
    assert 0 < body["indexed_persons"] <= 400


@pytest.mark.parametrize(
    "params, check",
    [
        ({"category": "A"}, lambda p: p["category"] == "A"),
        ({"district": OWN}, lambda p: p["district"] == OWN),
        ({"pay_min": 6000}, lambda p: (p["salary_max_yuan"] or p["salary_min_yuan"]) >= 6000),
        ({"pay_max": 4000}, lambda p: (p["salary_min_yuan"] or p["salary_max_yuan"]) <= 4000),
        (
            {"valid_on": TODAY.isoformat()},
            lambda p: (p["valid_from"] or "0") <= TODAY.isoformat() <= (p["valid_until"] or "9"),
        ),
        ({"keyword": "保洁"}, lambda p: "保洁" in p["title"] + p["description"] + p["employer"]),
    ],
)
def test_posting_filters(client: TestClient, world: World, params: dict, check) -> None:  # type: ignore[no-untyped-def]
    r = client.get(
        "/postings", params={**params, "page_size": 100}, headers=world.headers("organiser")
    )
    assert r.status_code == 200
    body = r.json()
    assert body["count"] > 0 and body["page_size"] == 100
    assert all(check(p) for p in body["data"])
    everything = client.get("/postings", headers=world.headers("organiser")).json()["count"]
    assert body["count"] < everything


@pytest.mark.parametrize(
    "params, field",
    [
        ({"category": "Z"}, "category"),
        ({"pay_min": -1}, "pay_min"),
        ({"page_size": 1000}, "page_size"),
        ({"valid_on": "2024-13-01"}, "valid_on"),
    ],
)
def test_bad_filters_are_422_with_the_field(
    client: TestClient, world: World, params: dict, field: str
) -> None:
    r = client.get("/postings", params=params, headers=world.headers("organiser"))
    assert r.status_code == 422
    assert ["query", field] in [e["loc"] for e in r.json()["detail"]]


def test_one_posting_and_404(client: TestClient, world: World) -> None:
    h = world.headers("organiser")
    assert client.get("/postings/3", headers=h).json()["id"] == "3"
    r = client.get("/postings/999999", headers=h)
    assert r.status_code == 404 and r.json()["detail"] == "没有此岗位 / no such posting"
    assert client.get("/postings/abc", headers=h).status_code == 422


def test_candidates_ranked_with_reasons(client: TestClient, world: World) -> None:
    h = world.headers("admin")
    for pid in range(1, 80):
        r = client.get(f"/postings/{pid}/candidates", params={"n": 10}, headers=h)
        if r.status_code == 200 and r.json()["count"] >= 2:
            break
    body = r.json()
    scores = [c["score"] for c in body["data"]]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 10
    assert all(c["person_id"] and c["reasons"] for c in body["data"])
    assert sum(body["by_district"].values()) == body["count"]


def test_adhoc_walk_in_profile(client: TestClient, world: World) -> None:
    profile = {
        "wanted_categories": ["A"], "skills": "保洁 家务", "positions": ["保洁员"],
        "expected_pay": "4000", "residential_address": "天津市河西区友谊路", "age": 45, "n": 5,
    }  # fmt: skip
    r = client.post("/recommendations", json=profile, headers=world.headers("caseworker"))
    assert r.status_code == 200
    data = r.json()["data"]
    assert 0 < len(data) <= 5 and data[0]["reasons"]
    assert sum(m["category"] == "A" for m in data) >= len(data) // 2
    bad = client.post(
        "/recommendations",
        json={"age": 3, "wanted_categories": ["Q9"]},
        headers=world.headers("caseworker"),
    )
    assert bad.status_code == 422
    assert {("body", "age"), ("body", "wanted_categories", 0)} <= {
        tuple(e["loc"]) for e in bad.json()["detail"]
    }


def test_job_fair_selection_ranks_by_demand(client: TestClient, world: World) -> None:
    theme = {
        "categories": ["A", "B"],
        "districts": [OWN, "南开区"],
        "date": "2024-11-20",
        "limit": 10,
    }
    r = client.post("/job-fairs/selection", json=theme, headers=world.headers("organiser"))
    assert r.status_code == 200
    body = r.json()
    assert body["date"] == "2024-11-20" and 0 < body["count"] <= 10
    counts = [p["fit_count"] for p in body["data"]]
    assert counts == sorted(counts, reverse=True)
    for p in body["data"]:
        assert p["category"] in ("A", "B") and p["district"] in (OWN, "南开区")
        assert set(p["by_district"]) <= {OWN, "南开区"}
        assert sum(p["by_district"].values()) == p["fit_count"]
    bad = client.post(
        "/job-fairs/selection", json={"districts": ["火星区"]}, headers=world.headers("organiser")
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "districts"]


def test_today_setting_drives_validity(client: TestClient, world: World) -> None:
    assert world.settings.current_day() == TODAY != dt.date.today()
