"""``songgang recommend`` (explained top-N for registered persons: by ID numbers or a whole
district, as text or JSON lines) and ``songgang demo`` (three sample persons)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import DEFAULT_DB, DateOpt, DbUrl, IndexDir, err, fail, open_db, out

__all__ = ["demo", "recommend"]


def _print_matches(engine, matches) -> None:  # type: ignore[no-untyped-def]
    from matching.understand.salary import format_salary

    for i, m in enumerate(matches, 1):
        p = engine.posting(m.posting_id)
        pay = format_salary(p.salary) if p.salary else (p.salary_text or "薪资未注明")
        out.print(
            f"[bold]{i}. {p.title}[/]  [dim]#{m.posting_id}[/]  {p.employer} · {p.district or ''}"
            f" · {pay} · 得分 {m.score:.3f}"
        )
        for reason in m.reasons:
            out.print(f"     · {reason}")
        for flag in m.flags:
            out.print(f"     [yellow]⚠ {flag}[/]")


def _print_person(person) -> None:  # type: ignore[no-untyped-def]
    from matching.domain.categories import display
    from matching.domain.idcard import mask_id_number

    cats = "、".join(display(c) for c in person.wanted_categories) or "未勾选"
    out.print(
        f"[bold]{person.name}[/] {mask_id_number(person.id_number)} · {person.gender} · "
        f"{person.district} · 意向：{cats} · 期望：{person.expected_pay_text or '未填'} · "
        f"地点要求：{person.location_requirement or '不限'}"
    )


def recommend(
    id_numbers: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID", help="One or more 18-character ID numbers.", show_default=False
        ),
    ] = None,
    all_persons: Annotated[
        bool, typer.Option("--all", help="Every registered person of --district.")
    ] = False,
    district: Annotated[
        str | None, typer.Option("--district", help="With --all: the district, e.g. 河西区.")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="One JSON object per line: a person's ranked posting."),
    ] = False,
    n: Annotated[int, typer.Option("-n", min=1, max=100, help="How many postings.")] = 10,
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    date: DateOpt = None,
) -> None:
    """Print the explained top-N postings for registered persons (ID numbers, or --all --district)."""
    from matching.exceptions import NotFoundError
    from matching.rank.snapshots import load_current
    from matching.rank.stored import recommend_stored

    numbers = _chosen_numbers(id_numbers or [], all_persons=all_persons, district=district)
    db_engine = open_db(db)
    if numbers is None:
        numbers = _district_numbers(db_engine, district)
    try:
        engine = _served(load_current(index_dir), db_engine)
        results = recommend_stored(
            db_engine,
            engine,
            numbers,
            k=n,
            today=date.date() if date else dt.date.today(),
            role="operator",
            key_id="cli",
            endpoint="songgang recommend",
        )
    except NotFoundError as exc:
        fail(str(exc))
    for result in results:
        if as_json:
            _emit_json(engine, result.person, result.matches)
            continue
        if len(results) > 1:
            out.rule()
        _print_person(result.person)
        if result.person.status != "registered":
            out.print(
                f"此人状态为 {result.person.status}，不再推荐岗位 / not registered: no recommendations"
            )
        elif not result.matches:
            out.print("没有符合条件的有效岗位 / no valid posting passes this person's filters")
        else:
            _print_matches(engine, result.matches)


def _chosen_numbers(
    id_numbers: list[str], *, all_persons: bool, district: str | None
) -> list[str] | None:
    """The checked ID numbers asked for (in order, once each), or None for ``--all``."""
    from matching.domain.divisions import BY_NAME
    from matching.domain.idcard import parse_id_number
    from matching.exceptions import InputError

    if all_persons:
        if id_numbers:
            fail("ID 号码与 --all 不能同时使用 / give ID numbers or --all, not both")
        if district is None:
            fail("--all 需要 --district / --all needs --district")
        if district not in BY_NAME:
            fail(f"未知的区 / unknown district: {district}")
        return None
    if district is not None:
        fail("--district 只能与 --all 一起使用 / --district goes with --all")
    if not id_numbers:
        fail("请给出身份证号码或 --all --district / give ID numbers or --all --district")
    numbers = []
    for raw in id_numbers:
        try:
            numbers.append(parse_id_number(raw).number)
        except InputError as exc:
            fail(str(exc))
    return list(dict.fromkeys(numbers))


def _served(engine, db_engine):  # type: ignore[no-untyped-def]
    """``engine`` serving what the ranker ledger says (a promoted model, or the hand weights)."""
    from matching.rank.learned import apply_served_ranker
    from matching.store.db import session_scope

    with session_scope(db_engine) as session:
        apply_served_ranker(engine, session)
    return engine


def _district_numbers(db_engine, district: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    """The ID numbers of the registered persons of ``district`` (none: a clear failure)."""
    from matching.store.db import session_scope
    from matching.store.persons import iter_persons

    with session_scope(db_engine) as session:
        numbers = [
            p.id_number for p in iter_persons(session, district=district, status="registered")
        ]
    if not numbers:
        fail(f"{district}没有登记失业人员 / no registered persons in {district}")
    return numbers


def _emit_json(engine, person, matches) -> None:  # type: ignore[no-untyped-def]
    """One JSON line per ranked posting of ``person`` (none when not registered)."""
    from matching.domain.idcard import mask_id_number

    if person.status != "registered":
        err.print(
            f"{mask_id_number(person.id_number)}：此人状态为 {person.status}，不再推荐岗位 / "
            "not registered: no recommendations"
        )
        return
    for rank, m in enumerate(matches, 1):
        row = {
            "id_number": mask_id_number(person.id_number),
            "rank": rank,
            "posting_id": m.posting_id,
            "source_id": engine.posting(m.posting_id).source_id,
            "score": m.score,
            "terms": [t.model_dump(mode="json") for t in m.terms],
            "reasons": list(m.reasons),
            "flags": list(m.flags),
        }
        typer.echo(json.dumps(row, ensure_ascii=False))


def demo(
    n: Annotated[int, typer.Option("-n", min=1, max=50)] = 5,
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    date: DateOpt = None,
) -> None:
    """Print the top-N for three sample persons from three districts (the `make run` check)."""
    from matching.rank.snapshots import load_current
    from matching.store.db import session_scope
    from matching.store.persons import iter_persons

    db_engine = open_db(db)
    engine = _served(load_current(index_dir), db_engine)
    today = date.date() if date else dt.date.today()
    chosen, districts = [], set()
    with session_scope(db_engine) as session:
        for p in iter_persons(session, status="registered"):
            if p.wanted_categories and p.district not in districts and p.residence:
                chosen.append(p)
                districts.add(p.district)
            if len(chosen) == 3:
                break
    if not chosen:
        fail("数据库中没有登记失业人员 / no registered persons; import persons first")
    for person in chosen:
        out.rule()
        _print_person(person)
        _print_matches(engine, engine.recommend(person, k=n, today=today))
