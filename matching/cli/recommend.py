"""``songgang recommend`` (explained top-N for a registered person) and ``songgang demo``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import DEFAULT_DB, DateOpt, DbUrl, IndexDir, fail, open_db, out

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
    id_number: Annotated[str, typer.Argument(help="The person's 18-character ID number.")],
    n: Annotated[int, typer.Option("-n", min=1, max=100, help="How many postings.")] = 10,
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    date: DateOpt = None,
) -> None:
    """Print the explained top-N postings for one registered person."""
    from matching.domain.idcard import parse_id_number
    from matching.exceptions import InputError, NotFoundError
    from matching.rank.snapshots import load_current
    from matching.store.db import session_scope
    from matching.store.repository import declined_posting_ids, get_person, record_audit

    try:
        number = parse_id_number(id_number).number
    except InputError as exc:
        fail(str(exc))
    engine_db = open_db(db)
    with session_scope(engine_db) as session:
        person = get_person(session, number)
        if person is None:
            fail("数据库中没有此人 / no such person in the database")
        declined = declined_posting_ids(session, number)
        record_audit(
            session,
            key_id="cli",
            role="operator",
            person_id_number=number,
            endpoint="songgang recommend",
            action="read",
        )
    try:
        engine = load_current(index_dir)
    except NotFoundError as exc:
        fail(str(exc))
    _print_person(person)
    if person.status != "registered":
        out.print(f"此人状态为 {person.status}，不再推荐岗位 / not registered: no recommendations")
        return
    today = date.date() if date else dt.date.today()
    matches = engine.recommend(person, k=n, today=today, exclude_posting_ids=declined)
    if not matches:
        out.print("没有符合条件的有效岗位 / no valid posting passes this person's filters")
        return
    _print_matches(engine, matches)


def demo(
    n: Annotated[int, typer.Option("-n", min=1, max=50)] = 5,
    db: DbUrl = DEFAULT_DB,
    index_dir: IndexDir = Path("data/index"),
    date: DateOpt = None,
) -> None:
    """Print the top-N for three sample persons from three districts (the `make run` check)."""
    from matching.rank.snapshots import load_current
    from matching.store.db import session_scope
    from matching.store.repository import iter_persons

    engine = load_current(index_dir)
    today = date.date() if date else dt.date.today()
    chosen, districts = [], set()
    with session_scope(open_db(db)) as session:
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
