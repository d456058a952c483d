"""``songgang generate`` (the sample data) and ``songgang import persons|postings FILE``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from matching.cli.common import DEFAULT_DB, DbUrl, IndexDateOpt, IndexDir, fail, open_db, out

if TYPE_CHECKING:
    from matching.ingest.importer import ImportReport
    from matching.schemas import Posting

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


IndexOpt = Annotated[
    bool,
    typer.Option(
        "--index",
        help="Then build the search index (as `index build`) in the same process, reusing the "
        "import's segmentation.",
    ),
]


def _run_import(
    kind: str,
    path: Path,
    db_url: str,
    *,
    as_json: bool = False,
    index_dir: Path | None = None,
    active_on: dt.date | None = None,
) -> None:
    from matching.exceptions import InputError
    from matching.ingest import importer
    from matching.ingest.halves import forking

    if not path.exists():
        fail(f"文件不存在 / file not found: {path}")
    engine = open_db(db_url)
    fields: dict[str, tuple[list[str], str]] | None = None if index_dir is None else {}
    written: dict[str, Posting] | None = None if index_dir is None else {}
    try:
        if kind == "persons":
            report = importer.import_persons(engine, path)
        else:  # a command is one thread: its work may fork (matching.ingest.halves)
            with forking():
                report = importer.import_postings(engine, path, fields=fields, written=written)
    except InputError as exc:
        fail(str(exc))
    index, index_error = None, None
    if index_dir is not None and report.read > report.rejected:
        with forking():
            index, index_error = _build_index(engine, index_dir, active_on, fields, written)
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
        if index_dir is not None:
            counts["index_path"] = None if index is None else str(index)
        typer.echo(json.dumps(counts, ensure_ascii=False))
    else:
        _print_report(kind, path, report)
        if index is not None:
            out.print(f"索引已建立 index built: {index}")
    if report.inserted + report.updated + report.unchanged + report.duplicates == 0:
        # As the API's 422: a file without one valid row is a failed import for a script too.
        fail("文件中没有有效行 / no valid row in the file", code=1)
    if index_error is not None:
        # the import is committed: say so, and that only the index is missing
        fail(f"导入已成功提交，但索引未建立 / the import succeeded and is committed, but the "
             f"index was not built: {index_error}", code=3)  # fmt: skip


def _build_index(
    engine: object,
    index_dir: Path,
    active_on: dt.date | None,
    fields: dict[str, tuple[list[str], str]] | None,
    written: dict[str, Posting] | None = None,
) -> tuple[Path | None, str | None]:
    """The new snapshot's folder, or the reason none was built."""
    from matching.exceptions import EmptyInputError
    from matching.rank.snapshots import build_snapshot

    try:
        return build_snapshot(
            engine, index_dir, active_on=active_on, fields=fields, written=written
        ), None
    except EmptyInputError as exc:
        return None, str(exc)
    except Exception as exc:  # the import stands; the caller says what failed after it
        return None, f"{type(exc).__name__}: {exc}"


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
def import_postings(
    file: Path,
    db: DbUrl = DEFAULT_DB,
    as_json: JsonOpt = False,
    index: IndexOpt = False,
    index_dir: IndexDir = Path("data/index"),
    date: IndexDateOpt = None,
) -> None:
    """Import job postings from FILE; missing categories are inferred. With --index, then
    build the search index over every open posting (as `index build`)."""
    _run_import("postings", file, db, as_json=as_json, index_dir=index_dir if index else None,
                active_on=date.date() if date else None)  # fmt: skip
