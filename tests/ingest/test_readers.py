"""Reading persons and postings from spreadsheets: formats, header detection, rejects."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from conftest import make_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from matching.domain.categories import Category
from matching.exceptions import InputError, MissingColumnsError
from matching.ingest import (
    LoadResult,
    RowError,
    normalize_header,
    read_persons,
    read_postings,
    read_table,
    write_rejects,
    write_table,
)
from matching.schemas import Education, Gender, PersonStatus, WorkForm, WorkHistoryEntry

TODAY = dt.date(2024, 10, 21)

HEADERS = [
    "姓名", "身份证号码", "性别", "联系电话", "文化程度", "失业登记时间", "常住住址",
    "岗位意愿", "期望薪酬", "所属区", "就业形式", "工作经历", "备注",
]  # fmt: skip

ID_F = make_id("120103", "19850312", "122")  # female
ID_M = make_id("120104", "19790705", "131")  # male
ID_M2 = make_id("120119", "19920101", "151")  # male


def good_rows() -> list[list[object]]:
    return [
        ["王芳", ID_F, "女", "138 1234 5678", "初中", "2024-09-01", "天津市河西区友谊路1号",
         "A、I", "4000", "河西", "☑稳定就业 □灵活就业", "2019.03-2022.06，某物业公司，保洁员", ""],
        ["李强", ID_M, "男", "022-23456789", "高中", "2024/8/15", "天津市南开区鞍山西道",
         "B", "5000", "南开区", "灵活就业", "", "夜班可"],
        ["赵刚", ID_M2, "", "", "", "", "", "", "", "蓟州区", "", "", ""],
    ]  # fmt: skip


def write(path: Path, headers: list[str], rows: list[list[object]], **kw: object) -> Path:
    return write_table(path, headers, rows, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=[".xlsx", ".csv"])
def suffix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# ---------------------------------------------------------------------------- good files


def test_good_persons_round_trip(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"persons{suffix}", HEADERS, good_rows())
    result = read_persons(path, today=TODAY)
    assert result.errors == []
    assert result.rows_read == 3
    assert [n for n, _ in result.items] == [2, 3, 4]
    wang, li, zhao = (p for _, p in result.items)
    assert wang.id_number == ID_F
    assert wang.gender is Gender.FEMALE
    assert wang.birth_date == dt.date(1985, 3, 12)
    assert wang.phone == "13812345678"
    assert wang.education is Education.JUNIOR
    assert wang.registered_on == dt.date(2024, 9, 1)
    assert wang.district == "河西区"  # short name stored as the full one
    assert wang.residence is not None and wang.residence.district == "河西区"
    assert wang.wanted_categories == (Category.A, Category.I)
    assert wang.expected_pay_text == "4000"
    assert wang.expected_pay is not None and wang.expected_pay.monthly_min_yuan == 4000
    assert wang.work_forms == (WorkForm.STABLE,)
    assert wang.work_history == (
        WorkHistoryEntry(period="2019.03-2022.06", employer="某物业公司", position="保洁员"),
    )
    assert wang.status is PersonStatus.REGISTERED and wang.accepts_messages
    assert li.phone == "022-23456789" and li.registered_on == dt.date(2024, 8, 15)
    assert li.note == "夜班可" and li.work_forms == (WorkForm.FLEXIBLE,)
    assert zhao.gender is Gender.MALE  # from the ID when the column is empty
    assert zhao.phone is None and zhao.residence is None and zhao.expected_pay is None
    assert write_rejects(result) is None
    assert not (tmp_path / "persons.rejects.csv").exists()


def test_gbk_csv(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    # ☑ is not in GBK; Excel users there write √ and □
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in row) for row in good_rows()]
    path.write_bytes("\r\n".join(lines).replace("☑", "√").encode("gbk"))
    result = read_persons(path, today=TODAY)
    assert result.errors == []
    assert [p.name for _, p in result.items] == ["王芳", "李强", "赵刚"]
    assert result.items[0][1].work_forms == (WorkForm.STABLE,)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enc.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *good_rows()])
    if encoding == "utf-8-sig":
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    result = read_persons(path, today=TODAY)
    assert result.errors == []
    assert result.items[0][1].name == "王芳"
    assert result.headers[0] == "姓名"  # the BOM is not part of the first header


def test_header_under_title_line(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"t{suffix}", HEADERS, good_rows(), title="失业人员联系服务登记表")
    table = read_table(path)
    assert table.header_row == 3
    assert table.headers == HEADERS
    result = read_persons(path, today=TODAY)
    assert result.errors == []
    assert [n for n, _ in result.items] == [4, 5, 6]


def test_blank_row_above_merged_title(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.cell(row=2, column=1, value="失业人员联系服务登记表")
    ws.merge_cells("A2:M2")
    ws.cell(row=3, column=1, value="填报单位：河西区人力资源和社会保障局")
    for col, header in enumerate(HEADERS, start=1):
        ws.cell(row=5, column=col, value=header)
    for r, row in enumerate(good_rows(), start=6):
        for col, value in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=value if value != "" else None)
    ws.cell(row=12, column=1, value="王五")  # after two empty rows
    path = tmp_path / "form.xlsx"
    wb.save(path)
    result = read_persons(path, today=TODAY)
    assert [n for n, _ in result.items] == [6, 7, 8]
    assert [(e.row, e.column) for e in result.errors] == [(12, "身份证号码")]


def test_empty_rows_are_skipped_not_rejected(tmp_path: Path, suffix: str) -> None:
    rows = good_rows()
    blank = [""] * len(HEADERS)
    path = write(tmp_path / f"gaps{suffix}", HEADERS, [rows[0], blank, blank, rows[1], blank])
    result = read_persons(path, today=TODAY)
    assert result.errors == []
    assert result.rows_read == 2
    assert [n for n, _ in result.items] == [2, 5]


def test_headers_are_normalised(tmp_path: Path) -> None:
    headers = ["*姓名", "身份证号码（18位）", "性 别", "失业登记\n时间", "所属区(必填)"]
    row = ["王芳", ID_F, "女", "2024-09-01", "和平区"]
    result = read_persons(write(tmp_path / "n.csv", headers, [row]), today=TODAY)
    assert result.errors == []
    person = result.items[0][1]
    assert person.registered_on == dt.date(2024, 9, 1) and person.district == "和平区"


def test_english_headers_accepted(tmp_path: Path, suffix: str) -> None:
    headers = ["name", "id_number", "gender", "phone", "registered_on", "district", "status"]
    row = ["王芳", ID_F, "female", "13812345678", "20240901", "hexi", "registered"]
    row[5] = "河西区"
    result = read_persons(write(tmp_path / f"en{suffix}", headers, [row]), today=TODAY)
    assert result.errors == []
    assert result.items[0][1].district == "河西区"
    assert result.items[0][1].registered_on == dt.date(2024, 9, 1)


def test_excel_dates_and_serials(tmp_path: Path) -> None:
    headers = ["姓名", "身份证号码", "所属区", "失业登记时间", "失业时间"]
    rows: list[list[object]] = [
        ["甲", ID_F, "河西区", 45566, dt.datetime(2024, 9, 30, 0, 0)],  # serial + datetime cell
        ["乙", ID_M, "河西区", dt.date(2024, 10, 2), 45500.5],
        ["丙", ID_M2, "河西区", 20241003, "2024年9月1日"],
    ]
    result = read_persons(write(tmp_path / "d.xlsx", headers, rows), today=TODAY)
    assert result.errors == []
    got = [(p.registered_on, p.unemployed_since) for _, p in result.items]
    assert got == [
        (dt.date(2024, 10, 1), dt.date(2024, 9, 30)),
        (dt.date(2024, 10, 2), dt.date(2024, 7, 27)),
        (dt.date(2024, 10, 3), dt.date(2024, 9, 1)),
    ]


def test_district_from_residential_address(tmp_path: Path) -> None:
    headers = ["姓名", "身份证号码", "所属区", "常住住址"]
    rows = [
        ["甲", ID_F, "", "天津市红桥区西青道100号"],
        ["乙", ID_M, "", "北京市朝阳区某路"],
        ["丙", ID_M2, "", ""],
    ]
    result = read_persons(write(tmp_path / "a.csv", headers, rows), today=TODAY)
    assert [p.district for _, p in result.items] == ["红桥区"]
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属区"), (4, "所属区")]
    assert "常住住址" in result.errors[0].reason_zh and "residential" in result.errors[0].reason_en


def test_residence_same_as_household(tmp_path: Path) -> None:
    headers = ["姓名", "身份证号码", "所属区", "户籍地址", "常住住址"]
    rows = [
        ["甲", ID_F, "", "天津市津南区咸水沽镇", "同上"],
        ["乙", ID_M, "河西区", "天津市河北区某路", "同户籍地址"],
    ]
    result = read_persons(write(tmp_path / "same.csv", headers, rows), today=TODAY)
    assert result.errors == []
    jia, yi = (p for _, p in result.items)
    assert jia.residential_address == "天津市津南区咸水沽镇" and jia.district == "津南区"
    assert yi.residence is not None and yi.residence.district == "河北区"
    assert yi.district == "河西区"  # the district in charge is what the sheet says


def test_status_and_reason(tmp_path: Path) -> None:
    headers = ["姓名", "身份证号码", "所属区", "人员状态", "注销原因", "接收短信微信"]
    rows = [
        ["甲", ID_F, "河西区", "已注销", "被用人单位录用", "否"],
        ["乙", ID_M, "河西区", "", "12", ""],
        ["丙", ID_M2, "河西区", "已注销", "", ""],
    ]
    result = read_persons(write(tmp_path / "s.csv", headers, rows), today=TODAY)
    got = [(p.status, p.deregistration_reason, p.accepts_messages) for _, p in result.items]
    assert got == [(PersonStatus.DEREGISTERED, 2, False), (PersonStatus.DEREGISTERED, 12, True)]
    assert [(e.row, e.column) for e in result.errors] == [(4, "注销原因")]


# ---------------------------------------------------------------------------- refusals


def test_missing_required_columns_refused(tmp_path: Path, suffix: str) -> None:
    path = write(
        tmp_path / f"m{suffix}", ["姓名", "性别", "联系电话"], [["王芳", "女", "13812345678"]]
    )
    with pytest.raises(MissingColumnsError) as info:
        read_persons(path)
    assert info.value.missing == ["身份证号码"]  # 所属区 may be absent: the 附件2 form has none
    assert "身份证号码" in str(info.value) and "missing required columns" in str(info.value)


def test_missing_title_column_refused_for_postings(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", ["招聘单位", "薪资"], [["某公司", "4000-5000"]])
    with pytest.raises(MissingColumnsError) as info:
        read_postings(path)
    assert info.value.missing == ["岗位名称"]


@pytest.mark.parametrize(
    "name, bad",
    [("x.xls", b"\xd0\xcf\x11\xe0"), ("x.json", b"{}"), ("x.xlsx", b"not a zip")],
)
def test_unreadable_files(tmp_path: Path, name: str, bad: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(bad)
    with pytest.raises(InputError) as info:
        read_persons(path)
    assert " / " in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_persons(tmp_path / "nope.xlsx")


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30\xff" * 10)
    with pytest.raises(InputError, match="UTF-8"):
        read_table(path)


# column: the header named by the reject; zh/en: substrings of the two reasons
BAD_ROWS = [
    pytest.param(
        [
            "坏校验",
            ID_F[:-1] + ("0" if ID_F[-1] != "0" else "1"),
            "女",
            "",
            "",
            "",
            "",
            "",
            "",
            "河西区",
            "",
            "",
            "",
        ],
        "身份证号码",
        "校验位",
        "check digit",
        id="bad-check-digit",
    ),
    pytest.param(
        ["性别错", make_id(seq="133"), "女", "", "", "", "", "", "", "河西区", "", "", ""],
        "性别",
        "身份证号码",
        "ID number",
        id="gender-mismatch",
    ),
    pytest.param(
        ["日期错", make_id(seq="144"), "", "", "", "2024-02-30", "", "", "", "河西区", "", "", ""],
        "失业登记时间",
        "日期不存在",
        "no such date",
        id="impossible-date",
    ),
    pytest.param(
        ["乱写日期", make_id(seq="146"), "", "", "", "上个月", "", "", "", "河西区", "", "", ""],
        "失业登记时间",
        "无法识别的日期",
        "cannot read date",
        id="garbage-date",
    ),
    pytest.param(
        ["未来", make_id(seq="155"), "", "", "", "2030-01-01", "", "", "", "河西区", "", "", ""],
        "失业登记时间",
        "晚于今天",
        "future",
        id="future-registration",
    ),
    pytest.param(
        ["出生前", make_id(seq="157"), "", "", "", "1980-01-01", "", "", "", "河西区", "", "", ""],
        "失业登记时间",
        "早于出生日期",
        "before birth",
        id="registered-before-birth",
    ),
    pytest.param(
        ["外区", make_id(seq="166"), "", "", "", "", "", "", "", "朝阳区", "", "", ""],
        "所属区",
        "16个区",
        "16 districts",
        id="unknown-district",
    ),
    pytest.param(
        ["错电话", make_id(seq="177"), "", "1381234", "", "", "", "", "", "河西区", "", "", ""],
        "联系电话",
        "电话号码无效",
        "invalid phone",
        id="bad-phone",
    ),
    pytest.param(
        ["", make_id(seq="188"), "", "", "", "", "", "", "", "河西区", "", "", ""],
        "姓名",
        "姓名为空",
        "name is empty",
        id="no-name",
    ),
    pytest.param(
        ["乱意愿", make_id(seq="199"), "", "", "", "", "", "开飞船", "", "河西区", "", "", ""],
        "岗位意愿",
        "岗位意愿",
        "job category",
        id="unknown-category",
    ),
    pytest.param(
        ["乱形式", make_id(seq="202"), "", "", "", "", "", "", "", "河西区", "打零工", "", ""],
        "就业形式",
        "就业形式",
        "form of work",
        id="unknown-work-form",
    ),
    pytest.param(
        ["学历", make_id(seq="204"), "", "", "私塾", "", "", "", "", "河西区", "", "", ""],
        "文化程度",
        "学历",
        "education",
        id="unknown-education",
    ),
]


@pytest.mark.parametrize("bad, column, zh, en", BAD_ROWS)
def test_bad_row_is_rejected_and_good_rows_load(
    tmp_path: Path, suffix: str, bad: list[object], column: str, zh: str, en: str
) -> None:
    good = good_rows()
    path = write(tmp_path / f"bad{suffix}", HEADERS, [good[0], bad, good[1]])
    result = read_persons(path, today=TODAY)
    assert [n for n, _ in result.items] == [2, 4]
    assert result.rows_read == 3
    [error] = result.errors
    assert isinstance(error, RowError)
    assert (error.row, error.column) == (3, column)
    assert zh in error.reason_zh and en in error.reason_en
    assert error.reason_en.isascii() or en in error.reason_en
    assert error.original["姓名"] == (bad[0] or None)
    assert error.value == bad[HEADERS.index(column)] or (error.value is None and column == "姓名")


def test_duplicate_id_rejects_the_later_row(tmp_path: Path, suffix: str) -> None:
    good = good_rows()
    dup = list(good[0])
    dup[0] = "王芳二"
    dup[1] = ID_F.lower()  # same number written differently
    path = write(tmp_path / f"dup{suffix}", HEADERS, [good[0], good[1], dup])
    result = read_persons(path, today=TODAY)
    assert [p.name for _, p in result.items] == ["王芳", "李强"]
    [error] = result.errors
    assert (error.row, error.column) == (4, "身份证号码")
    assert "与第2行" in error.reason_zh and "row 2" in error.reason_en


def test_many_bad_rows_each_give_exactly_one_error(tmp_path: Path) -> None:
    bad_rows = [p.values[0] for p in BAD_ROWS]
    rows = [*good_rows(), *bad_rows]  # type: ignore[list-item]
    result = read_persons(write(tmp_path / "all.csv", HEADERS, rows), today=TODAY)
    assert len(result.items) == 3
    assert len(result.errors) == len(bad_rows)
    assert len(result.items) + len(result.errors) == result.rows_read
    assert sorted(e.row for e in result.errors) == list(range(5, 5 + len(bad_rows)))


def test_rejects_file_has_original_values(tmp_path: Path, suffix: str) -> None:
    good = good_rows()
    bad = list(good[1])
    bad[3] = "12345"  # bad phone
    bad[5] = "2024/8/15"
    path = write(tmp_path / f"persons{suffix}", HEADERS, [good[0], bad])
    result = read_persons(path, today=TODAY)
    out = write_rejects(result)
    assert out == tmp_path / "persons.rejects.csv"
    raw = out.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"  # BOM, so Excel reads UTF-8
    with out.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    assert records[0] == [*HEADERS, "行号", "列", "值", "原因", "reason"]
    [record] = records[1:]
    assert record[: len(HEADERS)] == [str(v) for v in bad]
    assert record[len(HEADERS) : len(HEADERS) + 3] == ["3", "联系电话", "12345"]
    assert "电话号码无效" in record[-2] and "invalid phone" in record[-1]
    # the rejects file opens with our own reader, too
    again = read_table(out)
    assert again.rows[0][1]["身份证号码"] == ID_M


def test_write_rejects_to_given_path(tmp_path: Path) -> None:
    result: LoadResult[object] = LoadResult(
        file=str(tmp_path / "x.xlsx"),
        errors=[RowError(7, "性别", "未知", "无法识别的性别", "unknown gender", {"性别": "未知"})],
        rows_read=1,
    )
    out = write_rejects(result, tmp_path / "elsewhere.csv")
    assert out == tmp_path / "elsewhere.csv"
    with out.open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[1] == [
            "未知",
            "7",
            "性别",
            "未知",
            "无法识别的性别",
            "unknown gender",
        ]


# ---------------------------------------------------------------------------- postings

POSTING_HEADERS_ROW = [
    "岗位名称", "岗位描述", "招聘单位", "工作地址", "所在区", "薪资", "招聘人数", "学历要求",
    "年龄要求", "岗位类别", "有效期起", "有效期至", "联系电话",
]  # fmt: skip


def posting_rows() -> list[list[object]]:
    return [
        ["小区保洁员", "负责楼道保洁，要求初中以上学历，年龄18-50岁", "某物业公司", "天津市河西区友谊路",
         "", "4000-5000元/月", "3人", "", "", "A", "2024-10-01", "2024-12-31", "13812345678"],
        ["货车司机", "市内配送", "某物流公司", "武清区杨村", "武清", "6000-8000", "若干", "高中",
         "20-45岁", "物流/仓储/司机", "2024-10-01", "", "022-23456789"],
        ["外地岗位", "", "", "", "", "面议", "", "", "", "", "", "", ""],
    ]  # fmt: skip


def test_good_postings_round_trip(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"postings{suffix}", POSTING_HEADERS_ROW, posting_rows())
    result = read_postings(path)
    assert result.errors == []
    clean, driver, far = (p for _, p in result.items)
    assert clean.district == "河西区" and clean.location is not None  # from the address
    assert clean.location.district == "河西区"
    assert clean.salary_text == "4000-5000元/月"
    assert clean.salary is not None and clean.salary.monthly_min_yuan == 4000
    assert clean.headcount == 3 and clean.category is Category.A
    assert clean.education_min is Education.JUNIOR  # from the description
    assert (clean.age_min, clean.age_max) == (18, 50)
    assert clean.valid_until == dt.date(2024, 12, 31)
    assert driver.district == "武清区" and driver.headcount is None
    assert driver.category is Category.B and driver.education_min is Education.SENIOR
    assert (driver.age_min, driver.age_max) == (20, 45)
    assert driver.contact_phone == "022-23456789"
    assert far.district is None and far.category is None and far.id == ""


@pytest.mark.parametrize(
    "index, value, column, zh, en",
    [
        (0, "", "岗位名称", "岗位名称为空", "title is empty"),
        (11, "2024-09-01", "有效期至", "早于有效期起", "before valid from"),
        (4, "海淀区", "所在区", "16个区", "16 districts"),
        (9, "Z", "岗位类别", "岗位类别", "category"),
        (6, "好多人", "招聘人数", "招聘人数", "headcount"),
        (12, "123", "联系电话", "电话号码无效", "invalid phone"),
        (0, "岗" * 201, "岗位名称", "岗位名称", "title"),  # refused by the Posting model
    ],
)
def test_bad_posting_rows(
    tmp_path: Path, index: int, value: str, column: str, zh: str, en: str
) -> None:
    rows = posting_rows()
    bad = list(rows[1])
    bad[index] = value
    result = read_postings(write(tmp_path / "p.xlsx", POSTING_HEADERS_ROW, [rows[0], bad]))
    assert [n for n, _ in result.items] == [2]
    [error] = result.errors
    assert (error.row, error.column) == (3, column)
    assert zh in error.reason_zh and en in error.reason_en


def test_read_table_without_known_headers(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.csv", ["a", "b"], [["1", "x"], ["", ""], ["2", ""]])
    table = read_table(path)
    assert table.headers == ["a", "b"] and table.header_row == 1
    assert table.rows == [(2, {"a": "1", "b": "x"}), (4, {"a": "2", "b": None})]


def test_normalize_header() -> None:
    assert normalize_header(" 失业登记\n时间 ") == "失业登记时间"
    assert normalize_header("所属区（必填）") == "所属区必填"
    assert normalize_header("ID_Number") == "id_number"
    assert normalize_header(None) == ""


# ---------------------------------------------------------------------------- properties

_cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["男", "女", "河西", "2024-02-30", "20241001", "☑稳定就业", "1381234567", "A"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cell, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=5))
def test_every_row_is_loaded_or_rejected(rows: list[list[str]]) -> None:
    ids = [ID_F, ID_M, ID_M2, "12010319850312122X", ""]
    rows = [[r[0], ids[i % len(ids)], *r[2:]] for i, r in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        result = read_persons(write(Path(tmp) / "h.csv", HEADERS, rows), today=TODAY)
        assert len(result.items) + len(result.errors) == result.rows_read
        for error in result.errors:
            assert error.reason_zh and error.reason_en
        if result.errors:
            assert write_rejects(result) is not None


# ---------------------------------------------------------------------------- performance


@pytest.mark.slow
def test_twenty_thousand_rows_are_read(tmp_path: Path) -> None:
    """A district's whole sheet in one file (its speed is measured by bench/bench_ingest.py)."""
    rows = []
    for i in range(20_000):
        idn = make_id("120103", f"198503{1 + i // 1000:02d}", f"{i % 1000:03d}")  # all distinct
        rows.append(
            [f"人{i}", idn, "", f"138{i:08d}", "初中", "2024-09-01", "天津市河西区友谊路",
             "A、I", "4000-5000", "河西区", "稳定就业", "2019.03-2022.06，某物业公司，保洁员", ""]
        )  # fmt: skip
    path = write(tmp_path / "big.xlsx", HEADERS, rows)
    result = read_persons(path, today=TODAY)
    assert result.rows_read == 20_000
    assert result.errors == [] and len(result.items) == 20_000
    assert len({person.id_number for _, person in result.items}) == 20_000


def test_named_sheet_and_numeric_id_cells(tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "说明"
    first.append(["本表说明"])
    ws = wb.create_sheet("人员")
    ws.append(["姓名", "身份证号码", "所属区"])
    ws.append(["甲", float(ID_F[:17] + "0") if ID_F[-1] == "X" else float(ID_F), "河西区"])
    ws.append(["乙", ID_M, "河西区"])
    path = tmp_path / "sheets.xlsx"
    wb.save(path)
    result = read_persons(path, sheet="人员", today=TODAY)
    assert [p.name for _, p in result.items] == ["乙"]
    [error] = result.errors
    assert error.column == "身份证号码" and "文本" in error.reason_zh and "text" in error.reason_en
    with pytest.raises(MissingColumnsError):
        read_persons(path, today=TODAY)  # the first sheet has no person columns
    with pytest.raises(InputError, match="人员"):
        read_persons(path, sheet="名单")
