"""Campaign commands: ``batch issue``, ``contact import``, ``status …``, ``report monthly``,
``report flags``, ``record export``. Thin: parse arguments → :mod:`matching.campaign` → print.

Register in :mod:`matching.cli.main`::

    from matching.cli.campaign import batch_app, contact_app, record_app, report_app, status_app
    app.add_typer(batch_app, name="batch")
    app.add_typer(contact_app, name="contact")
    app.add_typer(status_app, name="status")
    app.add_typer(report_app, name="report")
    app.add_typer(record_app, name="record")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from matching.domain.monthly_columns import COLUMN_RULES
from matching.domain.retirement import FEMALE_BASELINE

__all__ = ["batch_app", "contact_app", "record_app", "report_app", "status_app"]

batch_app = typer.Typer(help="Batches of persons handed to districts.", no_args_is_help=True)
contact_app = typer.Typer(help="The contact log (联系服务记录).", no_args_is_help=True)
status_app = typer.Typer(
    help="Employment registration, deregistration, undo.", no_args_is_help=True
)
report_app = typer.Typer(help="Monthly report (附件1), campaign page, flags.", no_args_is_help=True)
record_app = typer.Typer(help="One person's service record (附件2).", no_args_is_help=True)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbUrl = Annotated[
    str,
    typer.Option("--db", envvar="SONGGANG_DATABASE_URL", help="SQLAlchemy database URL."),
]
DayOpt = Annotated[
    dt.datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="Default: today.")
]
By = Annotated[str, typer.Option("--by", help="Caseworker (recorded and audited).")]
DEFAULT_DB = "sqlite:///data/songgang.db"


def _engine(url: str) -> Engine:
    import matching.store.campaign_tables  # noqa: F401  (tables on the shared metadata)
    from matching.store.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    return engine


def _day(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]错误 error:[/] {exc}")
    raise typer.Exit(2)


@batch_app.command("issue")
def batch_issue(
    file: Annotated[Path, typer.Argument(help="xlsx/csv with a 身份证号码 column.")],
    batch: Annotated[str, typer.Option("--batch", help="Batch label, e.g. 2024-10-A.")],
    district: Annotated[
        str | None, typer.Option("--district", help="Receiving district (default: own).")
    ] = None,
    date: DayOpt = None,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Record the persons of FILE as handed to their district in BATCH."""
    from matching.campaign import issue_batch
    from matching.exceptions import MatchingError
    from matching.store.db import session_scope

    try:
        with session_scope(_engine(db), write=True) as session:
            result = issue_batch(
                session, file, batch=batch, issued_on=_day(date), district=district
            )
    except (MatchingError, KeyError) as exc:
        _fail(exc)
        return
    out.print(f"批次 batch {result.batch} ({result.issued_on}): 下发 handed {result.handed}")
    for name, n in result.per_district.items():
        out.print(f"  {name}: {n}")
    for number, earlier in result.already_handed:
        out.print(f"  [yellow]已下发 already handed[/] {number} (批次 batch {earlier})")
    for number in result.unknown:
        out.print(f"  [red]未找到 unknown[/] {number}")


@contact_app.command("import")
def contact_import(
    file: Annotated[Path, typer.Argument(help="xlsx/csv of contact rows.")],
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Import contact rows; bad rows go to <file>.rejects.csv."""
    from matching.campaign import import_contacts
    from matching.exceptions import MatchingError
    from matching.ingest.writers import write_rejects
    from matching.store.db import session_scope

    try:
        with session_scope(_engine(db), write=True) as session:
            result = import_contacts(session, file)
    except MatchingError as exc:
        _fail(exc)
        return
    out.print(f"导入 imported {len(result.items)}, 拒绝 rejected {len(result.errors)}")
    rejects = write_rejects(result)
    if rejects:
        out.print(f"  rejects: {rejects}")


@status_app.command("employ")
def status_employ(
    id_number: str,
    form: Annotated[str, typer.Option("--form", help="单位就业/自主创业/灵活就业/个体经营")],
    by: By,
    employer: str = "",
    note: str = "",
    date: DayOpt = None,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Register employment: recommendations stop at once."""
    from matching.campaign import register_employment
    from matching.exceptions import MatchingError
    from matching.store.db import session_scope

    try:
        with session_scope(_engine(db), write=True) as session:
            change = register_employment(
                session, id_number, form=form, on=_day(date), employer=employer, by=by, note=note
            )
    except MatchingError as exc:
        _fail(exc)
        return
    out.print(f"变更 change #{change.event_id}: {change.status.value}")


@status_app.command("deregister")
def status_deregister(
    id_number: str,
    reason: Annotated[str, typer.Option("--reason", help="1–12 or the reason's text.")],
    by: By,
    note: str = "",
    date: DayOpt = None,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Deregister with one of the 12 reasons: recommendations stop at once."""
    from matching.campaign import deregister
    from matching.exceptions import MatchingError
    from matching.ingest.choices import parse_deregistration_reason
    from matching.store.db import session_scope

    try:
        code = parse_deregistration_reason(reason)
        assert code is not None
        with session_scope(_engine(db), write=True) as session:
            change = deregister(session, id_number, reason=code, on=_day(date), by=by, note=note)
    except MatchingError as exc:
        _fail(exc)
        return
    out.print(f"变更 change #{change.event_id}: {change.status.value} (原因 reason {code})")


@status_app.command("undo")
def status_undo(event_id: int, by: By, note: str = "", db: DbUrl = DEFAULT_DB) -> None:
    """Undo a mistaken status change (kept in the history, audited)."""
    from matching.campaign import undo_status_change
    from matching.exceptions import MatchingError
    from matching.store.db import session_scope

    try:
        with session_scope(_engine(db), write=True) as session:
            change = undo_status_change(session, event_id, by=by, note=note)
    except MatchingError as exc:
        _fail(exc)
        return
    out.print(f"已撤销 undone #{change.event_id}: {change.id_number} → {change.status.value}")


_MONTHLY_HELP = "\n\n".join(
    ["附件1 as of the 20th (xlsx + csv) and the campaign page (markdown + png).", *COLUMN_RULES]
)


@report_app.command("monthly", help=_MONTHLY_HELP)
def report_monthly(
    month: Annotated[str, typer.Option("--month", help="YYYY-MM")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the files.")] = Path(
        "data/reports"
    ),
    db: DbUrl = DEFAULT_DB,
) -> None:
    """附件1 as of the 20th (xlsx + csv) and the campaign page (markdown + png)."""
    from matching.campaign import (
        monthly_report,
        parse_month,
        write_campaign_page,
        write_monthly_report,
    )
    from matching.exceptions import MatchingError
    from matching.store.db import session_scope

    try:
        year, number = parse_month(month)
        with session_scope(_engine(db)) as session:
            report = monthly_report(session, year, number)
        page = write_campaign_page(report, out_dir)
        files = [*write_monthly_report(report, out_dir), page.markdown, page.chart]
    except MatchingError as exc:
        _fail(exc)
        return
    t = report.total
    out.print(f"{report.title} 截至 as of {report.as_of}")
    out.print(f"  下发 {t.handed} · 联系不到 {t.unreachable} · 联系服务 {t.served} "
              f"({t.contact_rate:.1%}) · 已就业 {t.employed} · 未就业 {t.not_employed}")  # fmt: skip
    for path in files:
        out.print(f"  {path}")


@report_app.command("flags")
def report_flags(
    date: DayOpt = None,
    district: Annotated[str | None, typer.Option("--district")] = None,
    female_baseline: Annotated[
        int, typer.Option("--female-baseline", help="Women's retirement baseline: 50 or 55.")
    ] = FEMALE_BASELINE,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Persons to check (retirement age, no contact > 6 months, 3 refusals); nothing applied."""
    from matching.campaign import flags
    from matching.store.db import session_scope

    with session_scope(_engine(db)) as session:
        found = flags(session, _day(date), female_baseline=female_baseline, district=district)
    for f in found:
        out.print(f"{f.district} {f.name} {f.id_number} [{f.kind}] 建议注销原因 {f.reason_code}: "
                  f"{f.detail}")  # fmt: skip
    out.print(f"共 {len(found)} 条 flags")


@record_app.command("export")
def record_export(
    id_number: str,
    out_file: Annotated[Path, typer.Option("--out", help="xlsx file.")],
    by: By,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Write one person's service record in the layout of 附件2."""
    from matching.campaign import export_record
    from matching.exceptions import MatchingError
    from matching.store.db import session_scope

    try:
        with session_scope(_engine(db)) as session:
            path = export_record(session, id_number, out_file, by=by)
    except MatchingError as exc:
        _fail(exc)
        return
    out.print(str(path))
