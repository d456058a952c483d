"""A 地点要求 is a strong preference, not a wall: postings outside it rank lower, with a reason.

Only 只/仅/必须 make it a hard filter (tests/rank/test_engine.py). Reasons name how far
outside a posting lies: a district bordering the wanted ones (邻区) or further (较远).
"""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine


def _cleaners() -> list:  # type: ignore[type-arg]
    """The same cleaning job in 河西区, in 南开区 (borders it) and in 蓟州区 (far)."""
    text = "商场保洁 打扫卫生 做六休一"
    jobs = [
        posting(f"c-{d}", "商场保洁员", f"{text} {d}", Category.A, d, 4000, 5000)
        for d in ("河西区", "南开区", "蓟州区")
    ]
    return [
        *jobs,
        posting("cook", "中餐厨师", "炒锅 家常菜 健康证", Category.I, "河西区", 6000, 8000),
    ]


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(_cleaners())


def _seeker(requirement: str, district: str = "河西区"):  # type: ignore[no-untyped-def]
    return person(make_id(seq="222"), "孙丽", (Category.A,), district, "保洁", ("保洁员",),
                  location_requirement=requirement)  # fmt: skip


@pytest.mark.parametrize(
    "requirement, order, reasons",
    [
        # said by a caseworker as the person put it; the order is the ranking of the same job
        (
            "河西区",
            ["c-河西区", "c-南开区", "c-蓟州区"],
            {
                "c-河西区": "符合地点要求：河西区",
                "c-南开区": "超出地点要求（邻区 南开区）：本人要求河西区",
                "c-蓟州区": "超出地点要求（较远 蓟州区）：本人要求河西区",
            },
        ),
        (
            "河西区及周边",
            ["c-河西区", "c-南开区", "c-蓟州区"],
            {
                "c-南开区": "符合地点要求：河西区及周边",
                "c-蓟州区": "超出地点要求（较远 蓟州区）：本人要求河西区及周边",
            },
        ),
        (
            "离家近",  # 7.5 km from a home in 河西区: 南开区's centre is about 7 km away
            ["c-河西区", "c-南开区", "c-蓟州区"],
            {
                "c-河西区": "符合地点要求：离家近",
                "c-蓟州区": "超出地点要求（离家约105公里，超过7.5公里）：本人要求离家近",
            },
        ),
    ],
)
def test_outside_the_requirement_ranks_lower_with_a_reason(
    engine: MatchingEngine, requirement: str, order: list[str], reasons: dict[str, str]
) -> None:
    got = engine.recommend(_seeker(requirement), k=10, today=TODAY)
    got = [m for m in got if m.posting_id != "cook"]
    assert [m.posting_id for m in got] == order  # nothing vanishes
    by_id = {m.posting_id: m for m in got}
    for pid, reason in reasons.items():
        assert reason in by_id[pid].reasons
    area = {m.posting_id: next(t for t in m.terms if t.name == "area") for m in got}
    assert area["c-河西区"].contribution == 0
    assert area["c-蓟州区"].contribution < 0 and area["c-蓟州区"].weight < 0


@pytest.mark.parametrize(
    "requirement, kept",
    [
        ("只在河西区", {"c-河西区"}),
        ("仅限河西区及周边", {"c-河西区", "c-南开区"}),
        ("必须在南开区", {"c-南开区"}),
    ],
)
def test_only_makes_it_a_filter(engine: MatchingEngine, requirement: str, kept: set[str]) -> None:
    got = engine.recommend(_seeker(requirement), k=10, today=TODAY)
    assert {m.posting_id for m in got} - {"cook"} == kept
    assert all(not any(r.startswith("超出地点要求") for r in m.reasons) for m in got)


def test_neighbouring_district_costs_half_of_a_far_one(engine: MatchingEngine) -> None:
    got = {m.posting_id: m for m in engine.recommend(_seeker("河西区"), k=10, today=TODAY)}
    area = {pid: next(t for t in m.terms if t.name == "area") for pid, m in got.items()}
    assert area["c-南开区"].value == 0.5 and area["c-蓟州区"].value == 1.0
