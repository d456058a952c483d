"""备注 in ranking: a part-timer's hours scale hourly and daily pay; health limits and a
part-time day cost the ``schedule`` penalty, each with a reason in plain Chinese."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.schemas import Match
from matching.understand.salary import parse_expected_pay, parse_salary


def _paid(pid: str, title: str, desc: str, pay: str) -> object:
    return posting(pid, title, desc, Category.M, "河西区", 0, 0, salary_text=pay,
                   salary=parse_salary(pay))  # fmt: skip


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            _paid("hourly", "便利店店员", "便利店理货收银，每天可排4-6小时", "20元/小时"),
            _paid("daily", "商场促销员", "周末商场促销，站立服务", "150元/天"),
            _paid("monthly", "超市收银员", "超市收银，做六休一", "3500-4000元/月"),
            _paid("shift", "超市理货员", "理货上架，需搬运货物，早班7:00-15:00", "3800元/月"),
            _paid("halfday", "门店导购", "门店导购，全职或半天均可", "3000-3600元/月"),
            _paid("events", "会展礼仪", "周末会展，每次约8小时，可兼职", "200元/天"),
        ]
    )


def _seeker(note: str, pay: str) -> object:
    return person(make_id(seq="522"), "刘芳", (Category.M,), "河西区", "收银 理货", ("收银员",),
                  note=note, expected_pay_text=pay, expected_pay=parse_expected_pay(pay))  # fmt: skip


def _by_id(engine: MatchingEngine, note: str, pay: str) -> dict[str, Match]:
    return {m.posting_id: m for m in engine.recommend(_seeker(note, pay), k=10, today=TODAY)}


def _term(m: Match, name: str) -> float:
    return next(t.value for t in m.terms if t.name == name)


@pytest.mark.parametrize(
    "note, pay, pid, salary, reason",
    [
        # 20 × 4 h × 21.75 d = 1,740 against 2,000 expected: 0.87 → (0.87 − 0.6) / 0.4
        ("只能做兼职，每天4小时", "2000以上", "hourly", 0.675, "时薪20元，按每天4小时约1,740元/月，低于期望2000元"),
        # full time: 20 × 174 = 3,480 ≥ 3,000
        ("", "3000以上", "hourly", 1.0, "时薪20元，按每天8小时约3,480元/月，高于期望3000元"),
        # weekends only: 150 × 8.67 = 1,300 against 1,500
        ("只有周末有空", "1500以上", "daily", 0.667, "日薪150元，按每月约8.7天约1,300元/月，低于期望1500元"),
        # an hourly expectation is scaled the same way: 25 × 4 × 21.75 = 2,175 against 1,740
        ("每天4小时", "每小时25以上", "hourly", 0.5, "时薪20元，按每天4小时约1,740元/月，低于期望2175元"),
        # a monthly posting is not scaled
        ("每天4小时", "2000以上", "monthly", 1.0, "月薪3500-4000元，高于期望2000元"),
    ],
)  # fmt: skip
def test_hourly_and_daily_pay_count_for_the_hours_the_person_can_work(
    engine: MatchingEngine, note: str, pay: str, pid: str, salary: float, reason: str
) -> None:
    m = _by_id(engine, note, pay)[pid]
    assert _term(m, "salary") == pytest.approx(salary, abs=0.002)
    assert reason in m.reasons


@pytest.mark.parametrize(
    "note, penalised, reason",
    [
        # a part-timer: a posting offering no part of a day is too long a day
        ("孩子小，只能做兼职，每天4-5小时", {"monthly": 1.0, "shift": 1.0, "events": 1.0},
         ("monthly", "工作时长不符（岗位全职，约8小时/天）：本人备注：每天4-5小时")),
        # a part-time posting that states a long day: its stated day counts (8 − 6.5 h)
        ("只能做兼职，每天6.5小时", {"monthly": 0.75, "shift": 0.75, "events": 0.75},
         ("events", "工作时长不符（岗位每天约8小时）：本人备注：每天6.5小时")),
        # health limits: the posting that demands the very thing
        ("腰不好，不能搬重物", {"shift": 1.0},
         ("shift", "体力要求不符（岗位：搬运）：本人备注：腰不好")),
        ("不能久站", {"daily": 1.0}, ("daily", "站立要求不符（岗位：站立服务）：本人备注：不能久站")),
        # a window: 7:00-15:00 against 9:00-15:00 is two hours outside
        ("只能九点到三点", {"shift": 1.0, "monthly": 1.0, "events": 1.0},
         ("shift", "工作时间不符（岗位7:00-15:00）：本人备注：九点到三点")),
        # one hour outside: half; a 7-hour window is one hour short of a full-time day
        ("只能八点到三点", {"shift": 0.5, "monthly": 0.5, "events": 0.5},
         ("shift", "工作时间不符（岗位7:00-15:00）：本人备注：八点到三点")),
        ("", {}, None),
    ],
)  # fmt: skip
def test_limits_and_part_time_days_cost_the_schedule_penalty_with_a_reason(
    engine: MatchingEngine, note: str, penalised: dict[str, float], reason: tuple[str, str] | None
) -> None:
    got = _by_id(engine, note, "")
    assert set(got) == {"hourly", "daily", "monthly", "shift", "halfday", "events"}  # no filter
    assert {pid: _term(m, "schedule") for pid, m in got.items() if _term(m, "schedule")} == (
        penalised
    )
    if reason is not None:
        assert reason[1] in got[reason[0]].reasons
    assert not any("不符" in r for pid in set(got) - set(penalised) for r in got[pid].reasons)
