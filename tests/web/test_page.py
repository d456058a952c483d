"""The web page in a real browser: Debian's chromium (headless, via Playwright) against a real
uvicorn on 127.0.0.1, over the same small world the API tests build (SQLite; ``web_world`` in conftest).

Screenshots go to ``test-artifacts/`` (gitignored) at 1280×800 and 390×844.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Page, expect, sync_playwright
from sqlalchemy import select

from matching.nightly.records import NightlyResult
from matching.store.db import session_scope
from matching.store.tables import OutcomeRow, PersonRow
from tests.api.conftest import OTHER, OWN, World, serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/setup-system)",
)


@pytest.fixture(scope="module")
def base_url(web_world: World) -> Iterator[str]:
    """A real uvicorn serving the app on a free loopback port, in a background thread."""
    with serving(web_world) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(pg: Page, name: str) -> None:
    """Full-page screenshots at desktop and phone width (the viewport is restored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, tag in ((DESKTOP, "1280x800"), (PHONE, "390x844")):
        pg.set_viewport_size(size)
        pg.wait_for_timeout(300)  # the page redraws its chart on resize
        pg.screenshot(path=str(ARTIFACTS / f"{name}-{tag}.png"), full_page=True)
    pg.set_viewport_size(DESKTOP)


def sign_in(pg: Page, key: str) -> None:
    pg.goto("/")
    pg.get_by_label("API 密钥 / API key").fill(key)
    pg.get_by_label("API 密钥 / API key").press("Enter")
    pg.locator("#who").wait_for(state="visible")


def search(pg: Page, q: str) -> None:
    field = pg.get_by_label("姓名、身份证号或电话")
    field.fill(q)
    field.press("Enter")
    pg.locator("#results table, #results .empty").first.wait_for()


def a_person(w: World, district: str) -> PersonRow:
    """A registered person of ``district`` with a phone (the first by id)."""
    with session_scope(w.db) as s:
        stmt = select(PersonRow).where(
            PersonRow.district == district,
            PersonRow.status == "registered",
            PersonRow.phone.is_not(None),
        )
        row = s.scalars(stmt.order_by(PersonRow.id)).first()
        assert row is not None
        return row


def outcomes(w: World, person_id: int) -> list[tuple[int, str, str]]:
    with session_scope(w.db) as s:
        stmt = select(OutcomeRow).where(OutcomeRow.person_id == person_id).order_by(OutcomeRow.id)
        return [(o.posting_id, o.kind, o.reason) for o in s.scalars(stmt)]


def test_caseworker_finds_a_person_sees_reasons_and_records_outcomes(
    page: Page, web_world: World
) -> None:
    pg = page
    person = a_person(web_world, OWN)
    sign_in(pg, web_world.keys["caseworker"])
    assert pg.locator("#who-role").inner_text() == "区县社工"
    assert OWN in pg.locator("#who-district").inner_text()
    assert pg.locator("#admin").is_hidden()

    search(pg, person.id_number)
    rows = pg.locator("#results tbody tr")
    assert rows.count() == 1
    assert person.id_number in rows.inner_text()  # own district: shown in full
    rows.get_by_role("button", name="查看推荐").click()

    recs = pg.locator("#recs li.rec")
    recs.first.wait_for()
    assert recs.count() >= 1
    first = recs.first
    assert first.locator(".reasons li").count() >= 1  # reasons in Chinese
    assert re.search(r"[\u4e00-\u9fff]", first.locator(".reasons").inner_text())
    assert first.locator(".bar span").count() >= 1  # the score bar, one segment per term
    profile = pg.locator("#profile").inner_text()
    assert person.name in profile and person.id_number in profile
    # the pattern the organiser test scans with does find an ID number shown on a page
    assert ID_NUMBER.search(pg.locator("body").inner_text())
    posting_id = int(first.get_attribute("data-posting"))

    first.get_by_role("button", name="已联系").click()
    first.locator(".saved").wait_for()
    assert "已保存" in first.locator(".saved").inner_text()
    pg.locator("#outcomes li[data-outcome=contacted]").wait_for()
    assert (posting_id, "contacted", "") in outcomes(web_world, person.id)

    # declined needs a reason, typed and submitted with Enter
    first.get_by_role("button", name="不接受…").click()
    reason = first.get_by_label("不接受原因")
    reason.fill("距离太远")
    reason.press("Enter")
    pg.locator("#outcomes li[data-outcome=declined]").wait_for()
    assert (posting_id, "declined", "距离太远") in outcomes(web_world, person.id)
    assert "距离太远" in pg.locator("#outcomes").inner_text()
    shot(pg, "caseworker")

    # the call sheet is the print view of the current result list
    pg.emulate_media(media="print")
    assert pg.locator("#callsheet").is_visible()
    assert person.phone in pg.locator("#callsheet").inner_text()
    assert pg.locator("#main").is_hidden()
    pg.emulate_media(media="screen")


def test_caseworker_of_another_district_cannot_find_a_hexi_person(
    page: Page, web_world: World
) -> None:
    pg = page
    person = a_person(web_world, OWN)
    sign_in(pg, web_world.keys["caseworker_other"])
    assert OTHER in pg.locator("#who-district").inner_text()
    for q in (person.id_number, person.phone, person.name):
        search(pg, q)
        text = pg.locator("body").inner_text()
        assert person.id_number not in text and person.phone not in text
        assert OWN not in pg.locator("#results").inner_text()


def test_organiser_sees_themed_postings_and_an_invite_list_without_personal_data(
    page: Page, web_world: World
) -> None:
    from openpyxl import load_workbook

    pg = page
    sign_in(pg, web_world.keys["organiser"])
    assert pg.locator("#who-role").inner_text() == "招聘会组织者"
    assert pg.locator("#persons").is_hidden()
    pg.get_by_label("保洁", exact=False).first.check()
    pg.get_by_label("物流", exact=False).first.check()
    pg.get_by_label("日期").fill("2024-11-15")
    pg.get_by_label("岗位数").press("Enter")
    table = pg.locator("#fair-results tbody tr")
    table.first.wait_for()
    assert "需求人数" in pg.locator("#fair-results thead").inner_text()
    table.first.get_by_role("button", name="邀约名单").click()
    invite = pg.locator("#invite tbody tr")
    invite.first.wait_for()
    names = pg.locator("#invite tbody td[data-label=姓名]").all_inner_texts()
    assert names and all("*" in n for n in names)  # names masked

    with pg.expect_download() as dl:
        pg.get_by_role("button", name="下载 xlsx").click()
    book = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    cells = [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v]
    assert "姓名" in cells and len(cells) > 4

    shot(pg, "organiser")
    with session_scope(web_world.db) as s:
        phones = [p for p in s.scalars(select(PersonRow.phone)) if p]
    for text in (pg.locator("body").inner_text(), pg.content(), " ".join(cells)):
        assert not ID_NUMBER.search(text), "an ID number reached the organiser"
        assert not [p for p in phones if p in text], "a phone number reached the organiser"


def test_city_admin_uploads_and_sees_the_per_row_report_and_progress(
    page: Page, web_world: World
) -> None:
    pg = page
    sign_in(pg, web_world.keys["admin"])
    assert "全市" in pg.locator("#who-district").inner_text()
    pg.locator("#chart svg rect").first.wait_for()
    pg.get_by_label("类型").select_option("persons")
    pg.get_by_label("文件 (.xlsx / .csv)").set_input_files(str(web_world.sample["persons_csv"]))
    pg.get_by_role("button", name="上传").click()
    pg.locator("#upload-report .pill").first.wait_for()
    report = pg.locator("#upload-report").inner_text()
    assert "拒收 2" in report  # the sample's two bad rows, reported per row
    assert pg.locator("#upload-report tbody tr").count() >= 2
    shot(pg, "admin")


def _xlsx_rows(dl: Download) -> list[tuple[object, ...]]:
    """The first sheet of a downloaded workbook (it must open with openpyxl)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(dl.path()).read_bytes()))
    return list(book.active.iter_rows(values_only=True))


def _nightly_files(pg: Page, run: NightlyResult) -> list[str]:
    """Open the file list of ``run`` in the nightly section; the paths it lists."""
    pg.locator(f"#nightly-runs tr[data-run='{run.run_id}']").get_by_role("button").click()
    rows = pg.locator("#nightly-files tbody tr")
    rows.first.wait_for()
    return [str(r.get_attribute("data-path")) for r in rows.all()]


def test_city_admin_downloads_the_monthly_report_and_a_nightly_list(
    page: Page, web_world: World, web_nightly: NightlyResult
) -> None:
    pg = page
    sign_in(pg, web_world.keys["admin"])
    month = pg.locator("#download-list").get_by_label("月份")
    # the server's date (SONGGANG_TODAY 2024-11-15), not the browser's
    expect(month).to_have_value(web_world.settings.current_day().isoformat()[:7])
    month.fill("2024-11")
    with pg.expect_download() as dl:
        pg.locator("#download-list").get_by_role("button", name="下载").click()
    assert dl.value.suggested_filename == "monthly-2024-11.xlsx"
    rows = _xlsx_rows(dl.value)
    assert rows[0][0] == "失业人员就业服务攻坚行动统计表（11月）"
    assert rows[1][:3] == ("所属区", "登记失业人员下发人数", "联系不到人数")

    section = pg.locator("#nightly")
    assert section.is_visible() and "全市" in pg.locator("#nightly-scope").inner_text()
    run_row = pg.locator(f"#nightly-runs tr[data-run='{web_nightly.run_id}']")
    assert "2 个区" in run_row.inner_text()
    paths = _nightly_files(pg, web_nightly)
    assert {"report.md", f"{OWN}/call_sheet.xlsx", f"{OTHER}/wechat.csv"} <= set(paths)
    with pg.expect_download() as dl:
        pg.get_by_role("button", name=f"下载 {OWN} 电话跟进表 xlsx").click()
    assert dl.value.suggested_filename == f"夜间推送-2024-11-15-{OWN}-call_sheet.xlsx"
    rows = _xlsx_rows(dl.value)
    assert str(rows[0][0]).startswith(f"{OWN} 岗位推送电话跟进表 2024-11-15")
    assert rows[1] == ("序号", "姓名", "身份证号", "联系电话", "联系方式", "推荐岗位", "跟进结果")
    assert len(rows) > 2
    shot(pg, "admin-nightly")


def test_caseworker_sees_only_own_nightly_lists_and_the_organiser_none(
    page: Page, web_world: World, web_nightly: NightlyResult
) -> None:
    pg = page
    sign_in(pg, web_world.keys["caseworker"])
    assert pg.locator("#nightly").is_visible() and pg.locator("#admin").is_hidden()
    expect(pg.locator("#nightly-scope")).to_contain_text(OWN)  # filled once /nightly answers
    paths = _nightly_files(pg, web_nightly)
    assert sorted(paths) == [
        f"{OWN}/{n}" for n in ("call_sheet.csv", "call_sheet.xlsx", "sms.csv", "wechat.csv")
    ]
    assert OTHER not in pg.locator("#nightly").inner_text()
    with pg.expect_download() as dl:
        pg.get_by_role("button", name=f"下载 {OWN} 电话跟进表 csv").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("序号,姓名,身份证号,联系电话")
    shot(pg, "caseworker-nightly")

    pg.locator("#signout").click()
    asked: list[str] = []
    pg.on("request", lambda req: asked.append(req.url))
    sign_in(pg, web_world.keys["organiser"])
    pg.locator("#fair").wait_for()
    assert pg.locator("#nightly").is_hidden()
    assert pg.get_by_role("link", name="夜间推送名单").is_hidden()
    assert "夜间推送" not in pg.locator("body").inner_text()
    assert not [u for u in asked if "/nightly" in u]


def test_a_bad_key_shows_a_bilingual_error(page: Page) -> None:
    pg = page
    pg.goto("/")
    key = pg.get_by_label("API 密钥 / API key")
    assert pg.evaluate("document.activeElement.id") == "key"  # focus starts on the key field
    key.fill("sg_wrong")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "登录"
    pg.keyboard.press("Enter")
    error = pg.locator("#status.error")
    error.wait_for()
    assert "密钥" in error.inner_text() and "key" in error.inner_text()
    assert pg.locator("#signin").is_visible()
