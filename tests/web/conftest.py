"""The web tests' world: the API tests' small world (:func:`tests.api.conftest.make_world`), on
SQLite only (the page adds no storage code of its own), shared by the browser and route tests;
and one nightly run over two of its districts, for the page's download section."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from matching.nightly.records import NightlyResult
from tests.api.conftest import World, make_world, nightly_lists


@pytest.fixture(scope="session")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = make_world("sqlite", tmp_path_factory.mktemp("web-world"))
    yield w
    w.db.dispose()


@pytest.fixture(scope="session")
def web_nightly(web_world: World, tmp_path_factory: pytest.TempPathFactory) -> NightlyResult:
    return nightly_lists(web_world, tmp_path_factory.mktemp("web-nightly") / "out")
