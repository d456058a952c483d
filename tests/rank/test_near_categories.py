"""A posting of a category neighbouring a ticked one (matching.domain.neighbours) gets part of
the category term: below the ticked and the inferred categories, above an unrelated one, with
a reason that says so."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine

C = Category

# Alike but for what the job is (pay, district, date): the category term decides the order.
_POSTS = [
    posting("sell", "门店销售顾问", "接待进店顾客 介绍产品 做六休一", C.F, "河东区", 4500, 5500),
    posting("insure", "保险客户经理", "维护老客户 电话回访 做六休一", C.E, "河东区", 4500, 5500),
    posting("shop", "超市理货员", "商品上架 补货 做六休一", C.M, "河东区", 4500, 5500),
    posting("weld", "电焊工", "厂区钢结构焊接 做六休一", C.J, "河东区", 4500, 5500),
    posting("farm", "大棚种植工", "蔬菜大棚管理 做六休一", C.P, "河东区", 4500, 5500),
]


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        # 销售 ticked: 保险 (E), 营业员 (M) and 普工 (J) are neighbours, 农业 is not
        ((C.F,), {"sell": 1.0, "insure": 0.3, "shop": 0.3, "weld": 0.3, "farm": 0.0}),
        # 财务/保险 ticked: 销售 is a neighbour, 营业员 is not
        ((C.E,), {"sell": 0.3, "insure": 1.0, "shop": 0.0, "weld": 0.0, "farm": 0.0}),
        # ticks nothing: nothing is "near" (only inferred categories count)
        ((), {"sell": 0.0, "insure": 0.0, "shop": 0.0, "weld": 0.0, "farm": 0.0}),
    ],
)
def test_category_term_of_a_neighbouring_category(ticked, expected) -> None:  # type: ignore[no-untyped-def]
    engine = MatchingEngine().fit(_POSTS)
    p = person(make_id(), "孙丽", ticked, "河东区", "")
    got = {m.posting_id: next(t.value for t in m.terms if t.name == "category")
           for m in engine.recommend(p, 5, today=TODAY)}  # fmt: skip
    assert {k: round(v, 4) for k, v in got.items()} == expected


def test_neighbouring_category_ranks_between_ticked_and_unrelated_and_says_why() -> None:
    engine = MatchingEngine().fit(_POSTS)
    p = person(make_id(), "孙丽", (C.E,), "河东区", "")
    matches = engine.recommend(p, 5, today=TODAY)
    order = [m.posting_id for m in matches]
    assert order.index("insure") < order.index("sell") < order.index("farm")
    reason = {m.posting_id: m.reasons[0] for m in matches}
    assert reason["sell"] == "岗位类别：F 销售/市场/客服（与本人勾选的类别相近）"
    assert reason["farm"] == "岗位类别：P 农、林、牧、渔业"


def test_an_inferred_category_counts_more_than_a_neighbour() -> None:
    engine = MatchingEngine().fit(_POSTS)
    # ticked 财务 (F is its neighbour); history says 营业员 (M inferred)
    p = person(make_id(), "孙丽", (C.E,), "河东区", "做过超市营业员", ("超市营业员", "理货员"))
    profile = engine.profile(p, today=TODAY)
    assert C.M in profile.inferred and C.F in profile.near and C.M not in profile.near
    got = {m.posting_id: next(t.value for t in m.terms if t.name == "category")
           for m in engine.recommend(p, 5, today=TODAY)}  # fmt: skip
    assert got["shop"] == pytest.approx(0.6) and got["sell"] == pytest.approx(0.3)


@pytest.mark.parametrize("near", [-0.1, 0.7])
def test_near_value_must_sit_under_inferred(near: float) -> None:
    with pytest.raises(ValueError, match="category_near"):
        MatchingConfig(category_near=near).validate()
