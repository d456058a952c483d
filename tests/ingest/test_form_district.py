"""A persons sheet laid out as the 附件2 form (no 所属区 column): the district in charge is read
from 常住住址, then 户籍地址; a row is rejected, with its reason, only when neither gives one."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import make_id

from matching.ingest import read_persons, write_rejects

TODAY = dt.date(2024, 10, 21)
FORM_HEADERS = ["序号", "姓名", "身份证号码", "性别", "联系电话", "文化程度", "专业/技能",
                "失业登记时间", "失业时间", "户籍地址", "常住住址", "就业形式", "岗位意愿",
                "期望薪酬", "地点要求", "其他需求", "工作经历", "备注"]  # fmt: skip

# (常住住址, 户籍地址, expected district in charge, or None = rejected)
CASES = [
    ("天津市红桥区西青道100号", "天津市河西区友谊路1号", "红桥区"),  # residence first
    ("北京市朝阳区某路", "天津市南开区鞍山西道", "南开区"),  # lives outside: household's
    ("", "天津市津南区咸水沽镇", "津南区"),  # no residence written
    ("同上", "天津市宝坻区南城路", "宝坻区"),  # the form's 同上 = the household address
    ("塘沽新港路", "", "滨海新区"),  # former district name
    ("北京市朝阳区某路", "河北省沧州市某村", None),  # neither in Tianjin
    ("", "", None),  # nothing written
]


def _form_sheet(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["失业人员联系服务登记表"])  # the form's title line above the header
        w.writerow(FORM_HEADERS)
        for i, (residential, household, _) in enumerate(CASES):
            row = dict.fromkeys(FORM_HEADERS, "")
            row |= {"序号": i + 1, "姓名": f"人员{i}", "性别": "男",
                    "身份证号码": make_id("120103", "19800101", f"{10 + 2 * i:02d}1"),
                    "常住住址": residential, "户籍地址": household, "岗位意愿": "A"}  # fmt: skip
            w.writerow([row[h] for h in FORM_HEADERS])
    return path


@pytest.fixture
def result(tmp_path: Path):
    return read_persons(_form_sheet(tmp_path / "form.csv"), today=TODAY)


def test_form_without_district_column_imports(result) -> None:
    got = {p.name: p.district for _, p in result.items}
    expected = {f"人员{i}": d for i, (_, _, d) in enumerate(CASES) if d is not None}
    assert got == expected


def test_rows_without_any_district_are_rejected_with_their_reason(result, tmp_path) -> None:
    rejected_rows = [i + 3 for i, (_, _, d) in enumerate(CASES) if d is None]  # title+header
    assert [e.row for e in result.errors] == rejected_rows
    first = result.errors[0]
    assert first.column == "所属区"
    assert "常住住址（北京市朝阳区某路）" in first.reason_zh
    assert "户籍地址（河北省沧州市某村）" in first.reason_zh
    assert "household address (河北省沧州市某村)" in first.reason_en
    assert "常住住址（空）" in result.errors[1].reason_zh
    rejects = write_rejects(result)
    assert rejects is not None and "河北省沧州市某村" in rejects.read_text(encoding="utf-8-sig")


def test_district_column_still_wins_when_present(tmp_path: Path) -> None:
    path = tmp_path / "with.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["姓名", "身份证号码", "所属区", "常住住址", "户籍地址"])
        w.writerow(["甲", make_id("120103", "19800101", "121"), "河西区", "天津市红桥区西青道", ""])
        w.writerow(["乙", make_id("120103", "19800101", "141"), "", "", "天津市东丽区张贵庄"])
    result = read_persons(path, today=TODAY)
    assert [(p.name, p.district) for _, p in result.items] == [("甲", "河西区"), ("乙", "东丽区")]
