"""Schemathesis against the OpenAPI schema through the ASGI app: no input yields a 5xx, and
every response matches its documented schema and status codes (bounded: a few examples each)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from tests.api.conftest import TestClient, World

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def fuzz_app(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not world.settings.database_url.startswith("sqlite"):
        pytest.skip("the schema fuzz runs once, on SQLite")
    tmp = tmp_path_factory.mktemp("fuzz")
    db_file = Path(world.settings.database_url.removeprefix("sqlite:///"))
    shutil.copy(db_file, tmp / "db.sqlite")  # fuzzed writes stay out of the shared world
    fuzz_settings = world.settings.model_copy(
        update={"database_url": f"sqlite:///{tmp / 'db.sqlite'}", "upload_dir": tmp / "up"}
    )
    app = create_app(fuzz_settings)
    with TestClient(app):  # runs the lifespan; schemathesis' own client then reuses app.state
        yield app


@pytest.fixture
def api_schema(fuzz_app: object) -> object:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_5xx_and_responses_match_the_schema(case, world: World) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(
        headers={"X-API-Key": world.keys["admin"]},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
