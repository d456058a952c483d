"""Schemathesis against the OpenAPI schema through the ASGI app: no input yields a 5xx, and
every response matches its documented schema and status codes (bounded: a few examples each),
on SQLite and on PostgreSQL (a database of its own, so fuzzed writes never reach the shared
world)."""

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
from sqlalchemy import create_engine, make_url, text

from api.main import create_app
from tests.api.conftest import TestClient, World, make_world

schema = schemathesis.pytest.from_fixture("api_schema")


def _own_postgres_database(url: str) -> str:
    """A fresh database ``<name>_fuzz`` next to the shared world's, so fuzzed writes and the
    shared world's tables never meet."""
    base = make_url(url)
    name = f"{base.database}_fuzz"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def fuzz_app(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    tmp = tmp_path_factory.mktemp("fuzz")
    own = None
    if world.settings.database_url.startswith("sqlite"):
        db_file = Path(world.settings.database_url.removeprefix("sqlite:///"))
        shutil.copy(db_file, tmp / "db.sqlite")  # fuzzed writes stay out of the shared world
        fuzz_settings = world.settings.model_copy(
            update={"database_url": f"sqlite:///{tmp / 'db.sqlite'}", "upload_dir": tmp / "up"}
        )
    else:
        url = _own_postgres_database(world.settings.database_url)
        own = make_world("postgresql", tmp, url=url)
        fuzz_settings = own.settings.model_copy(update={"keys_file": world.settings.keys_file})
    app = create_app(fuzz_settings)
    with TestClient(app):  # runs the lifespan; schemathesis' own client then reuses app.state
        yield app
    if own is not None:
        own.db.dispose()


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
