"""Certificates a posting requires and a person holds."""

from __future__ import annotations

import pytest

from matching.understand.certificates import (
    CERTIFICATES,
    describe_missing,
    held,
    missing,
    required,
)


def _names(bits: int) -> set[str]:
    return {c.name for c in CERTIFICATES if bits & c.bit}


@pytest.mark.parametrize(
    "text, all_of, any_of",
    [
        ("必须持低压电工作业证，有两年物业维修经验", {"电工证"}, set()),
        ("需持焊工证上岗", {"焊工证"}, set()),
        ("持有效叉车证，会用扫码枪", {"叉车证"}, set()),
        ("护士执业证书在有效期内，能倒班", {"护士执业证书"}, set()),
        ("需健康证，包一餐", {"健康证"}, set()),
        ("持电梯作业人员证或电工证", set(), {"电梯作业证", "电工证"}),
        ("城市配送司机（C1），熟悉市区道路", set(), {"C1驾照"}),
        ("需A2或B2驾照，驾龄3年以上", set(), {"A2驾照", "B2驾照"}),
        ("持叉车证优先", set(), set()),  # a plus, not a requirement
        ("有电工证者优先考虑", set(), set()),
        ("需办健康证（可入职后办理）", set(), set()),
        ("有养老护理员证或医院护工经验", set(), set()),
        ("无证可免费培训取证", set(), set()),
        ("会电脑打字，熟练Excel", set(), set()),
        ("负责凭证录入、报税", set(), set()),  # 凭证 is a voucher, not a certificate
    ],
)  # fmt: skip
def test_required(text: str, all_of: set[str], any_of: set[str]) -> None:
    got_all, got_any = required(text)
    assert (_names(got_all), _names(got_any)) == (all_of, any_of)


@pytest.mark.parametrize(
    "skills, names",
    [
        ("持低压电工作业证（有效期至2027年），维修电工10年", {"电工证"}),
        ("持叉车证（N1），仓库叉车工5年", {"叉车证"}),
        ("中式烹调师四级证，健康证，炒锅6年", {"烹调师证", "健康证"}),
        ("B2驾照，驾龄12年", {"B2驾照", "C1驾照", "C2驾照", "C3驾照"}),
        ("瓦工15年，也会水电，没有电工证", set()),
        ("护理专业应届，尚未取得护士执业证书", set()),
        ("原小区保安，无保安员证", set()),
        ("会开天车（无证）", set()),
        ("会电脑办公", set()),
    ],
)  # fmt: skip
def test_held(skills: str, names: set[str]) -> None:
    assert _names(held(skills)) == names


@pytest.mark.parametrize(
    "posting, skills, lacks",
    [
        ("必须持低压电工作业证", "维修电工，持低压电工证", set()),
        ("必须持低压电工作业证", "水电改造，没有电工证", {"电工证"}),
        ("持电梯作业人员证或电工证", "持低压电工作业证", set()),
        ("持电梯作业人员证或电工证", "会开车", {"电梯作业证", "电工证"}),
        ("城市配送司机（B2）", "A2驾照，驾龄15年", set()),  # A2 permits B2
        ("城市配送司机（B2）", "C1驾照", {"B2驾照"}),
        ("需持焊工证，需健康证", "有健康证", {"焊工证"}),
    ],
)  # fmt: skip
def test_missing(posting: str, skills: str, lacks: set[str]) -> None:
    assert _names(missing(*required(posting), held(skills))) == lacks


def test_describe_missing() -> None:
    bits = missing(*required("必须持低压电工作业证，需健康证"), 0)
    assert describe_missing(bits) == "缺少岗位要求的证书：健康证、电工证（本人技能中未写明）"
    assert describe_missing(0) == ""
