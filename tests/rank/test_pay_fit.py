"""The salary term reads pay as the employer wrote it: base + commission with a stated typical
income is compared with the expected pay through that income, and the reason says so."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.understand.salary import parse_expected_pay, parse_salary


def _sales(pid: str, line: str, description: str):  # type: ignore[no-untyped-def]
    p = posting(pid, "门店销售顾问", f"接待顾客 介绍产品 {description}", Category.F, "河西区", 1, 2)
    return p.model_copy(update={"salary_text": line, "salary": parse_salary(line)})


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            _sales("typical", "底薪3000+提成", "底薪3000+提成，月均7000-10000，五险"),
            _sales("base-only", "底薪3000+提成", "做得好月入过万"),
            _sales("plain", "4500-5500元/月", "排班制"),
        ]
    )


@pytest.mark.parametrize(
    "pid, salary_value, reason",
    [
        ("typical", 1.0, "底薪3000元+提成，综合月收入约7000-10000元，高于期望6000元"),
        # nothing typical stated: the base is a floor, the rest unknown (never below 0.5)
        ("base-only", 0.5, "底薪3000元+提成，底薪低于期望6000元（提成另计）"),
        ("plain", (5000 / 6000 - 0.6) / 0.4, "月薪4500-5500元，低于期望6000元"),
    ],
)
def test_commission_pay_is_judged_by_the_stated_typical_income(
    engine: MatchingEngine, pid: str, salary_value: float, reason: str
) -> None:
    seeker = person(make_id(seq="312"), "周涛", (Category.F,), "河西区", "销售", ("导购",),
                    expected_pay_text="六千左右", expected_pay=parse_expected_pay("六千左右"))  # fmt: skip
    got = {m.posting_id: m for m in engine.recommend(seeker, k=10, today=TODAY)}
    term = next(t for t in got[pid].terms if t.name == "salary")
    assert term.value == pytest.approx(salary_value, abs=1e-3)
    assert reason in got[pid].reasons
