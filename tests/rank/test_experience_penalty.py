"""A posting that asks years in a trade the person's history and skills never name costs half
the ``schedule`` penalty and says why; a person who has worked in it pays nothing. Never a
filter: the posting stays in the list."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting, schedule_penalties

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            posting("cook", "中餐厨师", "饭庄招炒锅，6年以上炒锅经验，包两餐", Category.I, "河西区", 7000, 8000, experience_years=6),
            posting("pastry", "面点师", "点心铺招面点师，4年以上经验，早班", Category.I, "河西区", 5500, 6500, experience_years=4),
            posting("waiter", "餐厅服务员", "中餐厅招服务员，无经验可培训", Category.I, "河西区", 4500, 5000, experience_years=0),
            posting("helper", "后厨帮工", "洗菜切配，后厨卫生，能吃苦", Category.I, "河西区", 4000, 4500),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "skills, positions, penalised",
    [
        ("服务员、领班8年，会收银", ("服务员", "领班"), {"cook": 0.5, "pastry": 0.5}),
        ("炒锅12年，会天津菜", ("厨师",), {"pastry": 0.5}),
        ("会做包子花卷、糕点", ("面点", "厨师"), {}),
    ],
)  # fmt: skip
def test_years_in_an_unnamed_trade_cost_half_the_penalty_with_a_reason(
    engine: MatchingEngine, skills: str, positions: tuple[str, ...], penalised: dict[str, float]
) -> None:
    seeker = person(make_id(seq="617"), "刘芳", (Category.I,), "河西区", skills, positions)
    matches = engine.recommend(seeker, k=10, today=TODAY)
    ranked = [m.posting_id for m in matches]
    assert sorted(ranked) == ["cook", "helper", "pastry", "waiter"]  # a penalty, never a filter
    assert schedule_penalties(matches, "缺少岗位要求的经验：") == penalised
    if "cook" in penalised:
        cook = matches[ranked.index("cook")]
        assert "缺少岗位要求的经验：厨师（要求6年以上，本人经历和技能中未见）" in cook.reasons
        assert ranked.index("waiter") < ranked.index("cook")


def test_saved_engine_keeps_what_postings_ask(engine: MatchingEngine, tmp_path) -> None:
    engine.save(tmp_path / "snap")
    loaded = MatchingEngine.load(tmp_path / "snap")
    assert (loaded.table_.experience == engine.table_.experience).all()
    assert engine.table_.experience[engine.row_of_["cook"]] != 0
