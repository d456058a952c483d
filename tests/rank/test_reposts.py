"""Issue 14, kind 6: the same job reposted in other words is one posting in every list, the
later valid one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine

C = Category
D = dt.timedelta


def _p(pid, title, desc, employer, until_days, **kw):  # type: ignore[no-untyped-def]
    return posting(pid, title, desc, kw.pop("cat", C.A), "河西区", 4000, 5000, employer=employer,
                   valid_until=TODAY + D(days=until_days), **kw)  # fmt: skip


_DUTY = "负责商场公共区域日常保洁 地面清洁 垃圾清运 长白班 五险"
# (first posting, second posting, same job?)
PAIRS = [
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30), _p("b", "商业广场保洁", _DUTY + " 急招", "洁康物业", 90), True),
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30), _p("b", "商场保洁员", _DUTY, "洁康 物业", 60), True),  # spaces
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30), _p("b", "商场保洁员", _DUTY, "另一家物业", 60), False),
    (_p("a", "商场保洁员", _DUTY, "", 30), _p("b", "商场保洁员", _DUTY, "", 60), False),  # unknown
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30), _p("b", "小区电工", "负责小区配电维修 持电工证", "洁康物业", 60), False),
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30), _p("b", "保洁主管", "带领班组 排班考核 巡检 汇报", "洁康物业", 60), False),
    (_p("a", "商场保洁员", _DUTY, "洁康物业", 30, valid_from=TODAY - D(days=200)),
     _p("b", "商场保洁员", _DUTY, "洁康物业", 300), False),  # posted half a year apart
]  # fmt: skip


def _extra():  # type: ignore[no-untyped-def]
    return [posting("z", "仓库管理员", "出入库登记 盘点", C.B, "河西区", 4500, 5000)]


@pytest.mark.parametrize(("first", "second", "same"), PAIRS)
def test_repost_detection(first, second, same) -> None:  # type: ignore[no-untyped-def]
    engine = MatchingEngine().fit([first, second, *_extra()])
    g = engine.table_.repost_group
    assert bool(g[0] >= 0 and g[0] == g[1]) is same
    p = person(make_id(), "刘秀芬", (C.A,), "河西区", "做过保洁", ("保洁员",))
    shown = [m.posting_id for m in engine.recommend(p, 10, today=TODAY)]
    assert shown.count("a") + shown.count("b") == (1 if same else 2)
    if same:
        assert "b" in shown  # the later one


# (repost state, expected posting shown): the later valid one; the original while the repost
# is not open
STATES = [
    ({}, "b"),
    ({"filled": True}, "a"),
    ({"valid_from": TODAY + D(days=5)}, "a"),
]


@pytest.mark.parametrize(("state", "expected"), STATES)
def test_the_later_open_posting_stands_for_the_job(state, expected) -> None:  # type: ignore[no-untyped-def]
    a = _p("a", "商场保洁员", _DUTY, "洁康物业", 30)
    b = _p("b", "商业广场保洁", _DUTY, "洁康物业", 90, **state)
    engine = MatchingEngine().fit([a, b, *_extra()])
    p = person(make_id(), "刘秀芬", (C.A,), "河西区", "做过保洁", ("保洁员",))
    shown = [m.posting_id for m in engine.recommend(p, 10, today=TODAY)]
    assert [x for x in shown if x in "ab"] == [expected]


def test_groups_survive_save_and_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = _p("a", "商场保洁员", _DUTY, "洁康物业", 30)
    b = _p("b", "商业广场保洁", _DUTY, "洁康物业", 90)
    engine = MatchingEngine().fit([a, b, *_extra()])
    engine.save(tmp_path / "e")
    loaded = MatchingEngine.load(tmp_path / "e")
    assert loaded.table_.repost_group.tolist() == engine.table_.repost_group.tolist()


def _groups_pair_by_pair(postings, sparse, config):  # type: ignore[no-untyped-def]
    """The grouping rule as written, one pair of one employer's postings at a time."""
    from matching.rank.reposts import _close, same_employer_key, title_words

    n = len(postings)
    cos = (sparse @ sparse.T).toarray()
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(n):
        for b in range(a + 1, n):
            key = same_employer_key(postings[a].employer)
            if (
                key
                and key == same_employer_key(postings[b].employer)
                and title_words(postings[a].title) & title_words(postings[b].title)
                and cos[a, b] >= config.repost_min_similarity
                and _close(postings[a], postings[b], config.repost_max_days)
            ):
                parent[find(b)] = find(a)
    return [find(i) for i in range(n)]


def test_groups_of_the_pair_products_are_those_of_the_rule_on_generated_postings() -> None:
    from matching.config import MatchingConfig
    from matching.evaluate.generated import generated_postings
    from matching.rank.reposts import repost_groups
    from matching.retrieve.vectorize import TextVectorizer

    postings, _ = generated_postings(1500, 3)
    sparse = TextVectorizer(32).fit_sparse([p.text for p in postings])
    config = MatchingConfig()
    group, rank = repost_groups(postings, sparse, config)
    roots = _groups_pair_by_pair(postings, sparse, config)
    assert (group >= 0).sum() >= 10  # the generator reposts some jobs
    size = Counter(roots)
    # the same partition: a posting is in a group exactly when its root has other members,
    # and the groups and the roots name the same sets
    assert [g >= 0 for g in group] == [size[r] > 1 for r in roots]
    pairs = {(int(g), r) for g, r in zip(group, roots, strict=True) if g >= 0}
    assert len(pairs) == len({g for g, _ in pairs}) == len({r for _, r in pairs})
