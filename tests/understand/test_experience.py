"""The trade a posting asks years of experience in, and the trades a person has worked in
(:mod:`matching.understand.experience`): tables of employers' and caseworkers' wording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.understand.experience import (
    TRADES,
    describe_lacking,
    held_trades,
    wanted_trades,
)


def _names(bits: int) -> set[str]:
    return {t.name for t in TRADES if bits & t.bit}


@pytest.mark.parametrize(
    "title, description, years, trades",
    [
        # the words between the years and 经验 name the trade
        ("饭庄厨师", "招炒锅2名，6年以上炒锅经验，包吃住", 6, {"厨师"}),
        ("美发师", "要求4年以上剪烫染经验，底薪加提成", 4, {"美发"}),
        ("办公室助理", "有三年以上行政或文员经验，会Office", 3, {"行政文员"}),
        ("人力专员", "2年以上招聘或薪酬社保工作经验", 2, {"人事"}),
        ("机电维修", "8年以上工厂设备维修经验，会看图纸", 8, {"设备维修", "维修"}),
        ("汽车快修技工", "中专以上汽修专业或两年以上快修经验", 2, {"汽修"}),
        # they name none: the title names it
        ("白案面点师（早班）", "4年以上经验，会做包子花卷", 4, {"面点"}),
        ("预算造价员", "3年以上工作经验，会广联达", 3, {"造价"}),
        # no years asked, or no experience at all: nothing is held against anyone
        ("面点师", "会做包子花卷，有经验者优先", None, set()),
        ("厨师", "经验不限，可培训", 0, set()),
        # a trade the table does not know: nothing either
        ("调音师", "5年以上钢琴调律经验", 5, set()),
    ],
)  # fmt: skip
def test_wanted_trades(title: str, description: str, years: int | None, trades: set[str]) -> None:
    assert _names(wanted_trades(title, description, years)) == trades


@pytest.mark.parametrize(
    "skills, positions, trades",
    [
        ("中式烹调师证，掌勺12年，会鲁菜", ("厨师",), {"厨师"}),
        ("财会专业，会用友", ("出纳",), {"会计"}),
        ("文秘专业，熟练Office", ("行政文员",), {"行政文员"}),
        ("会剪烫染，有美发师证", (), {"美发"}),
        ("", ("设备维修电工",), {"设备维修", "维修", "电工"}),
        ("在饭店端盘子", ("服务员", "领班"), {"餐饮服务"}),
        ("会用电脑", ("奶茶店店员",), {"收银营业"}),
        ("", ("库房保管员",), {"仓储物流"}),
        ("", (), set()),
    ],
)  # fmt: skip
def test_held_trades(skills: str, positions: tuple[str, ...], trades: set[str]) -> None:
    assert _names(held_trades(skills, list(positions))) == trades


@pytest.mark.parametrize(
    "title, description, years, skills, positions, reason",
    [
        # a waiter for a cook's post; a clerk for a pastry chef's
        ("中餐厨师", "6年以上炒锅经验", 6, "持健康证", ("服务员", "领班"),
         "缺少岗位要求的经验：厨师（要求6年以上，本人经历和技能中未见）"),
        ("面点师", "4年以上经验", 4, "会用电脑", ("奶茶店店员",),
         "缺少岗位要求的经验：面点（要求4年以上，本人经历和技能中未见）"),
        ("行政助理", "有三年以上行政或文员经验", 3, "", ("仓库保管",),
         "缺少岗位要求的经验：行政文员（要求3年以上，本人经历和技能中未见）"),
        # the trade is named in skills, a position or the major: no reason
        ("中餐厨师", "6年以上炒锅经验", 6, "炒锅10年", ("帮工",), ""),
        ("汽修机修工", "3年以上机修经验", 3, "汽车检测与维修专业", ("学徒",), ""),
        ("行政助理", "有三年以上行政或文员经验", 3, "", ("前台/行政",), ""),
    ],
)  # fmt: skip
def test_describe_lacking(
    title: str, description: str, years: int, skills: str, positions: tuple[str, ...], reason: str
) -> None:
    wanted = wanted_trades(title, description, years)
    assert wanted  # each case asks years in a known trade
    assert describe_lacking(wanted, held_trades(skills, list(positions)), years) == reason


@given(st.text(max_size=60), st.text(max_size=60), st.integers(min_value=0, max_value=50))
def test_never_raises(title: str, description: str, years: int) -> None:
    assert wanted_trades(title, description, years) >= 0
    assert held_trades(description, [title]) >= 0
