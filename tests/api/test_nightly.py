"""Nightly lists over HTTP (api/routes/nightly.py): who sees which runs and files, downloads
byte for byte with an audit row per person, 404s for another district, traversal, cleaned or
overwritten files. Runs on SQLite and, with SONGGANG_TEST_POSTGRES_URL, PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from api.routes.nightly import NOT_FOUND_RUN
from matching.nightly.outputs import NO_SUCH_FILE
from matching.nightly.records import NightlyResult
from matching.store.db import session_scope
from matching.store.nightly_tables import NightlyRunRow
from matching.store.tables import AuditLogRow, PersonRow
from tests.api.conftest import OTHER, OWN, TODAY, TestClient, World, nightly_lists

DISTRICT_FILES = ("call_sheet.csv", "call_sheet.xlsx", "sms.csv", "wechat.csv")


@pytest.fixture(scope="module")
def run(world: World, tmp_path_factory: pytest.TempPathFactory) -> NightlyResult:
    return nightly_lists(world, tmp_path_factory.mktemp("nightly-api") / "out")


def _get(client: TestClient, world: World, who: str, path: str):  # type: ignore[no-untyped-def]
    return client.get(path, headers=world.headers(who))


def _our_run(client: TestClient, world: World, who: str, run: NightlyResult) -> dict:  # type: ignore[type-arg]
    body = _get(client, world, who, "/nightly/runs").json()
    assert body["count"] == len(body["data"])
    return next(r for r in body["data"] if r["id"] == run.run_id)


def _audit_count(world: World, action: str) -> int:
    with session_scope(world.db) as s:
        stmt = select(func.count()).select_from(AuditLogRow).where(AuditLogRow.action == action)
        return int(s.scalar(stmt) or 0)


def test_the_city_admin_sees_every_district_and_the_whole_count(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    r = _our_run(client, world, "admin", run)
    capped = run.counts["capped"]
    assert (r["run_date"], r["status"], r["scope"]) == (TODAY.isoformat(), "succeeded", "全市")
    assert r["districts"] == sorted([OWN, OTHER])
    assert r["counts"] == {
        "persons": capped["persons"],
        "covered": capped["covered"],
        "pushes": capped["pushes"],
        "call": sum(d["call"] for d in capped["districts"].values()),
    }
    files = _get(client, world, "admin", f"/nightly/runs/{run.run_id}/files").json()
    paths = [f["path"] for f in files["data"]]
    assert sorted(paths) == sorted(
        ["report.md", "report.png", "candidates.npz"]  # the run's own files, then the lists
        + [f"{d}/{n}" for d in (OWN, OTHER) for n in DISTRICT_FILES]
    )
    assert {f["state"] for f in files["data"]} == {"ok"}


def test_a_caseworker_sees_only_their_district(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    r = _our_run(client, world, "caseworker", run)
    own = run.counts["capped"]["districts"][OWN]
    assert (r["scope"], r["districts"]) == (OWN, [OWN])
    assert r["counts"] == {k: own[k] for k in ("persons", "covered", "pushes", "call")}
    files = _get(client, world, "caseworker", f"/nightly/runs/{run.run_id}/files").json()
    assert sorted(f["path"] for f in files["data"]) == [f"{OWN}/{n}" for n in DISTRICT_FILES]
    for name in DISTRICT_FILES:
        got = _get(client, world, "caseworker", f"/nightly/runs/{run.run_id}/files/{OTHER}/{name}")
        assert (got.status_code, got.json()["detail"]) == (404, NO_SUCH_FILE)
    for name in ("report.md", "candidates.npz"):  # the run's own files are no district's
        got = _get(client, world, "caseworker", f"/nightly/runs/{run.run_id}/files/{name}")
        assert got.status_code == 404


def test_the_organiser_and_unknown_keys_get_nothing(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    paths = [
        "/nightly/runs",
        f"/nightly/runs/{run.run_id}/files",
        f"/nightly/runs/{run.run_id}/files/{OWN}/call_sheet.xlsx",
    ]
    for path in paths:
        assert _get(client, world, "organiser", path).status_code == 403
        assert client.get(path).status_code == 401


def test_downloading_a_call_sheet_returns_the_file_and_audits_each_person(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    path = f"{OWN}/call_sheet.xlsx"
    before = _audit_count(world, "nightly:call_sheet.xlsx")
    got = _get(client, world, "caseworker", f"/nightly/runs/{run.run_id}/files/{path}")
    assert got.status_code == 200, got.text
    assert got.content == (run.out_dir / path).read_bytes()
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert got.headers["cache-control"] == "no-store"
    assert "filename*=utf-8''nightly-2024-11-15-%E6%B2%B3" in got.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "姓名", "身份证号", "联系电话")
    phones = {row[3] for row in rows[2:]}

    key_id = _get(client, world, "caseworker", "/me").json()["key_id"]
    with session_scope(world.db) as s:
        audited = s.execute(
            select(AuditLogRow.person_id_number, AuditLogRow.endpoint).where(
                AuditLogRow.action == "nightly:call_sheet.xlsx", AuditLogRow.key_id == key_id
            )
        ).all()
        audited_phones = {
            p
            for (p,) in s.execute(
                select(PersonRow.phone).where(PersonRow.id_number.in_([n for n, _ in audited]))
            )
        }
    assert _audit_count(world, "nightly:call_sheet.xlsx") - before == len(rows) - 2
    assert audited_phones == phones  # exactly the persons whose rows were downloaded
    assert all(e.startswith(f"GET /nightly/runs/{run.run_id}/files/") for _, e in audited)


def test_sms_list_audits_only_the_messaged_persons(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    before = _audit_count(world, "nightly:sms.csv")
    got = _get(client, world, "admin", f"/nightly/runs/{run.run_id}/files/{OTHER}/sms.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    phones = {row[0] for row in list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))[1:]}
    assert _audit_count(world, "nightly:sms.csv") - before == len(phones)
    report = _get(client, world, "admin", f"/nightly/runs/{run.run_id}/files/report.md")
    assert report.status_code == 200 and "Nightly push run" in report.text


@pytest.mark.parametrize(
    "tail",
    [
        "..%2F..%2Fkeys.json",
        "%2E%2E/%2E%2E/keys.json",
        f"{OWN}%2F..%2F{OTHER}%2Fcall_sheet.csv",
        "%2Fetc%2Fpasswd",
        f"{OWN}%5Ccall_sheet.csv",
    ],
)
def test_path_traversal_is_not_found(
    client: TestClient, world: World, run: NightlyResult, tail: str
) -> None:
    for who in ("admin", "caseworker"):
        got = _get(client, world, who, f"/nightly/runs/{run.run_id}/files/{tail}")
        assert got.status_code == 404, (who, tail)
        assert "secret" not in got.text and "hash" not in got.text


def test_unknown_runs_are_not_found(client: TestClient, world: World) -> None:
    for path in ("/nightly/runs/999999/files", "/nightly/runs/999999/files/report.md"):
        got = _get(client, world, "admin", path)
        assert (got.status_code, got.json()["detail"]) == (404, NOT_FOUND_RUN)
    assert _get(client, world, "admin", "/nightly/runs/0/files").status_code == 422


@contextmanager
def _moved(path: Path) -> Iterator[None]:
    aside = path.with_name(path.name + ".aside")
    path.rename(aside)
    try:
        yield
    finally:
        aside.rename(path)


def test_a_cleaned_or_overwritten_file_is_a_clear_not_found(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    url = f"/nightly/runs/{run.run_id}/files/{OWN}/call_sheet.csv"
    listing = f"/nightly/runs/{run.run_id}/files"
    sheet = run.out_dir / OWN / "call_sheet.csv"
    before = _audit_count(world, "nightly:call_sheet.csv")
    with _moved(sheet):
        got = _get(client, world, "caseworker", url)
        assert got.status_code == 404
        assert "已不在服务器上" in got.json()["detail"] and "cleaned" in got.json()["detail"]
        states = {
            f["path"]: f["state"] for f in _get(client, world, "admin", listing).json()["data"]
        }
        assert states[f"{OWN}/call_sheet.csv"] == "missing"
        assert states[f"{OTHER}/call_sheet.csv"] == "ok"
    original = sheet.read_bytes()
    try:
        sheet.write_bytes(original + "99,另一晚的人\r\n".encode())
        got = _get(client, world, "caseworker", url)
        assert got.status_code == 404 and "overwritten by a later run" in got.json()["detail"]
    finally:
        sheet.write_bytes(original)
    assert _audit_count(world, "nightly:call_sheet.csv") == before  # nothing served, no audit
    assert _get(client, world, "caseworker", url).status_code == 200


def test_runs_without_recorded_files_are_listed_without_files(
    client: TestClient, world: World
) -> None:
    """A run still running, or recorded before the service knew its folder (revision 0005)."""
    with session_scope(world.db) as s:
        row = NightlyRunRow(
            run_key="old-run", run_date=TODAY, index_version="v0", status="running",
            settings={}, counts={},
        )  # fmt: skip
        s.add(row)
        s.flush()
        run_id = row.id
    try:
        listed = _our_run(client, world, "admin", NightlyResult(run_id, Path(), {}))
        assert (listed["status"], listed["counts"], listed["districts"]) == ("running", None, [])
        files = _get(client, world, "admin", f"/nightly/runs/{run_id}/files").json()
        assert files["count"] == 0
        got = _get(client, world, "admin", f"/nightly/runs/{run_id}/files/report.md")
        assert (got.status_code, got.json()["detail"]) == (404, NO_SUCH_FILE)
    finally:
        with session_scope(world.db) as s:
            s.execute(delete(NightlyRunRow).where(NightlyRunRow.id == run_id))


def test_run_times_carry_their_time_zone(
    client: TestClient, world: World, run: NightlyResult
) -> None:
    r = _our_run(client, world, "admin", run)
    for key in ("started_at", "finished_at"):
        assert dt.datetime.fromisoformat(r[key]).utcoffset() == dt.timedelta(0), r[key]
