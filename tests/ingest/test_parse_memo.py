"""Each distinct cell of a column is parsed once per file; the result is the same as parsing
every row, rejects included."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.exceptions import InputError
from matching.generator import generate_postings
from matching.ingest import read_postings, write_table
from matching.ingest import rows as rows_module
from matching.ingest.rows import Row


def _sheet(tmp_path: Path) -> Path:
    rows = generate_postings(300, seed=11)
    headers = list(rows[0])
    cells = [[r[h] for h in headers] for r in rows]
    # the same bad date and the same bad head count on several rows: each row is rejected
    for i in (3, 40, 41):
        cells[i][headers.index("有效期起")] = "2024-13-45"
    for i in (7, 90):
        cells[i][headers.index("招聘人数")] = "很多"
    # the same salary line on many rows, and a cell both as text and as number
    for i in range(100, 160):
        cells[i][headers.index("薪资")] = "4000-6000元/月"
    for i in range(160, 170):
        cells[i][headers.index("招聘人数")] = 1 if i % 2 else "1"
    return write_table(tmp_path / "p.xlsx", headers, cells)


def test_memoised_parse_equals_parsing_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _sheet(tmp_path)
    fast = read_postings(path)
    monkeypatch.setattr(rows_module, "_memo_key", lambda *_: None)
    slow = read_postings(path)
    assert fast.items == slow.items
    assert fast.errors == slow.errors
    rejected = {e.row: e.column for e in fast.errors}
    assert rejected == {
        5: "有效期起",
        42: "有效期起",
        43: "有效期起",
        9: "招聘人数",
        92: "招聘人数",
    }
    assert len(fast.items) == 295


_CALLS: list[object] = []


def _plain(value: object) -> str:
    _CALLS.append(value)
    return str(value)


def test_a_cell_is_parsed_once_per_file_and_a_closure_every_time() -> None:
    _CALLS.clear()
    memo: dict[object, object] = {}
    cols, canon = {"x": "X"}, {"x": "X"}
    for _ in range(3):
        assert Row({"X": "a"}, cols, canon, memo).parse("x", _plain) == "a"  # type: ignore[arg-type]
    assert _CALLS == ["a"]
    seen: list[object] = []
    for n in range(3):

        def closure(value: object, n: int = n) -> str:
            seen.append(value)
            return f"{value}{len(seen)}"

        def capturing(value: object) -> str:
            return closure(value)

        Row({"X": "a"}, cols, canon, memo).parse("x", capturing)  # type: ignore[arg-type]
    assert len(seen) == 3


def test_a_memoised_error_still_names_each_row() -> None:
    def bad(value: object) -> str:
        raise InputError("坏 / bad")

    memo: dict[object, object] = {}
    for _ in range(2):
        with pytest.raises(rows_module._RowProblem) as info:
            Row({"X": "v"}, {"x": "X"}, {"x": "X"}, memo).parse("x", bad)  # type: ignore[arg-type]
        assert (info.value.column, info.value.value, info.value.en) == ("X", "v", "bad")


def test_the_description_is_read_only_for_a_blank_requirement_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.understand.requirements as requirements

    read: list[str] = []
    real = requirements.extract_requirements

    def counted(text: str) -> object:
        read.append(text)
        return real(text)

    monkeypatch.setattr(requirements, "extract_requirements", counted)
    headers = ["岗位名称", "岗位描述", "学历要求", "年龄要求", "经验要求"]
    rows = [
        ["保洁员", "要求高中以上学历，25-50岁，1年以上经验", "初中", "18-45岁", "不限"],
        ["保安", "要求高中以上学历，25-50岁，3年以上经验", "初中", "", "不限"],
    ]
    got = [p for _, p in read_postings(write_table(tmp_path / "r.csv", headers, rows)).items]
    assert read == ["要求高中以上学历，25-50岁，3年以上经验"]
    assert (got[0].age_min, got[0].age_max, got[0].education_min) == (18, 45, got[1].education_min)
    assert (got[1].age_min, got[1].age_max) == (25, 50)
