"""A posting that requires a certificate the person does not name costs the ``schedule``
penalty (half for a 健康证) and says which, never a filter."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting, schedule_penalties

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            posting("licensed", "物业电工", "必须持低压电工作业证，负责小区配电维护", Category.H, "河西区", 5500, 6500),
            posting("either", "电梯维保工", "持电梯作业人员证或电工证，做六休一", Category.H, "河西区", 6000, 7000),
            posting("plus", "物业维修工", "维修水电门窗，持电工证者优先", Category.H, "河西区", 4500, 5500),
            posting("canteen", "食堂帮厨", "择菜切配，需健康证", Category.H, "河西区", 4000, 4500),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "skills, penalised",
    [
        ("维修电工10年，持低压电工作业证，有健康证", {}),
        ("维修电工10年，持低压电工作业证", {"canteen": 0.5}),
        ("家装水电15年，没有电工证", {"licensed": 1.0, "either": 1.0, "canteen": 0.5}),
    ],
)  # fmt: skip
def test_a_missing_certificate_costs_the_penalty_with_a_reason(
    engine: MatchingEngine, skills: str, penalised: dict[str, float]
) -> None:
    seeker = person(make_id(seq="613"), "王强", (Category.H,), "河西区", skills, ("维修电工",))
    matches = engine.recommend(seeker, k=10, today=TODAY)
    got = {m.posting_id: m for m in matches}
    assert set(got) == {"licensed", "either", "plus", "canteen"}  # a penalty, never a filter
    assert schedule_penalties(matches, "缺少岗位要求的证书：") == penalised
    if "licensed" in penalised:
        assert "缺少岗位要求的证书：电工证（本人技能中未写明）" in got["licensed"].reasons
