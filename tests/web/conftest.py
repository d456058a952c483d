"""The web tests' world: the API tests' small world (:func:`tests.api.conftest.make_world`), on
SQLite only (the page adds no storage code of its own), shared by the browser and route tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import World, make_world


@pytest.fixture(scope="session")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = make_world("sqlite", tmp_path_factory.mktemp("web-world"))
    yield w
    w.db.dispose()
