"""The page's own routes through TestClient: the page and its files, /me, form options, a
person's outcomes (district scoping), the invite list as xlsx (masking by role), progress."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from api.main import create_app
from matching.nightly.records import NightlyResult
from tests.api.conftest import OTHER, OWN, TestClient, World

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@pytest.fixture(scope="module")
def client(web_world: World) -> Iterator[TestClient]:
    with TestClient(create_app(web_world.settings)) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "status", "type_"),
    [
        ("/", 200, "text/html"),
        ("/static/app.js", 200, "text/javascript"),
        ("/static/app.css", 200, "text/css"),
        ("/static/index.html", 404, "application/json"),
        ("/static/..%2Fmain.py", 404, "application/json"),
        ("/static/web.py", 404, "application/json"),
    ],
)
def test_page_and_static_files_need_no_key(
    client: TestClient, path: str, status: int, type_: str
) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith(type_)


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/static/app.js", "/static/app.css"):
        body = client.get(path).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", body), path
        assert "@import" not in body and "@font-face" not in body and 'fetch("http' not in body


@pytest.mark.parametrize(
    ("who", "role", "district"),
    [
        ("admin", "city_admin", None),
        ("caseworker", "caseworker", OWN),
        ("caseworker_other", "caseworker", OTHER),
        ("organiser", "organiser", None),
    ],
)
def test_me_tells_role_and_district(
    client: TestClient, web_world: World, who: str, role: str, district: str | None
) -> None:
    body = client.get("/me", headers=web_world.headers(who)).json()
    assert (body["role"], body["district"]) == (role, district)


@pytest.mark.parametrize("path", ["/me", "/web/options", "/web/progress"])
def test_no_key_is_401(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"X-API-Key": "sg_nope"}).status_code == 401


def test_options_offer_categories_a_to_r_and_16_districts(
    client: TestClient, web_world: World
) -> None:
    body = client.get("/web/options", headers=web_world.headers("organiser")).json()
    assert list(body["categories"]) == [chr(c) for c in range(ord("A"), ord("R") + 1)]
    assert len(body["districts"]) == 16 and OWN in body["districts"]
    assert "declined" in body["outcome_kinds"]


def test_outcomes_are_read_back_and_scoped_by_district(
    client: TestClient, web_world: World
) -> None:
    pk = web_world.person_ids(OWN)[1]
    recs = client.get(f"/persons/{pk}/recommendations?n=1", headers=web_world.headers("admin"))
    posting_id = int(recs.json()["data"][0]["posting_id"])
    body = {"posting_id": posting_id, "kind": "interviewed"}
    r = client.post(f"/persons/{pk}/outcomes", json=body, headers=web_world.headers("caseworker"))
    assert r.status_code == 201
    path = f"/web/persons/{pk}/outcomes"
    got = client.get(path, headers=web_world.headers("caseworker")).json()
    assert [(o["posting_id"], o["kind"]) for o in got["data"]][-1] == (posting_id, "interviewed")
    assert client.get(path, headers=web_world.headers("caseworker_other")).status_code == 404
    assert client.get(path, headers=web_world.headers("organiser")).status_code == 403
    progress = client.get("/web/progress", headers=web_world.headers("admin")).json()
    assert progress["by_kind"]["interviewed"] >= 1 and progress["persons"] >= 1
    assert client.get("/web/progress", headers=web_world.headers("organiser")).status_code == 403


def _xlsx_rows(client: TestClient, web_world: World, who: str, posting_id: str) -> list[tuple]:
    r = client.get(
        f"/web/postings/{posting_id}/candidates.xlsx?n=20", headers=web_world.headers(who)
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))


def test_invite_xlsx_is_the_candidates_list_masked_by_role(
    client: TestClient, web_world: World
) -> None:
    sel = client.post(
        "/job-fairs/selection", json={"limit": 1}, headers=web_world.headers("organiser")
    )
    pid = sel.json()["data"][0]["posting_id"]
    shown = client.get(
        f"/postings/{pid}/candidates?n=20", headers=web_world.headers("organiser")
    ).json()
    rows = _xlsx_rows(client, web_world, "organiser", pid)
    assert rows[0] == ("序号", "姓名", "所属区", "匹配度")
    assert [r[1] for r in rows[1:]] == [c["name"] for c in shown["data"]]
    text = " ".join(str(v) for row in rows for v in row)
    assert not ID_NUMBER.search(text) and all("*" in r[1] for r in rows[1:])
    admin_rows = _xlsx_rows(client, web_world, "admin", pid)
    assert admin_rows[0][2] == "身份证号" and ID_NUMBER.search(str(admin_rows[1][2]))
    assert client.get(f"/web/postings/{pid}/candidates.xlsx").status_code == 401
    missing = client.get("/web/postings/999999/candidates.xlsx", headers=web_world.headers("admin"))
    assert missing.status_code == 404


def test_progress_counts_the_latest_nightly_runs_pushes_and_gives_the_server_date(
    client: TestClient, web_world: World, web_nightly: NightlyResult
) -> None:
    from sqlalchemy import func, select

    from matching.store.db import session_scope
    from matching.store.nightly_tables import PushRow

    with session_scope(web_world.db) as s:
        pushed = s.scalar(select(func.count()).where(PushRow.run_id == web_nightly.run_id))
    assert pushed and pushed > 0
    progress = client.get("/web/progress", headers=web_world.headers("admin")).json()
    assert progress["by_kind"]["pushed"] == pushed
    assert progress["latest_run_date"] == progress["today"] == "2024-11-15"
