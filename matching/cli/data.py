"""``songgang generate`` (the sample data) and ``songgang import persons|postings FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from matching.cli.common import DEFAULT_DB, DbUrl, fail, open_db, out

if TYPE_CHECKING:
    from matching.ingest.importer import ImportReport

__all__ = ["generate", "import_app"]

import_app = typer.Typer(help="Import persons or postings from xlsx/csv.", no_args_is_help=True)
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the counts as one JSON object instead of a table.")
]


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the sample files.")] = Path(
        "data/sample"
    ),
    persons: Annotated[int, typer.Option(min=0, help="0: postings only.")] = 20_000,
    postings: Annotated[int, typer.Option(min=0, help="0: persons only.")] = 5_000,
    seed: int = 20241021,
    bad_rows: Annotated[int, typer.Option(help="Deliberately invalid rows per file.")] = 5,
) -> None:
    """Generate the bundled sample data (persons and postings, xlsx + csv)."""
    from matching.generator import write_sample

    if persons == 0 and postings == 0:
        fail("--persons 与 --postings 不能都为 0 / --persons and --postings cannot both be 0")
    info = write_sample(out_dir, persons=persons, postings=postings, seed=seed, bad_rows=bad_rows)
    for key, value in info.items():
        out.print(f"  {key}: {value}")


def _run_import(kind: str, path: Path, db_url: str, *, as_json: bool = False) -> None:
    from matching.exceptions import InputError
    from matching.ingest import importer

    if not path.exists():
        fail(f"文件不存在 / file not found: {path}")
    engine = open_db(db_url)
    func = importer.import_persons if kind == "persons" else importer.import_postings
    try:
        report = func(engine, path)
    except InputError as exc:
        fail(str(exc))
    if as_json:
        counts = {
            "read": report.read,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "duplicates": report.duplicates,
            "rejected": report.rejected,
            "rejects_path": str(report.rejects_path) if report.rejects_path else None,
        }
        typer.echo(json.dumps(counts, ensure_ascii=False))
    else:
        _print_report(kind, path, report)
    if report.inserted + report.updated + report.unchanged + report.duplicates == 0:
        # As the API's 422: a file without one valid row is a failed import for a script too.
        fail("文件中没有有效行 / no valid row in the file", code=1)


def _print_report(kind: str, path: Path, report: ImportReport) -> None:
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
def import_persons(file: Path, db: DbUrl = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Import registered persons (附件2 columns) from FILE; rejects go next to it."""
    _run_import("persons", file, db, as_json=as_json)


@import_app.command("postings")
def import_postings(file: Path, db: DbUrl = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Import job postings from FILE; missing categories are inferred."""
    _run_import("postings", file, db, as_json=as_json)
