"""``songgang recommend`` for several persons, a whole district, and as JSON lines."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from matching.cli.main import app
from matching.domain.idcard import mask_id_number
from matching.schemas import Person
from matching.store.db import make_engine, session_scope
from matching.store.persons import iter_persons
from matching.store.tables import AuditLogRow
from tests.conftest import cli_env

runner = CliRunner()
DATE = "2024-10-21"
TERM_KEYS = {"name", "value", "weight", "contribution"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("recommend")
    env = cli_env(root)
    sample = root / "sample"
    for args in (
        ["generate", "--out", str(sample), "--persons", "150", "--postings", "200", "--bad-rows", "0"],
        ["import", "persons", str(sample / "persons.csv")],
        ["import", "postings", str(sample / "postings.csv")],
        ["index", "build"],
    ):  # fmt: skip
        r = runner.invoke(app, args, env=env)
        assert r.exit_code == 0, r.output
    return env


def run(world, *args):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=world)


def registered(world) -> list[Person]:  # type: ignore[no-untyped-def]
    with session_scope(make_engine(world["SONGGANG_DATABASE_URL"])) as session:
        return list(iter_persons(session, status="registered"))


def audits(world) -> Counter[str]:  # type: ignore[no-untyped-def]
    """How often each ID number was read by ``songgang recommend``."""
    with session_scope(make_engine(world["SONGGANG_DATABASE_URL"])) as session:
        stmt = (
            select(AuditLogRow.person_id_number, func.count())
            .where(AuditLogRow.endpoint == "songgang recommend")
            .group_by(AuditLogRow.person_id_number)
        )
        return Counter(dict(session.execute(stmt).all()))


def json_lines(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in output.splitlines()]


def test_several_ids_print_each_person_and_audit_each_read(world) -> None:  # type: ignore[no-untyped-def]
    a, b = (p.id_number for p in registered(world)[:2])
    before = audits(world)
    r = run(world, "recommend", a, b, "-n", "3", "--date", DATE)
    assert r.exit_code == 0, r.output
    assert a not in r.output and b not in r.output  # masked, as for one person
    assert r.output.index(mask_id_number(a)) < r.output.index(mask_id_number(b))
    assert r.output.count("1. ") == 2
    assert audits(world) - before == Counter({a: 1, b: 1})


def test_json_lines_carry_rank_ids_score_terms_and_reasons(world) -> None:  # type: ignore[no-untyped-def]
    a, b = (p.id_number for p in registered(world)[2:4])
    r = run(world, "recommend", a, b, "-n", "4", "--date", DATE, "--json")
    assert r.exit_code == 0, r.output
    rows = json_lines(r.stdout)
    assert rows and a not in r.stdout and b not in r.stdout
    assert {row["id_number"] for row in rows} <= {mask_id_number(a), mask_id_number(b)}
    for row in rows:
        assert set(row) == {"id_number", "rank", "posting_id", "source_id", "score", "terms",
                            "reasons", "flags"}  # fmt: skip
        assert row["source_id"] and isinstance(row["score"], float) and row["reasons"]
        assert row["terms"] and all(set(t) == TERM_KEYS for t in row["terms"])
    for person in (a, b):
        ranks = [row["rank"] for row in rows if row["id_number"] == mask_id_number(person)]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 4
    # The same postings in the same order as the human output.
    human = run(world, "recommend", a, "-n", "4", "--date", DATE)
    ids = [row["posting_id"] for row in rows if row["id_number"] == mask_id_number(a)]
    assert [human.output.index(f"#{pid} ") for pid in ids] == sorted(
        human.output.index(f"#{pid} ") for pid in ids
    )


def test_all_of_a_district(world) -> None:  # type: ignore[no-untyped-def]
    persons = registered(world)
    district = Counter(p.district for p in persons).most_common(1)[0][0]
    mine = {p.id_number for p in persons if p.district == district}
    before = audits(world)
    r = run(world, "recommend", "--all", "--district", district, "-n", "2", "--date", DATE,
            "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    shown = {row["id_number"] for row in json_lines(r.stdout)}
    assert shown and shown <= {mask_id_number(i) for i in mine}
    assert audits(world) - before == Counter(dict.fromkeys(mine, 1))
    human = run(world, "recommend", "--all", "--district", district, "-n", "2", "--date", DATE)
    assert human.exit_code == 0 and all(mask_id_number(i) in human.output for i in mine)


def test_unknown_id_is_refused_before_anything_is_read(world) -> None:  # type: ignore[no-untyped-def]
    from conftest import make_id

    known = registered(world)[0].id_number
    unknown = make_id(seq="999")
    before = audits(world)
    r = run(world, "recommend", known, unknown, "--json")
    assert r.exit_code == 2 and r.stdout == ""
    said = " ".join(r.output.split())
    assert (
        "数据库中没有此人" in said and "no such person" in said and mask_id_number(unknown) in said
    )
    assert audits(world) == before  # nothing read, nothing audited


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ([], "give ID numbers or --all"),
        (["--all"], "--all needs --district"),
        (["--district", "河西区"], "--district goes with --all"),
        (["--all", "--district", "火星区"], "unknown district"),
        (["--all", "--district", "河西区", "120103198503121230"], "not both"),
    ],
)
def test_bad_combinations_say_what_is_wrong(world, args: list[str], said: str) -> None:  # type: ignore[no-untyped-def]
    r = run(world, "recommend", *args)
    assert r.exit_code == 2 and said in " ".join(r.output.split())
