"""Campaign workflow: a small campaign built by hand and every cell of 附件1 checked."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from conftest import make_id
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from matching.campaign import (
    ContactInput,
    DistrictRow,
    MonthlyReport,
    ReportIdentityError,
    add_contact,
    deregister,
    export_record,
    flags,
    import_contacts,
    issue_batch,
    monthly_report,
    parse_month,
    register_employment,
    status_history,
    undo_status_change,
    write_campaign_page,
    write_monthly_report,
)
from matching.cli.campaign import batch_app, report_app
from matching.domain import divisions
from matching.domain.monthly_columns import COLUMN_RULES
from matching.domain.retirement import retirement_age, retirement_date
from matching.exceptions import InputError
from matching.ingest import write_rejects
from matching.store.campaign_tables import StatusEventRow
from matching.store.db import make_engine, session_scope, upgrade
from matching.store.tables import AuditLogRow, OutcomeRow, PersonRow, PostingRow

D = dt.date


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


_seq = iter(range(101, 999, 2))


def person(session: Session, district: str, *, birth: str = "19850312", male: bool = True) -> str:
    seq = next(_seq)
    number = make_id(divisions.get(district).code, birth, f"{seq if male else seq + 1:03d}")
    session.add(
        PersonRow(id_number=number, name=f"人{seq}", gender="男" if male else "女",
                  birth_date=dt.datetime.strptime(birth, "%Y%m%d").date(), district=district,
                  content_hash="x", work_history=[{"period": "2019-2023", "employer": "某超市",
                  "position": "收银员"}], wanted_categories=["A", "M"], work_forms=["灵活就业"])
    )  # fmt: skip
    session.flush()
    return number


def contact(s: Session, number: str, on: D, *, reached: bool = True, refused: bool = False) -> None:
    add_contact(s, ContactInput(number, on, "电话", "推荐岗位", "王芳", reached, refused))


# ---------------------------------------------------------------------------- the campaign


@pytest.fixture
def campaign(engine: Engine) -> dict[str, str]:
    """Hand-built: batch A (2024-10-15) to 和平/河西/滨海, batch B (2024-11-25) to 南开."""
    p: dict[str, str] = {}
    with session_scope(engine) as s:
        for key in ("p1", "p2", "p3", "p4", "p5"):
            p[key] = person(s, "和平区")
        for key in ("q1", "q2", "q3", "q4"):
            p[key] = person(s, "河西区")
        p["s1"] = person(s, "滨海新区")
        p["r1"], p["r2"] = person(s, "南开区"), person(s, "南开区")
        a = issue_batch(
            s, [p[k] for k in p if k[0] in "pqs"], batch="2024-10-A", issued_on=D(2024, 10, 15)
        )
        assert a.handed == 10
        b = issue_batch(s, [p["r1"], p["r2"], p["p1"], "120101198503120000"], batch="2024-11-B",
                        issued_on=D(2024, 11, 25))  # fmt: skip
        assert b.handed == 2 and b.already_handed == ((p["p1"], "2024-10-A"),)
        assert b.unknown == ("120101198503120000",)
        # 和平: p1 served; p2 not reached; p3 reached after the 20th; p4 employed; p5 died
        contact(s, p["p1"], D(2024, 11, 5))
        contact(s, p["p2"], D(2024, 11, 10), reached=False)
        contact(s, p["p3"], D(2024, 11, 25))
        contact(s, p["p4"], D(2024, 11, 1))
        register_employment(
            s, p["p4"], form="单位就业", on=D(2024, 11, 10), employer="某物业", by="王芳"
        )
        deregister(s, p["p5"], reason=12, on=D(2024, 11, 15), by="王芳")
        # 河西: q1 employed without a logged contact; q2 deregistered as hired (reason 2);
        # q3 employed after the 20th; q4 employment registered by mistake and undone
        register_employment(s, p["q1"], form="灵活就业", on=D(2024, 11, 18), by="李强")
        contact(s, p["q2"], D(2024, 11, 2))
        deregister(s, p["q2"], reason=2, on=D(2024, 11, 19), by="李强")
        contact(s, p["q3"], D(2024, 11, 3))
        register_employment(s, p["q3"], form="个体经营", on=D(2024, 11, 22), by="李强")
        mistake = register_employment(s, p["q4"], form="单位就业", on=D(2024, 11, 5), by="李强")
        undo_status_change(s, mistake.event_id, by="张主任", note="录错人")
        # 滨海: s1 reached before November, pushed a posting, then hired
        contact(s, p["s1"], D(2024, 10, 20))
        posting = PostingRow(title="保洁员", fingerprint="f1", content_hash="h")
        s.add(posting)
        s.flush()
        sid = s.scalar(select(PersonRow.id).where(PersonRow.id_number == p["s1"]))
        s.add(OutcomeRow(person_id=sid, posting_id=posting.id, kind="pushed",
                         at=dt.datetime(2024, 10, 25, 9, tzinfo=dt.UTC)))  # fmt: skip
        s.flush()
        register_employment(s, p["s1"], form="单位就业", on=D(2024, 11, 1), by="赵")
        # 南开: both reached after their batch
        contact(s, p["r1"], D(2024, 11, 26))
        contact(s, p["r2"], D(2024, 11, 27))
    return p


# district → (1 handed, 2 unreachable, 3 served, 4 employed, 5 not employed), by hand
NOVEMBER = {"和平区": (5, 3, 2, 1, 1), "河西区": (4, 1, 3, 2, 1), "滨海新区": (1, 0, 1, 1, 0)}
DECEMBER = {**NOVEMBER, "和平区": (5, 2, 3, 1, 2), "河西区": (4, 1, 3, 3, 0),
            "南开区": (2, 0, 2, 0, 2)}  # fmt: skip


def expected_rows(counts: dict[str, tuple[int, ...]]) -> list[list[object]]:
    rows: list[list[object]] = [[n, *counts.get(n, (0, 0, 0, 0, 0))] for n in divisions.NAMES]
    rows.append(["合计", *(sum(r[i] for r in rows) for i in range(1, 6))])  # type: ignore[misc]
    return rows


@pytest.mark.parametrize(("month", "counts"), [(11, NOVEMBER), (12, DECEMBER), (10, {})])
def test_monthly_report_counts(engine: Engine, campaign: dict[str, str], month: int,
                               counts: dict[str, tuple[int, ...]]) -> None:  # fmt: skip
    with session_scope(engine) as s:
        report = monthly_report(s, 2024, month)
    got = [[r.district, *r.cells] for r in (*report.rows, report.total)]
    if month == 10:  # batch A issued 10-15, s1 reached 10-20: as of 10-20 only that
        counts = {n: (c[0], c[0], 0, 0, 0) for n, c in NOVEMBER.items()}
        counts["河西区"], counts["滨海新区"] = (4, 4, 0, 0, 0), (1, 0, 1, 0, 1)
    assert got == expected_rows(counts)


def test_report_xlsx_every_cell(engine: Engine, campaign: dict[str, str], tmp_path: Path) -> None:
    with session_scope(engine) as s:
        report = monthly_report(s, 2024, 11)
    xlsx, csv_path = write_monthly_report(report, tmp_path / "out")
    ws = load_workbook(xlsx).active
    grid = [[c.value for c in row] for row in ws.iter_rows(max_col=6)]
    assert grid[0][0] == "失业人员就业服务攻坚行动统计表（11月）"
    assert grid[1] == ["所属区", "登记失业人员下发人数", "联系不到人数", "联系服务人数", None, None]
    assert grid[2] == [None, None, None, None, "已就业人数", "未就业人数"]
    assert grid[3] == ["序号", "1=2+3", "2", "3=4+5", "4", "5"]
    assert grid[4:21] == expected_rows(NOVEMBER)
    assert grid[21][0] == "备注：各区于每月25日前上报截至当月20日的情况。"
    # every column's rule, in Chinese, below the table
    assert [g[0] for g in grid[22:]] == ["各列统计口径：", *COLUMN_RULES]
    assert "从未联系上" in grid[25][0] and "不只是联系失败的次数" in grid[25][0]
    assert "一经联系服务即一直计入本列" in grid[26][0] and "一经登记就业" in grid[27][0]
    assert len(grid) == 29
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "A22:F22", "A29:F29"} <= merged
    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
        "所属区",
        "登记失业人员下发人数",
        "联系不到人数",
        "联系服务人数",
        "已就业人数",
        "未就业人数",
    ]
    assert rows[1:] == [[str(v) for v in r] for r in expected_rows(NOVEMBER)]


@pytest.fixture
def changed_after_served(engine: Engine) -> dict[str, str]:
    """Persons whose status changed after they were served, over November and December.

    红桥区 (batch 11-05): a1 employment registered 11-15 (never contacted), retired 11-21;
    a2 reached 11-08, died 12-01; a3 reached 11-10, employed 11-12, went to school 12-05;
    a4 two failed attempts (11-10, 12-02); a5 failed 11-09, reached 12-03; a6 reached 11-06,
    an employment of 11-18 undone, then self-employed (reason 3) 12-15; a7 died 11-10, never
    contacted; a8 reached 11-25, employed 12-25.
    东丽区 (batch 12-10): b1 employed 12-12, retired 12-18; b2 never contacted; b3 handed
    12-21 (after the 20th).
    """
    p: dict[str, str] = {}
    with session_scope(engine) as s:
        for n in range(1, 9):
            p[f"a{n}"] = person(s, "红桥区")
        for n in range(1, 4):
            p[f"b{n}"] = person(s, "东丽区")
        issue_batch(s, [p[f"a{n}"] for n in range(1, 9)], batch="A", issued_on=D(2024, 11, 5))
        issue_batch(s, [p["b1"], p["b2"]], batch="B", issued_on=D(2024, 12, 10))
        issue_batch(s, [p["b3"]], batch="C", issued_on=D(2024, 12, 21))
        register_employment(s, p["a1"], form="单位就业", on=D(2024, 11, 15), by="王")
        deregister(s, p["a1"], reason=1, on=D(2024, 11, 21), by="王")
        contact(s, p["a2"], D(2024, 11, 8))
        deregister(s, p["a2"], reason=12, on=D(2024, 12, 1), by="王")
        contact(s, p["a3"], D(2024, 11, 10))
        register_employment(s, p["a3"], form="灵活就业", on=D(2024, 11, 12), by="王")
        deregister(s, p["a3"], reason=6, on=D(2024, 12, 5), by="王")
        contact(s, p["a4"], D(2024, 11, 10), reached=False)
        contact(s, p["a4"], D(2024, 12, 2), reached=False)
        contact(s, p["a5"], D(2024, 11, 9), reached=False)
        contact(s, p["a5"], D(2024, 12, 3))
        contact(s, p["a6"], D(2024, 11, 6))
        wrong = register_employment(s, p["a6"], form="单位就业", on=D(2024, 11, 18), by="王")
        undo_status_change(s, wrong.event_id, by="张主任", note="录错人")
        deregister(s, p["a6"], reason=3, on=D(2024, 12, 15), by="王")
        deregister(s, p["a7"], reason=12, on=D(2024, 11, 10), by="王")
        contact(s, p["a8"], D(2024, 11, 25))
        register_employment(s, p["a8"], form="单位就业", on=D(2024, 12, 25), by="王")
        register_employment(s, p["b1"], form="单位就业", on=D(2024, 12, 12), by="李")
        deregister(s, p["b1"], reason=1, on=D(2024, 12, 18), by="李")
    return p


# by hand: served = reached or employed by the 20th, and stays so; employed stays so
CHANGED = {
    11: {"红桥区": (8, 4, 4, 2, 2)},  # served a1 a2 a3 a6; employed a1 a3
    # served a1 a2 a3 a5 a6 a8; employed a1 a3 a6 · 东丽: b1 served and employed, b2 never
    12: {"红桥区": (8, 2, 6, 3, 3), "东丽区": (2, 1, 1, 1, 0)},
}


def test_monthly_report_once_served_always_served(
    engine: Engine, changed_after_served: dict[str, str], tmp_path: Path
) -> None:
    reports = {}
    for month, counts in CHANGED.items():
        with session_scope(engine) as s:
            reports[month] = report = monthly_report(s, 2024, month)
        assert [[r.district, *r.cells] for r in (*report.rows, report.total)] == expected_rows(
            counts
        )
        _, csv_path = write_monthly_report(report, tmp_path / str(month))
        with csv_path.open(encoding="utf-8-sig") as fh:
            assert list(csv.reader(fh))[1:] == [[str(v) for v in r] for r in expected_rows(counts)]
    # no district's handed, served or employed count goes down from one month to the next
    for nov, dec in zip(reports[11].rows, reports[12].rows, strict=True):
        assert all(dec.cells[i] >= nov.cells[i] for i in (0, 2, 3)), nov.district


def _report(
    cells: dict[str, tuple[int, int, int, int, int]], total: tuple[int, ...] | None = None
) -> MonthlyReport:
    rows = tuple(DistrictRow(n, *cells.get(n, (0, 0, 0, 0, 0))) for n in divisions.NAMES)
    sums = tuple(sum(r.cells[i] for r in rows) for i in range(5))
    return MonthlyReport(2024, 11, rows, DistrictRow("合计", *(total or sums)))


@pytest.mark.parametrize(
    ("cells", "total", "message"),
    [
        ({"和平区": (5, 2, 2, 1, 1)}, None, "1≠2+3"),
        ({"河西区": (4, 1, 3, 2, 2)}, None, "3≠4+5"),
        ({"河西区": (4, 1, 3, 2, 1)}, (5, 1, 4, 3, 1), "合计"),
        ({"南开区": (0, -1, 1, 0, 1)}, None, "负数"),
    ],
)
def test_identity_violation_writes_nothing(tmp_path: Path, cells: dict, total: tuple | None,
                                           message: str) -> None:  # fmt: skip
    report = _report(cells, total)
    with pytest.raises(ReportIdentityError, match=re.escape(message)):
        write_monthly_report(report, tmp_path / "out")
    with pytest.raises(ReportIdentityError):
        write_campaign_page(report, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_identities_hold_for_a_good_report(tmp_path: Path) -> None:
    xlsx, _ = write_monthly_report(_report({"和平区": (5, 3, 2, 1, 1)}), tmp_path)
    assert xlsx.exists()


def test_campaign_page(engine: Engine, campaign: dict[str, str], tmp_path: Path) -> None:
    with session_scope(engine) as s:
        report = monthly_report(s, 2024, 11)
    assert report.total.followed_recommendation == 1  # s1, pushed then hired
    page = write_campaign_page(report, tmp_path)
    text = page.markdown.read_text(encoding="utf-8")
    assert "**60.0%** (6/10)" in text and "**4** / 30,000" in text
    assert "| 和平区 | 5 | 2 | 40.0% | ✘ | 1 | 0 |" in text
    assert "| 滨海新区 | 1 | 1 | 100.0% | ✔ | 1 | 1 |" in text
    assert page.chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------- status, undo


def test_status_stops_recommendations_and_undo_is_audited(
    engine: Engine, campaign: dict[str, str]
) -> None:
    with session_scope(engine) as s:
        status = dict(s.execute(select(PersonRow.id_number, PersonRow.status)).all())
        reason = dict(s.execute(select(PersonRow.id_number, PersonRow.deregistration_reason)).all())
        assert status[campaign["p4"]] == "employed"
        assert status[campaign["p5"]] == "deregistered" and reason[campaign["p5"]] == 12
        assert status[campaign["q4"]] == "registered"  # undone
        history = status_history(s, campaign["q4"])
        assert [(h.kind, h.undone) for h in history] == [("employment", True)]
        audit = s.scalars(
            select(AuditLogRow).where(AuditLogRow.person_id_number == campaign["q4"])
        ).all()
        assert [(a.action, a.key_id) for a in audit] == [
            ("register_employment", "李强"), ("undo_employment", "张主任")]  # fmt: skip
        with pytest.raises(InputError, match="已撤销"):
            undo_status_change(s, history[0].event_id, by="张主任")
        # undoing a deregistration brings back the earlier employment
        employed = register_employment(
            s, campaign["p1"], form="单位就业", on=D(2024, 12, 1), by="a"
        )
        gone = deregister(s, campaign["p1"], reason=12, on=D(2024, 12, 3), by="a")
        assert gone.status.value == "deregistered"
        back = undo_status_change(s, gone.event_id, by="b")
        assert back.status.value == "employed" and employed.status.value == "employed"
        assert s.get(StatusEventRow, gone.event_id).undone_by == "b"  # type: ignore[union-attr]


def test_attribution_to_the_push(engine: Engine, campaign: dict[str, str]) -> None:
    with session_scope(engine) as s:
        (s1,) = status_history(s, campaign["s1"])
        assert s1.outcome_id is not None and s1.posting_id is not None
        (p4,) = status_history(s, campaign["p4"])
        assert p4.outcome_id is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, n: register_employment(s, n, form="打工", on=D(2024, 1, 1)), "就业形式"),
        (lambda s, n: deregister(s, n, reason=13, on=D(2024, 1, 1), by="a"), "1–12"),
        (
            lambda s, n: deregister(s, "120101198503120000", reason=1, on=D(2024, 1, 1), by="a"),
            "未找到",
        ),
    ],
)
def test_status_rejects_bad_input(engine: Engine, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        number = person(s, "河东区")
        with pytest.raises(InputError if message != "未找到" else LookupError, match=message):
            call(s, number)


# ---------------------------------------------------------------------------- flags


@pytest.mark.parametrize(
    ("birth", "gender", "baseline", "age"),
    [
        (D(1964, 12, 31), "男", 50, (60, 0)),
        (D(1965, 1, 1), "男", 50, (60, 1)),
        (D(1965, 4, 30), "男", 50, (60, 1)),
        (D(1965, 5, 1), "男", 50, (60, 2)),
        (D(1966, 1, 15), "男", 50, (60, 4)),
        (D(1976, 5, 1), "男", 50, (62, 11)),
        (D(1976, 8, 31), "男", 50, (62, 11)),
        (D(1976, 9, 1), "男", 50, (63, 0)),
        (D(1990, 1, 1), "男", 50, (63, 0)),
        (D(1969, 12, 1), "女", 55, (55, 0)),
        (D(1970, 1, 1), "女", 55, (55, 1)),
        (D(1971, 1, 1), "女", 55, (55, 4)),
        (D(1981, 9, 1), "女", 55, (58, 0)),
        (D(1974, 12, 1), "女", 50, (50, 0)),
        (D(1975, 1, 1), "女", 50, (50, 1)),
        (D(1975, 2, 28), "女", 50, (50, 1)),
        (D(1975, 3, 1), "女", 50, (50, 2)),
        (D(1976, 1, 1), "女", 50, (50, 7)),
        (D(1984, 9, 1), "女", 50, (54, 11)),
        (D(1984, 11, 1), "女", 50, (55, 0)),
        (D(1995, 6, 1), "女", 50, (55, 0)),
    ],
)
def test_retirement_schedule(birth: D, gender: str, baseline: int, age: tuple[int, int]) -> None:
    got = retirement_age(birth, gender, female_baseline=baseline)
    assert (got.years, got.months) == age


@pytest.mark.parametrize(
    ("birth", "gender", "day"),
    [(D(1965, 1, 20), "男", D(2025, 2, 20)), (D(1975, 1, 31), "女", D(2025, 2, 28)),
     (D(1960, 2, 29), "男", D(2020, 2, 29))],
)  # fmt: skip
def test_retirement_date(birth: D, gender: str, day: D) -> None:
    assert retirement_date(birth, gender) == day


def test_retirement_rejects_unknown_baseline() -> None:
    with pytest.raises(ValueError, match="baseline"):
        retirement_age(D(1980, 1, 1), "女", female_baseline=52)


def test_flags_are_suggestions_only(engine: Engine) -> None:
    as_of = D(2025, 3, 15)
    with session_scope(engine) as s:
        old = person(s, "红桥区", birth="19650120")  # retires 2025-02-20 → flagged
        young = person(s, "红桥区", birth="19650301")  # retires 2025-04-01 → not yet
        woman = person(s, "红桥区", birth="19750110", male=False)  # 50y1m: 2025-02-10 (baseline 50)
        silent = person(s, "东丽区")
        refuser = person(s, "东丽区")
        for n in (old, young, woman, silent, refuser):
            issue_batch(s, [n], batch="A", issued_on=D(2024, 8, 1))
        for n in (old, young, woman, refuser):
            contact(s, n, D(2025, 3, 1))
        contact(s, silent, D(2024, 9, 14))  # last reached > 6 months before 2025-03-15
        for day in (D(2024, 12, 1), D(2025, 1, 1)):
            contact(s, refuser, day, refused=True)
        assert not [f for f in flags(s, as_of) if f.kind == "refusals"]
        contact(s, refuser, D(2025, 2, 1), refused=True)
        got = {(f.id_number, f.kind, f.reason_code) for f in flags(s, as_of)}
        assert got == {(old, "retirement", 1), (woman, "retirement", 1),
                       (silent, "no_contact", 10), (refuser, "refusals", 9)}  # fmt: skip
        cadre = {(f.id_number, f.kind) for f in flags(s, as_of, female_baseline=55)}
        assert (woman, "retirement") not in cadre
        assert {f.id_number for f in flags(s, as_of, district="东丽")} == {silent, refuser}
        # exactly 6 months (2024-09-14 → 2025-03-14) is not more than 6 months
        assert silent not in {
            f.id_number for f in flags(s, D(2025, 3, 14)) if f.kind == "no_contact"
        }
        statuses = set(s.scalars(select(PersonRow.status)).all())
        assert statuses == {"registered"}  # nothing applied


# ---------------------------------------------------------------------------- import, export


def test_contact_import_with_rejects(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as s:
        a, b = person(s, "河北区"), person(s, "河北区")
    wb = Workbook()
    ws = wb.active
    ws.append(["联系服务记录"])
    ws.append(
        [
            "身份证号码",
            "联系服务时间",
            "联系服务方式",
            "联系服务内容",
            "工作人员姓名",
            "联系结果",
            "更新需求",
        ]
    )
    ws.append([a, 20241105, "电话", "推荐保洁岗位", "王芳", "联系上", "技能培训"])
    ws.append([b, "2024-11-06", "上门走访", "入户", "王芳", "联系不上", None])
    ws.append(
        ["120105198503121234", 20241107, "电话", "", "王芳", "联系上", None]
    )  # bad check digit
    ws.append([a, "去年", "电话", "", "王芳", "联系上", None])  # bad date
    ws.append([a, 20241108, "信鸽", "", "王芳", "联系上", None])  # bad method
    ws.append([make_id("120105", "19900101", "555"), 20241109, "短信", "", "王芳", None, None])
    path = tmp_path / "contacts.xlsx"
    wb.save(path)
    with session_scope(engine) as s:
        result = import_contacts(s, path)
        assert [n for n, _ in result.items] == [3, 4]
        assert [(e.row, e.column) for e in result.errors] == [
            (5, "身份证号码"), (6, "联系服务时间"), (7, "联系服务方式"), (8, "身份证号码")]  # fmt: skip
        assert result.items[1][1].method == "上门" and not result.items[1][1].reached
        needs = s.scalar(select(PersonRow.other_needs).where(PersonRow.id_number == a))
        assert needs == ["技能培训"]
    rejects = write_rejects(result)
    assert rejects is not None and len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 5


def test_export_record(engine: Engine, campaign: dict[str, str], tmp_path: Path) -> None:
    with session_scope(engine) as s:
        path = export_record(
            s, campaign["p5"], tmp_path / "r.xlsx", by="王芳", filled_on=D(2024, 11, 21)
        )
        assert (
            s.scalars(
                select(AuditLogRow.action).where(AuditLogRow.person_id_number == campaign["p5"])
            ).all()[-1]
            == "export_record"
        )
        path2 = export_record(s, campaign["p1"], tmp_path / "r1.xlsx")
    ws = load_workbook(path).active
    cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["A1"] == "失业人员联系服务登记表"
    assert (cells["A2"], cells["C2"], cells["D2"]) == ("姓名", "身份证号码", campaign["p5"])
    assert "灵活就业☑" in cells["B9"] and "稳定就业□" in cells["B9"]
    assert "A.家政/保洁☑" in cells["B10"] and "B.物流/仓储/司机□" in cells["B10"]
    assert (cells["A16"], cells["B16"], cells["C16"]) == ("2019-2023", "某超市", "收银员")
    remark = next(v for k, v in cells.items() if isinstance(v, str) and v.startswith("经系统比对"))
    assert (
        "已于2024年11月15日注销失业登记" in remark and "☑死亡" in remark and remark.count("☑") == 1
    )
    ws1 = load_workbook(path2).active
    logged = [[c.value for c in row] for row in ws1.iter_rows() if row[1].value == "电话"]
    assert logged == [["20241105", "电话", "推荐岗位", "王芳"]]


def test_batch_from_file_and_district_override(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as s:
        a, b = person(s, "武清区"), person(s, "宝坻区")
    path = tmp_path / "batch.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["第一批下发名单"])
    ws.append(["姓名", "身份证号码"])
    ws.append(["甲", a])
    ws.append(["乙", b])
    ws.append(["甲", a])
    wb.save(path)
    with session_scope(engine) as s:
        result = issue_batch(s, path, batch="2024-10-A", issued_on=D(2024, 10, 1), district="静海")
    assert result.handed == 2 and result.per_district == {"静海区": 2}
    assert result.already_handed == ((a, "2024-10-A"),)


def test_cli_batch_and_report(engine: Engine, tmp_path: Path) -> None:
    url = str(engine.url)
    with session_scope(engine) as s:
        a = person(s, "蓟州区")
    ids = tmp_path / "ids.csv"
    ids.write_text(f"身份证号码\n{a}\n", encoding="utf-8")
    runner, cli = CliRunner(), typer.Typer()
    cli.add_typer(batch_app, name="batch")
    cli.add_typer(report_app, name="report")
    r = runner.invoke(
        cli, ["batch", "issue", str(ids), "--batch", "B1", "--date", "2024-11-01", "--db", url]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        cli, ["report", "monthly", "--month", "2024-11", "--out", str(tmp_path / "o"), "--db", url]
    )
    assert r.exit_code == 0, r.output
    assert "下发 1 · 联系不到 1 · 联系服务 0" in r.output
    assert len(list((tmp_path / "o").iterdir())) == 4
    r = runner.invoke(cli, ["report", "monthly", "--help"], terminal_width=100)
    assert r.exit_code == 0, r.output
    flat = re.sub(r"[\s│╭╮╰╯─]", "", r.output)
    assert all(re.sub(r"\s", "", rule) in flat for rule in COLUMN_RULES)


@pytest.mark.parametrize(("text", "month"), [("2024-11", (2024, 11)), ("2024年3月", (2024, 3))])
def test_parse_month(text: str, month: tuple[int, int]) -> None:
    assert parse_month(text) == month


def test_parse_month_rejects() -> None:
    with pytest.raises(InputError):
        parse_month("2024-13")
