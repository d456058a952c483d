"""/docs (Swagger UI) and /redoc in chromium with the network cut: every request that leaves
127.0.0.1 is aborted and recorded, and both pages still render the API from files installed
with the package (an intranet without internet). ReDoc's only outside request is the
decorative "API docs by Redocly" logo image in its sidebar (no option of ReDoc hides it); no
script, style sheet, font or data ever leaves."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.web.test_page import CHROMIUM, TIMEOUT_MS, base_url, browser  # noqa: F401

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/setup-system)",
)


@pytest.fixture
def offline(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:  # noqa: F811
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    left: list[str] = []

    def cut(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            left.append(f"{route.request.resource_type} {route.request.url}")
            route.abort("internetdisconnected")

    context.route("**/*", cut)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg, left
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_swagger_ui_renders_offline(offline: tuple[Page, list[str]]) -> None:
    pg, left = offline
    pg.goto("/docs")
    pg.locator(".swagger-ui .info .title").filter(has_text="送岗 songgang").wait_for()
    pg.locator(
        ".opblock-summary-path", has_text="/persons/{person_id}/recommendations"
    ).first.wait_for()
    assert pg.locator(".opblock").count() >= 20
    assert left == [], f"/docs tried to reach the internet: {left}"


def test_redoc_renders_offline(offline: tuple[Page, list[str]]) -> None:
    pg, left = offline
    pg.goto("/redoc")
    pg.locator("h1", has_text="送岗 songgang").wait_for()
    pg.get_by_text("/persons/{person_id}/recommendations").first.wait_for(state="attached")
    assert left in ([], ["image https://cdn.redoc.ly/redoc/logo-mini.svg"]), left
