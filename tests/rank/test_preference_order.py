"""Issue 14, kind 5: the order of the ticked categories is the person's preference; a person
who ticks nothing gets categories inferred from skills and history, marked as inferred."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TODAY, make_id, person, posting

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.rank.profiles import make_profile, ticked_value
from matching.rank.scoring import score_rows
from matching.rank.tables import PostingTable

C = Category


@pytest.mark.parametrize(("rank", "value"), [(0, 1.0), (1, 0.9), (2, 0.8), (3, 0.8), (7, 0.8)])
def test_category_value_by_place_on_the_form(rank: int, value: float) -> None:
    assert float(ticked_value(rank, MatchingConfig())) == pytest.approx(value)


# Postings alike (title, pay, district, date; one neutral word apart) but for their category.
_CATS = (C.A, C.M, C.H, C.I, C.K)
_GATES = ("东门", "西门", "南门", "北门", "中门")


def _postings():  # type: ignore[no-untyped-def]
    return [
        posting(f"p{c.value}", "店员", f"门店工作 长白班 {gate}", c, "河西区", 4000, 5000)
        for c, gate in zip(_CATS, _GATES, strict=True)
    ]


# (ticked in form order, inferred, expected category term per posting A, M, H, I, K)
# (the test of neighbouring categories themselves is tests/rank/test_near_categories.py)
CASES = [
    ((C.A, C.M, C.H), (), (1.0, 0.9, 0.8, 0.0, 0.3)),  # K neighbours A (domain.neighbours)
    ((C.H, C.M, C.A), (), (0.8, 0.9, 1.0, 0.0, 0.3)),  # same set, other order
    ((C.M,), (C.I,), (0.0, 1.0, 0.0, 0.6, 0.0)),
    ((C.A, C.M, C.H, C.I), (C.K,), (1.0, 0.9, 0.8, 0.8, 0.6)),  # floor 0.8, above inferred
    ((), (C.I, C.K), (0.0, 0.0, 0.0, 0.6, 0.6)),  # ticks nothing: inferred only
]


@pytest.mark.parametrize(("ticked", "inferred", "expected"), CASES)
def test_category_term_follows_the_form_order(ticked, inferred, expected) -> None:  # type: ignore[no-untyped-def]
    config = MatchingConfig()
    table = PostingTable.from_postings(_postings())
    profile = make_profile(ticked=ticked, inferred=inferred, district="河西区")
    rows = np.arange(len(_CATS), dtype=np.int64)
    scored = score_rows(profile, table, rows, np.zeros(len(_CATS), np.float32), today=TODAY,
                        config=config)  # fmt: skip
    got = dict(zip(scored.keep.tolist(), scored.values["category"].tolist(), strict=True))
    assert [round(got[r], 4) for r in rows.tolist()] == list(expected)


def test_first_ticked_category_ranks_first_and_later_ones_say_their_place() -> None:
    engine = MatchingEngine().fit(_postings())
    p = person(make_id(), "王芳", (C.H, C.M, C.A), "河西区", "")
    matches = engine.recommend(p, 5, today=TODAY)
    assert [m.posting_id for m in matches][:3] == ["pH", "pM", "pA"]
    first = {m.posting_id: m.reasons[0] for m in matches}
    assert first["pH"].endswith("（本人勾选）")
    assert "本人勾选的第2意愿" in first["pM"] and "本人勾选的第3意愿" in first["pA"]


def test_person_who_ticks_nothing_gets_inferred_categories_marked_as_such() -> None:
    posts = [
        posting("p1", "小区保洁员", "楼道保洁 打扫卫生", C.A, "河西区", 3500, 4000),
        posting("p2", "仓库管理员", "出入库登记 盘点", C.B, "河西区", 4500, 5000),
    ]
    engine = MatchingEngine().fit(posts)
    p = person(make_id(), "刘秀芬", (), "河西区", "做过保洁", ("保洁员", "商场保洁"))
    profile = engine.profile(p, today=TODAY)
    assert profile.ticked == frozenset() and C.A in profile.inferred
    top = engine.recommend(p, 2, today=TODAY)[0]
    assert top.posting_id == "p1"
    assert top.reasons[0] == "意向类别：A 家政/保洁（根据技能和工作经历推断）"


@pytest.mark.parametrize(
    "fields",
    [
        {"category_ticked_step": -0.1},
        {"category_ticked_floor": 0.5},
        {"category_ticked_floor": 1.2},
    ],
)
def test_config_refuses_an_order_rule_that_would_rank_a_tick_below_a_guess(fields) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="category_ticked"):
        MatchingConfig(**fields).validate()
