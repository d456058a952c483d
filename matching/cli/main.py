"""The ``songgang`` command: a thin shell over the core (parse arguments → core call → print).

Every command honours ``SONGGANG_DATABASE_URL`` (default: SQLite file ``data/songgang.db``) and
``SONGGANG_INDEX_DIR`` (default ``data/index``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="songgang",
    help="送岗: job matching for registered unemployed persons.",
    no_args_is_help=True,
    add_completion=False,
)
import_app = typer.Typer(help="Import persons or postings from xlsx/csv.", no_args_is_help=True)
index_app = typer.Typer(help="Build the search index.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(index_app, name="index")


def _register_campaign() -> None:
    from matching.cli import campaign

    app.add_typer(campaign.batch_app, name="batch")
    app.add_typer(campaign.contact_app, name="contact")
    app.add_typer(campaign.status_app, name="status")
    app.add_typer(campaign.report_app, name="report")
    app.add_typer(campaign.record_app, name="record")


_register_campaign()


def _register_commands() -> None:
    from matching.cli.evaluate import evaluate
    from matching.cli.nightly import nightly

    app.command()(nightly)
    app.command()(evaluate)


_register_commands()

out = Console(highlight=False, soft_wrap=True)  # no hard wraps: output is copied and piped
err = Console(stderr=True, highlight=False)

DEFAULT_DB = "sqlite:///data/songgang.db"
DbUrl = Annotated[
    str, typer.Option("--db", envvar="SONGGANG_DATABASE_URL", help="SQLAlchemy database URL.")
]
IndexDir = Annotated[
    Path, typer.Option("--index-dir", envvar="SONGGANG_INDEX_DIR", help="Index snapshots folder.")
]
DateOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="Day postings must be valid on (default: today)."
    ),
]


def _db(url: str):  # type: ignore[no-untyped-def]
    from matching.store.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    return engine


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]错误 error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the sample files.")] = Path(
        "data/sample"
    ),
    persons: Annotated[int, typer.Option(min=1)] = 20_000,
    postings: Annotated[int, typer.Option(min=1)] = 5_000,
    seed: int = 20241021,
    bad_rows: Annotated[int, typer.Option(help="Deliberately invalid rows per file.")] = 5,
) -> None:
    """Generate the bundled sample data (persons and postings, xlsx + csv)."""
    from matching.generator import write_sample

    info = write_sample(out_dir, persons=persons, postings=postings, seed=seed, bad_rows=bad_rows)
    for key, value in info.items():
        out.print(f"  {key}: {value}")


def _run_import(kind: str, path: Path, db_url: str) -> None:
    from matching.exceptions import InputError
    from matching.ingest import importer

    if not path.exists():
        _fail(f"文件不存在 / file not found: {path}")
    engine = _db(db_url)
    func = importer.import_persons if kind == "persons" else importer.import_postings
    try:
        report = func(engine, path)
    except InputError as exc:
        _fail(str(exc))
    table = Table(title=f"导入 import {kind}: {path.name}")
    for col in (
        "读取 read",
        "新增 inserted",
        "更新 updated",
        "未变 unchanged",
        "合并重复 duplicates merged",
        "拒绝 rejected",
    ):
        table.add_column(col, justify="right")
    table.add_row(
        *(
            str(x)
            for x in (
                report.read,
                report.inserted,
                report.updated,
                report.unchanged,
                report.duplicates,
                report.rejected,
            )
        )
    )
    out.print(table)
    if report.rejects_path:
        out.print(f"被拒绝的行及原因见 rejected rows with reasons: {report.rejects_path}")


@import_app.command("persons")
def import_persons(file: Path, db: DbUrl = DEFAULT_DB) -> None:
    """Import registered persons (附件2 columns) from FILE; rejects go next to it."""
    _run_import("persons", file, db)


@import_app.command("postings")
def import_postings(file: Path, db: DbUrl = DEFAULT_DB) -> None:
    """Import job postings from FILE; missing categories are inferred."""
    _run_import("postings", file, db)


@index_app.command("build")
def index_build(
    db: DbUrl = DEFAULT_DB, index_dir: IndexDir = Path("data/index"), date: DateOpt = None
) -> None:
    """Build the search index from the postings in the database and publish it."""
    from matching.exceptions import EmptyInputError
    from matching.rank.snapshots import build_snapshot

    try:
        path = build_snapshot(_db(db), index_dir, active_on=date.date() if date else None)
    except EmptyInputError as exc:
        _fail(str(exc))
    out.print(f"索引已建立 index built: {path}")


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


@app.command()
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
    from matching.store.activity import declined_posting_ids, record_audit
    from matching.store.db import session_scope
    from matching.store.persons import get_person

    try:
        number = parse_id_number(id_number).number
    except InputError as exc:
        _fail(str(exc))
    engine_db = _db(db)
    with session_scope(engine_db) as session:
        person = get_person(session, number)
        if person is None:
            _fail("数据库中没有此人 / no such person in the database")
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
        _fail(str(exc))
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


@app.command()
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

    engine = load_current(index_dir)
    today = date.date() if date else dt.date.today()
    chosen, districts = [], set()
    with session_scope(_db(db)) as session:
        for p in iter_persons(session, status="registered"):
            if p.wanted_categories and p.district not in districts and p.residence:
                chosen.append(p)
                districts.add(p.district)
            if len(chosen) == 3:
                break
    if not chosen:
        _fail("数据库中没有登记失业人员 / no registered persons; import persons first")
    for person in chosen:
        out.rule()
        _print_person(person)
        _print_matches(engine, engine.recommend(person, k=n, today=today))


@app.command()
def train(
    shared: Annotated[
        Path, typer.Option(envvar="SONGGANG_SHARED_DATA", help="../shared/data")
    ] = Path("../shared/data"),
    out_dir: Annotated[Path, typer.Option("--out")] = Path("models"),
    seed: int = 0,
) -> None:
    """Retrain the job classifier and rewrite models/ with its model card."""
    from matching.understand.classifier import train as train_classifier

    if not shared.is_dir():
        _fail(f"找不到共享数据目录 / shared data folder not found: {shared}")
    metrics = train_classifier(shared, out_dir, seed=seed)
    for key, value in metrics.items():
        out.print(f"  {key}: {value}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    keys_file: Annotated[
        Path, typer.Option("--keys-file", envvar="SONGGANG_KEYS_FILE", help="API keys file.")
    ] = Path("data/keys.json"),
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            envvar="SONGGANG_WORKERS",
            help="Worker processes (each loads the index; about one per core).",
        ),
    ] = 1,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1000,
            envvar="SONGGANG_THREADS",
            help="Threads per worker process for blocking work (default: anyio's 40). 2 gave "
            "the best recommendation latency in bench/bench_api.py; an upload import holds one "
            "for its whole run.",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            help="uvicorn's access log (paths without query strings; ~0.1-0.2 ms per request)."
        ),
    ] = True,
) -> None:
    """Serve the HTTP API (uvicorn), printing the URLs and one demo key per role."""
    import os

    import uvicorn

    from api.security import ensure_demo_keys

    keys = ensure_demo_keys(keys_file)
    base = f"http://{host}:{port}"
    out.print(f"送岗 API: {base}  ·  文档 docs: {base}/docs  ·  健康 health: {base}/health")
    for label, key in keys.items():
        out.print(f"  演示密钥 demo key [bold]{label}[/]: {key}")
    out.print(f'  e.g. curl -H "X-API-Key: {keys["organiser"]}" {base}/postings')
    # Worker processes build the app from the environment (api.main:create_app).
    os.environ["SONGGANG_KEYS_FILE"] = str(keys_file)
    if threads is not None:
        os.environ["SONGGANG_THREADS"] = str(threads)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="songgang")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
