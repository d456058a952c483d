"""A 公益性岗位 for another street costs the ``schedule`` penalty and says why."""

from __future__ import annotations

import pytest
from conftest import TODAY, loc, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine

_TEXT = "公益性岗位3个，限本街道户籍或常住的就业困难人员，协助网格巡查"


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    return MatchingEngine().fit(
        [
            posting("here", "社区网格员", f"长虹街道{_TEXT}", Category.D, "南开区", 2600, 2600,
                    location=loc("南开区", "长虹街道")),
            posting("there", "社区网格员", f"学府街道{_TEXT}，政策入户宣传", Category.D, "南开区",
                    2600, 2600, location=loc("南开区", "学府街道")),
            posting("office", "行政文员", "办公室文员 会电脑 五险一金", Category.D, "南开区", 4000, 4500),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "street, penalised",
    [("长虹街道", {"there"}), ("学府街道", {"here"}), (None, set())],  # unknown street: no verdict
)
def test_a_community_post_of_another_street_ranks_lower_with_a_reason(
    engine: MatchingEngine, street: str | None, penalised: set[str]
) -> None:
    seeker = person(make_id(seq="714"), "赵敏", (Category.D,), "南开区", "网格 信息采集", (),
                    residence=loc("南开区", street))  # fmt: skip
    got = {m.posting_id: m for m in engine.recommend(seeker, k=10, today=TODAY)}
    assert set(got) == {"here", "there", "office"}  # never a filter
    values = {pid: next(t.value for t in m.terms if t.name == "schedule") for pid, m in got.items()}
    assert {pid for pid, v in values.items() if v == 1.0} == penalised
    for pid in penalised:
        other = "学府街道" if pid == "there" else "长虹街道"
        assert f"公益性岗位限{other}户籍或常住人员：本人常住{street}" in got[pid].reasons
