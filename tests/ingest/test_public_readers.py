"""The public readers of matching.ingest: a bureau file → schema objects + row errors, no database.

Each test writes a small file of its own (csv and xlsx) and reads it through
``matching.ingest.read_persons`` / ``read_postings``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import make_id

import matching.ingest
from matching.domain.categories import Category
from matching.ingest import LoadResult, RowError, read_persons, read_postings, write_table
from matching.schemas import Gender, Person, Posting

TODAY = dt.date(2024, 10, 21)
ID_F = make_id("120103", "19850312", "122")  # female
ID_M = make_id("120104", "19790705", "131")  # male
ID_M2 = make_id("120119", "19920101", "151")  # male


@pytest.fixture(params=[".csv", ".xlsx"])
def suffix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_readers_are_exported_from_the_package() -> None:
    for name in ("read_persons", "read_postings", "LoadResult", "RowError"):
        assert name in matching.ingest.__all__
        assert hasattr(matching.ingest, name)


def test_read_persons_returns_persons_and_row_errors(tmp_path: Path, suffix: str) -> None:
    headers = ["姓名", "身份证号码", "性别", "联系电话", "所属区", "失业登记时间"]
    rows = [
        ["王芳", ID_F, "女", "13812345678", "河西区", "2024-09-01"],
        ["李强", ID_M, "男", "022-23456789", "南开区", "2024-08-15"],
        ["坏行", ID_M2, "男", "1381234", "南开区", ""],  # bad phone (row 4)
    ]
    path = write_table(tmp_path / f"persons{suffix}", headers, rows)

    result = read_persons(path, today=TODAY)

    assert isinstance(result, LoadResult)
    assert result.file == str(path) and result.rows_read == 3
    assert [number for number, _ in result.items] == [2, 3]
    persons = [person for _, person in result.items]
    assert all(isinstance(p, Person) for p in persons)
    assert [(p.name, p.id_number, p.gender, p.district) for p in persons] == [
        ("王芳", ID_F, Gender.FEMALE, "河西区"),
        ("李强", ID_M, Gender.MALE, "南开区"),
    ]
    assert persons[0].registered_on == dt.date(2024, 9, 1)
    (error,) = result.errors
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.value) == (4, "联系电话", "1381234")
    assert error.reason_zh and error.reason_en
    assert error.original["姓名"] == "坏行"


def test_read_postings_returns_postings_and_row_errors(tmp_path: Path, suffix: str) -> None:
    headers = ["岗位名称", "招聘单位", "所在区", "薪资", "岗位类别", "招聘人数"]
    rows = [
        ["保洁员", "某物业公司", "河西区", "4000-5000元/月", "A", "3"],
        ["货车司机", "某物流公司", "东丽区", "6000-8000元/月", "B", "2人"],
        ["仓管员", "某仓储公司", "河东区", "5000元/月", "A", "很多"],  # bad headcount (row 4)
    ]
    path = write_table(tmp_path / f"postings{suffix}", headers, rows)

    result = read_postings(path)

    assert isinstance(result, LoadResult)
    assert result.rows_read == 3
    assert [number for number, _ in result.items] == [2, 3]
    postings = [posting for _, posting in result.items]
    assert all(isinstance(p, Posting) for p in postings)
    assert [(p.title, p.employer, p.district, p.category, p.headcount) for p in postings] == [
        ("保洁员", "某物业公司", "河西区", Category.A, 3),
        ("货车司机", "某物流公司", "东丽区", Category.B, 2),
    ]
    assert postings[0].salary is not None and postings[0].salary.monthly_min_yuan == 4000
    (error,) = result.errors
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.value) == (4, "招聘人数", "很多")
    assert error.original["岗位名称"] == "仓管员"
