"""Recommendations reuse the profiles the engine built at load, and only while they still hold.

A stored person's recommendation must equal ``engine.recommend`` of the person as stored *now*:
after an edit, on another day, and with their declined postings left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from api.main import create_app
from api.state import Loaded
from matching.schemas import Match, Person
from matching.store.db import session_scope
from matching.store.persons import person_from_row
from matching.store.tables import PersonRow
from tests.api.conftest import TODAY, World, make_world

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def own_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A world of its own: these tests edit persons."""
    return make_world("sqlite", tmp_path_factory.mktemp("profile-reuse"), persons=150, postings=200)


@pytest.fixture(scope="module")
def app_client(own_world: World) -> Iterator[TestClient]:
    with TestClient(create_app(own_world.settings)) as c:
        yield c
    own_world.db.dispose()


def _loaded(client: TestClient) -> Loaded:
    loaded = client.app.state.holder.current  # type: ignore[attr-defined]
    assert loaded is not None
    return loaded  # type: ignore[no-any-return]


def _stored(w: World, pk: int) -> Person:
    with session_scope(w.db) as s:
        row = s.get(PersonRow, pk)
        assert row is not None
        return person_from_row(row)


def _dump(matches: list[Match]) -> list[dict[str, object]]:
    return [m.model_dump() for m in matches]


def test_fitted_profiles_give_the_engines_answer(app_client: TestClient, own_world: World) -> None:
    loaded = _loaded(app_client)
    engine = loaded.engine
    reused = 0
    for i, pk in enumerate(own_world.person_ids("河西区") + own_world.person_ids("南开区")):
        person = _stored(own_world, pk)
        exclude = engine.posting_ids_[i % 7 : i % 7 + i % 3]  # none, one or two excluded
        got = loaded.recommend(person, 10, today=TODAY, exclude_posting_ids=exclude)
        assert _dump(got) == _dump(
            engine.recommend(person, 10, today=TODAY, exclude_posting_ids=exclude)
        )
        assert not set(exclude) & {m.posting_id for m in got}
        reused += loaded.fitted_profile(person, TODAY) is not None
    assert reused >= 10  # the fitted profiles were used, not only the fallback


def test_another_day_builds_the_profile_again(app_client: TestClient, own_world: World) -> None:
    loaded = _loaded(app_client)
    pk = next(
        p
        for p in own_world.person_ids("河西区")
        if loaded.fitted_profile(_stored(own_world, p), TODAY) is not None
    )
    person = _stored(own_world, pk)
    later = TODAY + dt.timedelta(days=400)  # a year on: the age in the profile differs
    assert loaded.fitted_profile(person, later) is None
    assert _dump(loaded.recommend(person, 10, today=later, exclude_posting_ids=())) == _dump(
        loaded.engine.recommend(person, 10, today=later)
    )


def test_an_edited_person_is_answered_as_stored_now(
    app_client: TestClient, own_world: World
) -> None:
    loaded = _loaded(app_client)
    h = own_world.headers("admin")
    for pk in own_world.person_ids("河西区"):
        before = _stored(own_world, pk)
        if loaded.fitted_profile(before, TODAY) is not None and before.wanted_categories != ("B",):
            break
    url = f"/persons/{pk}/recommendations"
    stale = app_client.get(url, params={"n": 10}, headers=h).json()["data"]
    edit = {"wanted_categories": ["B"], "skills": "C1驾照 会开叉车 仓库管理", "work_history": []}
    with session_scope(own_world.db) as s:
        s.execute(update(PersonRow).where(PersonRow.id == pk).values(**edit))
    try:
        after = _stored(own_world, pk)
        assert loaded.fitted_profile(after, TODAY) is None
        fresh = loaded.engine.recommend(after, 10, today=TODAY)
        got = app_client.get(url, params={"n": 10}, headers=h).json()["data"]
        assert [m["posting_id"] for m in got] == [m.posting_id for m in fresh]
        assert [m["reasons"] for m in got] == [list(m.reasons) for m in fresh]
        assert [m["posting_id"] for m in got] != [m["posting_id"] for m in stale]
    finally:
        old = {"wanted_categories": [c.value for c in before.wanted_categories],
               "skills": before.skills,
               "work_history": [w.model_dump(mode="json") for w in before.work_history]}  # fmt: skip
        with session_scope(own_world.db) as s:
            s.execute(update(PersonRow).where(PersonRow.id == pk).values(**old))
    assert _stored(own_world, pk) == before


def test_a_declined_posting_is_left_out_of_the_reused_profile(
    app_client: TestClient, own_world: World
) -> None:
    loaded = _loaded(app_client)
    h = own_world.headers("admin")
    pk = next(
        p
        for p in own_world.person_ids("南开区")
        if loaded.fitted_profile(_stored(own_world, p), TODAY) is not None
        and app_client.get(f"/persons/{p}/recommendations", params={"n": 3}, headers=h).json()[
            "count"
        ]
    )
    url = f"/persons/{pk}/recommendations"
    first = app_client.get(url, params={"n": 3}, headers=h).json()["data"][0]["posting_id"]
    r = app_client.post(
        f"/persons/{pk}/outcomes", json={"posting_id": int(first), "kind": "declined"}, headers=h
    )
    assert r.status_code == 201
    got = app_client.get(url, params={"n": 10}, headers=h).json()["data"]
    expected = loaded.engine.recommend(
        _stored(own_world, pk), 10, today=TODAY, exclude_posting_ids=[first]
    )
    assert first not in [m["posting_id"] for m in got]
    assert [m["posting_id"] for m in got] == [m.posting_id for m in expected]


def test_the_fitted_profile_is_the_one_a_request_would_build(
    app_client: TestClient, own_world: World
) -> None:
    loaded = _loaded(app_client)
    engine = loaded.engine
    for pk in own_world.person_ids("河西区")[:20]:
        person = _stored(own_world, pk)
        fitted = loaded.fitted_profile(person, TODAY)
        if fitted is not None:
            built = engine.profiles([person], today=TODAY)[0]
            assert dataclasses.asdict(fitted) == dataclasses.asdict(built)
