"""备注 in ranking: a shift the person cannot work costs the ``schedule`` penalty and says why."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            posting("days", "包装工", "食品厂包装 长白班 8:00-17:00", Category.J, "河西区", 4500, 5500),
            posting("rota", "包装工", "食品厂包装 两班倒 夜班补贴", Category.J, "河西区", 4500, 5500),
            posting("short", "包装工", "食品厂包装 9:00-14:30 做五休二", Category.J, "河西区", 4500, 5500),
            posting("cook", "中餐厨师", "炒锅 家常菜 健康证", Category.I, "蓟州区", 6000, 8000),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "note, penalised, reason",
    [
        ("厂子关了，想找个长白班，不想倒夜班", {"rota"}, "班次不符（岗位两班倒）：本人备注：想找个长白班"),
        # a six-hour window: "cook" states no hours and offers no part of a day, a full day
        ("孩子上学，只能上午9点到下午3点", {"days", "rota", "cook"},
         "工作时间不符（岗位8:00-17:00）：本人备注：上午9点到下午3点"),
        ("能接受倒班", set(), ""),
        ("", set(), ""),
    ],
)  # fmt: skip
def test_a_shift_the_person_cannot_work_ranks_lower_with_a_reason(
    engine: MatchingEngine, note: str, penalised: set[str], reason: str
) -> None:
    seeker = person(make_id(seq="412"), "马军", (Category.J,), "河西区", "包装 普工", ("包装工",),
                    note=note)  # fmt: skip
    got = {m.posting_id: m for m in engine.recommend(seeker, k=10, today=TODAY)}
    assert {"days", "rota", "short"} <= set(got)  # a penalty, never a filter
    schedule = {pid: next(t for t in m.terms if t.name == "schedule") for pid, m in got.items()}
    assert {pid for pid, t in schedule.items() if t.contribution < 0} == penalised
    if reason:
        assert any(reason in r for pid in penalised for r in got[pid].reasons)
    order = [pid for pid in got if pid != "cook"]
    fine = [p for p in order if p not in penalised]
    assert order[: len(fine)] == fine
