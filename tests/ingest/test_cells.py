"""Cell parsers (matching.ingest.cells and .choices): table-driven cases and "only InputError"
properties."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.exceptions import InputError
from matching.ingest.cells import (
    is_blank,
    normalize_phone,
    parse_date,
    parse_headcount,
    parse_work_history,
)
from matching.ingest.choices import (
    parse_bool,
    parse_deregistration_reason,
    parse_gender,
    parse_other_needs,
    parse_status,
    parse_work_forms,
)
from matching.schemas import Gender, OtherNeed, PersonStatus, WorkForm, WorkHistoryEntry

D = dt.date(2024, 10, 1)


def _bilingual(exc: InputError) -> None:
    zh, sep, en = exc.message.partition(" / ")
    assert sep, exc.message
    assert any("\u4e00" <= c <= "\u9fff" for c in zh), exc.message
    assert en.isascii() or any(c.isascii() and c.isalpha() for c in en), exc.message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-10-01", D),
        ("2024/10/1", D),
        ("20241001", D),
        ("2024年10月1日", D),
        ("2024年10月01日", D),
        ("2024.10.01", D),
        ("2024.10.1", D),
        ("２０２４－１０－０１", D),  # full-width
        (" 2024-10-01 ", D),
        ("2024-10-01 08:30:00", D),
        ("2024-10-01T08:30", D),
        (dt.date(2024, 10, 1), D),
        (dt.datetime(2024, 10, 1, 15, 30), D),
        (pd.Timestamp("2024-10-01 12:00"), D),
        (45566, D),  # Excel serial
        (45566.75, D),  # serial with a time of day
        ("45566", D),
        (20241001, D),  # a number cell typed as YYYYMMDD
        (20241001.0, D),
        (36526, dt.date(2000, 1, 1)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        (None, None),
        ("", None),
        ("   ", None),
        (float("nan"), None),
        (pd.NaT, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",  # impossible
        "2023-02-29",
        "2024-13-01",
        "20241301",
        "2024年10月32日",
        "昨天",
        "2024-10",
        "24.10.1",
        "abc",
        2024,  # a year, not a serial
        -5,
        float("inf"),
        99_999_999_999,
        True,
        20240230,
    ],
)
def test_parse_date_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_date(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 138 1234 5678", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("022-12345678", "022-12345678"),
        ("02212345678", "022-12345678"),
        ("(022)12345678", "022-12345678"),
        ("（022）2345 6789", "022-23456789"),
        ("12345678", "022-12345678"),  # Tianjin local number
        (23456789, "022-23456789"),
        ("010-87654321", "010-87654321"),
        ("0316-1234567", "0316-1234567"),
        ("03161234567", "0316-1234567"),
    ],
)
def test_normalize_phone(value: object, expected: str) -> None:
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "12812345678",  # 12x is not a mobile prefix
        "1234567",
        "022-1234",
        "电话",
        "13812345678/13987654321",
        "+1 4155550100",
        True,
        "01234567",
    ],
)
def test_normalize_phone_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        normalize_phone(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("男", Gender.MALE),
        ("女", Gender.FEMALE),
        (" 女性 ", Gender.FEMALE),
        ("男性", Gender.MALE),
        ("M", Gender.MALE),
        ("female", Gender.FEMALE),
        (1, Gender.MALE),
        (2.0, Gender.FEMALE),
        ("", None),
        (None, None),
    ],
)
def test_parse_gender(value: object, expected: Gender | None) -> None:
    assert parse_gender(value) == expected


@pytest.mark.parametrize("value", ["未知", "x", 3, "男女"])
def test_parse_gender_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_gender(value)
    _bilingual(info.value)


S, F, E = WorkForm.STABLE, WorkForm.FLEXIBLE, WorkForm.SELF_EMPLOYED


@pytest.mark.parametrize(
    "value, expected",
    [
        ("稳定就业", (S,)),
        ("稳定就业、灵活就业", (S, F)),
        ("灵活就业,稳定就业；自主创业", (F, S, E)),
        ("☑稳定就业 □灵活就业 □自主创业", (S,)),
        ("□稳定就业 ☑灵活就业 ☑自主创业", (F, E)),
        ("√稳定就业 √灵活就业", (S, F)),
        ("[√]稳定就业 [ ]灵活就业", (S,)),
        ("稳定就业√ 灵活就业 自主创业√", (S, E)),
        ("□稳定就业 □灵活就业", ()),
        ("稳定 灵活", (S, F)),
        ("稳定就业、稳定就业", (S,)),
        ("stable", (S,)),
        ("无", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_parse_work_forms(value: object, expected: tuple[WorkForm, ...]) -> None:
    assert parse_work_forms(value) == expected


@pytest.mark.parametrize("value", ["临时工", "☑稳定就业 ☑打零工", "稳定就业、兼职"])
def test_parse_work_forms_refuses(value: str) -> None:
    with pytest.raises(InputError) as info:
        parse_work_forms(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("技能培训", (OtherNeed.SKILLS_TRAINING,)),
        ("补贴申领、职业指导", (OtherNeed.SUBSIDY, OtherNeed.GUIDANCE)),
        (
            "☑补贴申领 □职业指导 □技能培训 ☑创业培训",
            (OtherNeed.SUBSIDY, OtherNeed.STARTUP_TRAINING),
        ),
        ("创业培训；技能培训", (OtherNeed.STARTUP_TRAINING, OtherNeed.SKILLS_TRAINING)),
        ("暂无", ()),
        (None, ()),
    ],
)
def test_parse_other_needs(value: object, expected: tuple[OtherNeed, ...]) -> None:
    assert parse_other_needs(value) == expected


@pytest.mark.parametrize("value", ["培训", "想找个近点的", "☑贷款"])
def test_parse_other_needs_refuses(value: str) -> None:
    with pytest.raises(InputError) as info:
        parse_other_needs(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("登记失业", PersonStatus.REGISTERED),
        ("在册", PersonStatus.REGISTERED),
        ("已注销", PersonStatus.DEREGISTERED),
        ("注销", PersonStatus.DEREGISTERED),
        ("已就业", PersonStatus.EMPLOYED),
        ("employed", PersonStatus.EMPLOYED),
        ("Registered", PersonStatus.REGISTERED),
        ("", None),
    ],
)
def test_parse_status(value: object, expected: PersonStatus | None) -> None:
    assert parse_status(value) == expected


@pytest.mark.parametrize("value", ["失联", "待定", 1])
def test_parse_status_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_status(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, 1),
        (12, 12),
        (2.0, 2),
        ("3", 3),
        ("（2）被用人单位录用", 2),
        ("第11项", 11),
        ("4. 从事非全日制工作", 4),
        ("达到法定退休年龄", 1),
        ("已领取基本养老金", 1),
        ("被用人单位录用", 2),
        ("到公益性岗位就业", 2),
        ("个体经营，已办理营业执照", 3),
        ("从事非全日制、新就业形态就业，月收入不低于最低工资", 4),
        ("灵活就业并缴纳社会保险", 5),
        ("升学", 6),
        ("应征服兵役", 6),
        ("移居境外", 6),
        ("完全丧失劳动能力", 7),
        ("被判刑收监执行", 8),
        ("连续3次拒绝公共就业服务机构提供的服务", 9),
        ("超过6个月未与公共就业服务机构联系", 10),
        ("户籍迁往外省", 11),
        ("联系不上，电话号码缺失", 11),
        ("死亡", 12),
        (None, None),
        ("", None),
    ],
)
def test_parse_deregistration_reason(value: object, expected: int | None) -> None:
    assert parse_deregistration_reason(value) == expected


@pytest.mark.parametrize("value", [0, 13, "13", "(0)", "不想说", True])
def test_parse_deregistration_reason_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_deregistration_reason(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("yes", True),
        ("TRUE", True),
        (1, True),
        (0, False),
        (1.0, True),
        ("1", True),
        ("0", False),
        ("√", True),
        ("×", False),
        (True, True),
        (False, False),
        ("", None),
        (None, None),
    ],
)
def test_parse_bool(value: object, expected: bool | None) -> None:
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["也许", 2, "ok"])
def test_parse_bool_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_bool(value)
    _bilingual(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("3人", 3),
        ("10名", 10),
        ("3-5人", 5),
        ("十人", 10),
        ("二十", 20),
        ("两名", 2),
        ("若干", None),
        ("若干名", None),
        ("不限", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_headcount(value: object, expected: int | None) -> None:
    assert parse_headcount(value) == expected


@pytest.mark.parametrize("value", [-1, 2.5, "很多", "三百万", True])
def test_parse_headcount_refuses(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_headcount(value)
    _bilingual(info.value)


W = WorkHistoryEntry


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "2019.03-2022.06，某物业公司，保洁员",
            (W(period="2019.03-2022.06", employer="某物业公司", position="保洁员"),),
        ),
        (
            "2019.03-2022.06|某物业公司|保洁员",
            (W(period="2019.03-2022.06", employer="某物业公司", position="保洁员"),),
        ),
        (
            "2015.01-2018.12，某饭店，厨师\n2019.03-2022.06，某物业公司，保洁员",
            (
                W(period="2015.01-2018.12", employer="某饭店", position="厨师"),
                W(period="2019.03-2022.06", employer="某物业公司", position="保洁员"),
            ),
        ),
        (
            "2015-2018,某厂,普工；2019-至今,某超市,收银员",
            (
                W(period="2015-2018", employer="某厂", position="普工"),
                W(period="2019-至今", employer="某超市", position="收银员"),
            ),
        ),
        (
            "2019.03-2022.06 某物业公司 保洁员",
            (W(period="2019.03-2022.06", employer="某物业公司", position="保洁员"),),
        ),
        ("2018-2020，保安", (W(period="2018-2020", position="保安"),)),
        ("2018-2020，某物业公司", (W(period="2018-2020", employer="某物业公司"),)),
        ("某物业公司，保洁员", (W(employer="某物业公司", position="保洁员"),)),
        ("保洁员", (W(position="保洁员"),)),
        (
            "2019|某公司|司机|兼装卸",
            (W(period="2019", employer="某公司", position="司机，兼装卸"),),
        ),
        ("\n\n2019|某公司|司机\n", (W(period="2019", employer="某公司", position="司机"),)),
        ("无", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_parse_work_history(value: object, expected: tuple[WorkHistoryEntry, ...]) -> None:
    assert parse_work_history(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, True),
        ("", True),
        ("  ", True),
        (float("nan"), True),
        (pd.NaT, True),
        (0, False),
        ("x", False),
    ],
)
def test_is_blank(value: object, expected: bool) -> None:
    assert is_blank(value) is expected


# -- properties: on any input, a parser returns or raises InputError, nothing else

_cells = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789-/.年月日 :+()（）☑□√、，;|\n稳定灵活就业创业男女是否人若干"),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
_PARSERS = [
    parse_date,
    normalize_phone,
    parse_gender,
    parse_work_forms,
    parse_other_needs,
    parse_status,
    parse_deregistration_reason,
    parse_bool,
    parse_headcount,
    parse_work_history,
]


@pytest.mark.parametrize("parser", _PARSERS, ids=lambda f: f.__name__)
@given(value=_cells)
def test_parsers_raise_only_input_error(parser: object, value: object) -> None:
    try:
        parser(value)  # type: ignore[operator]
    except InputError as exc:
        _bilingual(exc)


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_every_written_form(day: dt.date) -> None:
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        day.strftime("%Y%m%d"),
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y.%m.%d"),
        (day - dt.date(1899, 12, 30)).days,
    ]
    assert {parse_date(f) for f in forms} == {day}


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_numbers_survive_decoration(number: str) -> None:
    decorated = f"+86 {number[:3]}-{number[3:7]} {number[7:]}"
    assert normalize_phone(decorated) == normalize_phone(number) == number
