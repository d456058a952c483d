"""Every export of the project neutralises spreadsheet formulas (OWASP "CSV injection").

Persons whose name, skills and address begin with a formula (also after a tab or CR, which
the importer strips) are imported, then every file the project writes is produced and opened:
the import's rejects, the nightly call sheets (xlsx, csv), sms.csv, wechat.csv, the service
record (附件2) and the monthly report (附件1). No cell may start a live formula.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from matching.cli.main import app
from matching.domain.spreadsheet import FORMULA_TRIGGERS, neutralise_cell
from tests.conftest import cli_env

runner = CliRunner()
DATE = "2024-10-21"
HOSTILE = ["=cmd|'/c calc'!A0", "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1", " =2+2"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_is_quoted(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
    assert neutralise_cell(neutralise_cell(value)) == "'" + value  # idempotent


@pytest.mark.parametrize("value", [-5, 3.5, 0, None, "", "王芳", "13812345678", "河西区", "'=1"])
def test_numbers_and_plain_text_are_kept(value: object) -> None:
    assert neutralise_cell(value) == value


def _live(text: object) -> bool:
    """A cell a spreadsheet would evaluate: a formula trigger first, also after blanks."""
    return (
        isinstance(text, str)
        and bool(text)
        and (text[0] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS)
    )


def _cells(path: Path) -> list[object]:
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def _hostile_persons(sample: Path) -> Path:
    """The generated persons.csv with formulas in names, skills and addresses, and one bad row
    (an invalid ID number) full of them, for the rejects file."""
    with (sample / "persons.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    for i, value in enumerate(HOSTILE):
        row = body[i]
        row[col["姓名"]] = value
        row[col["专业/技能"]] = value + " 叉车"
        row[col["常住住址"]] = value + row[col["常住住址"]]
        row[col["备注"]] = value
    bad = list(body[len(HOSTILE)])
    bad[col["身份证号码"]] = "-1+1"
    bad[col["姓名"]] = '=HYPERLINK("http://x")'
    body.append(bad)
    target = sample / "hostile.csv"
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *body])
    return target


def test_every_export_neutralises_formulas(tmp_path: Path) -> None:
    env = cli_env(tmp_path)

    def run(*args: str) -> str:
        r = runner.invoke(app, list(args), env=env)
        assert r.exit_code == 0, r.output
        return r.output

    sample = tmp_path / "sample"
    run("generate", "--out", str(sample), "--persons", "40", "--postings", "80", "--bad-rows", "0")
    hostile = _hostile_persons(sample)
    run("import", "persons", str(hostile))
    run("import", "postings", str(sample / "postings.csv"))
    run("index", "build", "--date", DATE)
    nightly = tmp_path / "nightly"
    run("nightly", "--date", DATE, "--out", str(nightly), "--workers", "1", "--no-progress")
    records = []
    for i in range(len(HOSTILE)):
        with (sample / "persons.csv").open(encoding="utf-8-sig", newline="") as f:
            number = list(csv.reader(f))[1 + i][1]
        records.append(tmp_path / f"record-{i}.xlsx")
        run("record", "export", number, "--out", str(records[-1]), "--by", "河西区-王")
    reports = tmp_path / "report"
    run("report", "monthly", "--month", "2024-11", "--out", str(reports))

    files = [
        hostile.with_name("hostile.rejects.csv"),
        *records,
        *sorted(nightly.rglob("*.csv")),
        *sorted(nightly.rglob("*.xlsx")),
        *sorted(reports.glob("*.xlsx")),
        *sorted(reports.glob("*.csv")),
    ]
    names = {p.name for p in files}
    assert {"call_sheet.xlsx", "call_sheet.csv", "sms.csv", "wechat.csv"} <= names, names
    seen_quoted = {p.name: 0 for p in files}
    for path in files:
        for cell in _cells(path):
            assert not _live(cell), (path.name, cell)
            if isinstance(cell, str) and cell.startswith("'") and _live(cell[1:]):
                seen_quoted[path.name] += 1
    # The hostile values did reach each person-bearing file, quoted (not dropped or missed).
    for name in ("hostile.rejects.csv", "call_sheet.xlsx", "call_sheet.csv", "record-0.xlsx"):
        assert seen_quoted[name] > 0, name
    # The masked name of the organiser's and the messages' view (=****) is quoted too.
    messages = [c for p in files if p.name in {"sms.csv", "wechat.csv"} for c in _cells(p)]
    assert any(isinstance(c, str) and c.startswith("'=*") for c in messages), messages[:6]
