"""Tests for matching.understand.requirements: education, age and experience cells and descriptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.schemas import Education, Posting
from matching.understand.requirements import (
    AGE_MAX,
    AGE_MIN,
    extract_requirements,
    parse_age_range,
    parse_education,
    parse_experience_years,
)

E = Education


@pytest.mark.parametrize(
    "text, expected",
    [
        ("大专及以上", E.COLLEGE),
        ("大专以上学历", E.COLLEGE),
        ("专科", E.COLLEGE),
        ("大学专科", E.COLLEGE),
        ("高职", E.COLLEGE),
        ("高中以上学历", E.SENIOR),
        ("高中", E.SENIOR),
        ("中专/技校", E.SENIOR),
        ("中专", E.SENIOR),
        ("职高", E.SENIOR),
        ("中技", E.SENIOR),
        ("高中（中专）及以上", E.SENIOR),
        ("大专或中专", E.SENIOR),  # the lowest named level is the requirement
        ("本科", E.BACHELOR),
        ("本科以上", E.BACHELOR),
        ("大学本科", E.BACHELOR),
        ("全日制本科及以上", E.BACHELOR),
        ("硕士", E.MASTER),
        ("研究生", E.MASTER),
        ("博士", E.DOCTOR),
        ("初中", E.JUNIOR),
        ("初中及以上", E.JUNIOR),
        ("小学", E.PRIMARY),
        ("初中以下", E.NONE),  # an upper bound sets no minimum
        ("学历不限", E.NONE),
        ("不限", E.NONE),
        ("无要求", E.NONE),
        ("无", E.NONE),
        ("学历不限，大专优先", E.NONE),
        ("ＢＡＣＨＥＬＯＲ本科", E.BACHELOR),
        ("", None),
        ("   ", None),
        ("包吃住", None),
        ("熟悉办公软件", None),
        (None, None),
        (3, None),
    ],
)
def test_parse_education(text: object, expected: Education | None) -> None:
    assert parse_education(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("18-45岁", (18, 45)),
        ("18-45", (18, 45)),
        ("18—45周岁", (18, 45)),
        ("18~45岁", (18, 45)),
        ("20至35周岁", (20, 35)),
        ("20到35岁", (20, 35)),
        ("年龄 30-50 周岁", (30, 50)),
        ("45岁以下", (None, 45)),
        ("45周岁以内", (None, 45)),
        ("不超过35周岁", (None, 35)),
        ("男55岁以内", (None, 55)),
        ("男55岁以内，女50岁以内", (None, 55)),  # the widest: no one wrongly excluded
        ("年龄18周岁以上", (18, None)),
        ("16周岁（含）以上", (16, None)),
        ("18岁以上", (18, None)),
        ("18岁以上45岁以下", (18, 45)),
        ("三十五岁以下", (None, 35)),
        ("十八至四十五岁", (18, 45)),
        ("不限", (None, None)),
        ("年龄不限", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
        ("45-18岁", (None, None)),  # contradicts itself
        ("1985-1995", (None, None)),  # birth years, not ages
        ("8-12岁", (None, None)),  # below working age
        ("35岁", (None, None)),  # one age is no range
    ],
)
def test_parse_age_range(text: object, expected: tuple[int | None, int | None]) -> None:
    assert parse_age_range(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1年经验", 1),
        ("1年", 1),
        ("2年经验", 2),
        ("3-4年", 3),
        ("5-7年", 5),
        ("8-9年", 8),
        ("10年以上", 10),
        ("10年以上经验", 10),
        ("一年以上", 1),
        ("两年以上", 2),
        ("三年以上工作经验", 3),
        ("半年以上", 0),
        ("无工作经验", 0),
        ("无需经验", 0),
        ("经验不限", 0),
        ("不限", 0),
        ("应届毕业生", 0),
        ("有无经验均可", 0),
        ("", None),
        (None, None),
        ("本科", None),
        ("2015年", None),
    ],
)
def test_parse_experience_years(text: object, expected: int | None) -> None:
    assert parse_experience_years(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("年龄18-50岁，身体健康，初中以上学历",
         {"education_min": E.JUNIOR, "age_min": 18, "age_max": 50}),
        ("男女不限，年龄18岁以上，中专或以上学历，能适应倒班",
         {"education_min": E.SENIOR, "age_min": 18}),
        ("1、30岁以下，大专以上学历，会计专业优先 2、3年以上的工作经验",
         {"education_min": E.COLLEGE, "age_max": 30, "experience_years": 3}),
        ("条件：年龄在 18 — 50 周岁，能吃苦", {"age_min": 18, "age_max": 50}),
        ("年龄﹕16周岁（含）以上，持健康证；高中（中专）及以上学历",
         {"education_min": E.SENIOR, "age_min": 16}),
        ("1. 18-35周岁，身体健康。 2. 学历要求：高中及高中以上。 3．工作经验：做过餐饮者优先,无经验亦可",
         {"education_min": E.SENIOR, "age_min": 18, "age_max": 35, "experience_years": 0}),
        ("两年以上的仓库管理经验，本科或以上学历",
         {"education_min": E.BACHELOR, "experience_years": 2}),
        ("工作经验：一年以上，学历：大专以上", {"education_min": E.COLLEGE, "experience_years": 1}),
        ("有相关工作经验2年，中专以上学历", {"education_min": E.SENIOR, "experience_years": 2}),
        ("不限学历，18-30岁，会骑电动车", {"education_min": E.NONE, "age_min": 18, "age_max": 30}),
        ("年龄22-30，形象好", {"age_min": 22, "age_max": 30}),
        # Numbers and words that are not requirements.
        ("团队平均年龄25岁，氛围轻松", {}),
        ("本厂建于2009年，占地30亩，员工200人", {}),
        ("我们看重能力而不是学历", {}),
        ("欢迎大专、本科应届生报名", {"experience_years": 0}),
        ("身高165以上，普通话标准", {}),
        ("", {}),
    ],
)  # fmt: skip
def test_extract_requirements(text: str, expected: dict[str, object]) -> None:
    assert extract_requirements(text) == expected


def test_extract_requirements_on_non_text() -> None:
    assert extract_requirements(None) == {}  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties

_REQLIKE = st.text(alphabet="0123456789-~至到岁周年龄以上下内含（）()学历大专本科初中高中中专不限经验无一二三十两半:：，、 ",
                   max_size=40)  # fmt: skip


@given(st.one_of(st.text(max_size=200), _REQLIKE))
def test_parsers_never_raise_and_stay_in_range(text: str) -> None:
    level = parse_education(text)
    assert level is None or isinstance(level, Education)
    lo, hi = parse_age_range(text)
    assert lo is None or hi is None or lo <= hi
    assert all(v is None or AGE_MIN <= v <= AGE_MAX for v in (lo, hi))
    years = parse_experience_years(text)
    assert years is None or 0 <= years <= 50


@given(st.one_of(st.text(max_size=300), _REQLIKE))
def test_extracted_requirements_always_fit_a_posting(text: str) -> None:
    found = extract_requirements(text)
    assert set(found) <= {"education_min", "age_min", "age_max", "experience_years"}
    Posting(title="岗位", description=text, **found)  # the schema accepts whatever is found


@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text())))
def test_parsers_never_raise_on_any_object(value: object) -> None:
    assert parse_education(value) is None
    assert parse_age_range(value) == (None, None)
    assert parse_experience_years(value) is None
    assert extract_requirements(value) == {}  # type: ignore[arg-type]


# ---------------------------------------------------------------- real data


@pytest.mark.shared
def test_real_education_and_experience_cells_parse(shared_data: Path) -> None:
    import pandas as pd

    cells: list[str] = []
    jsonl = shared_data / "postings-1dagong" / "postings.jsonl"
    with jsonl.open(encoding="utf-8") as f:
        cells.extend(str(json.loads(line).get("education") or "") for line in f if line.strip())
    frame = pd.read_csv(shared_data / "51job" / "51job-2023.csv", dtype=str, keep_default_na=False)
    cells.extend(frame["学历要求"])
    filled = [c for c in cells if c.strip()]
    assert len(filled) > 1000
    assert all(parse_education(c) is not None for c in filled), [
        c for c in filled if parse_education(c) is None
    ][:5]
    experience = [c for c in frame["工作经验"] if c.strip()]
    assert experience and all(parse_experience_years(c) is not None for c in experience)


@pytest.mark.shared
def test_descriptions_give_requirements_that_fit_postings(shared_data: Path) -> None:
    jsonl = shared_data / "postings-1dagong" / "postings.jsonl"
    with jsonl.open(encoding="utf-8") as f:
        descriptions = [
            str(json.loads(line).get("description") or "") for line in f if line.strip()
        ]
    found = [extract_requirements(d) for d in descriptions]
    for d, req in zip(descriptions, found, strict=True):
        Posting(title="岗位", description=d, **req)
    # Real postings state an age or an education in a good share of descriptions.
    assert sum("age_min" in r or "age_max" in r for r in found) / len(found) > 0.2
    assert sum("education_min" in r for r in found) / len(found) > 0.2


def test_docstring_examples_hold() -> None:
    import doctest

    from matching.understand import requirements

    assert doctest.testmod(requirements).failed == 0


def test_a_description_read_again_gives_a_fresh_equal_dict() -> None:
    # descriptions are cached (a reposted job repeats its text): no caller may change another's
    text = "年龄18-50岁，初中以上学历，1年以上工作经验"
    first = extract_requirements(text)
    first["age_min"] = 99
    assert extract_requirements(text) == {
        "education_min": Education.JUNIOR, "age_min": 18, "age_max": 50, "experience_years": 1
    }  # fmt: skip


@pytest.mark.parametrize(
    "text, years",
    [("工龄两年以上", 2), ("要求工龄3年", 3), ("应届毕业生可", 0), ("在校生兼职", 0),
     ("有3年以上从业", 3), ("3年以上工作经历", 3), ("3年以上", None), ("做过3年", None)],
)  # fmt: skip
def test_experience_in_a_description_needs_its_words(text: str, years: int | None) -> None:
    assert extract_requirements(text).get("experience_years") == years
