"""Reason parts read from the engine's posting table (one reading of each posting's text) are
the parts read from the text, and the engine explains its matches with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TODAY, make_id, person, posting

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.rank.reason_parts import ReasonParts
from matching.rank.tables import PostingTable
from matching.schemas import Posting
from matching.understand.salary import parse_salary

CONFIG = MatchingConfig()


def _paid(pid: str, title: str, desc: str, pay: str, **kw: object) -> Posting:
    """A posting whose pay line is ``pay`` as an import reads it (unparsed pay: no salary)."""
    return posting(pid, title, desc, Category.M, "和平区", 3000, 4000,
                   salary_text=pay, salary=parse_salary(pay), **kw)  # fmt: skip


def _hand_written() -> list[Posting]:
    return [
        _paid(
            "night", "仓库夜班理货员", "夜班 22:20-6:40，需搬运货物，能适应出差", "5000-6000元/月"
        ),
        _paid("hours", "超市收银", "早班7:10-15:50，每天工作7.5小时，必须持健康证", "4000元/月"),
        _paid(
            "half",
            "中餐厨师",
            "可兼职，每天4.5小时，5年以上炒锅经验",
            "25元/小时",
            experience_years=5,
        ),
        _paid("daily", "搬运工", "日结，每天工作8小时，长期久站", "日结200"),
        _paid("unpaid", "小时工", "时间灵活，每天3小时", "面议/小时"),
        _paid("nopay", "门卫", "两班倒，8点到20点", ""),
        _paid("commission", "销售", "底薪3000+提成，综合月收入约7000-9000", "底薪3000+提成"),
        _paid("minwage", "学徒", "包吃住，8:00-17:30", "1500元/月"),
        _paid(
            "street",
            "公益性岗位保洁",
            "长虹街道公益性岗位4个，仅限户籍或常住在长虹街道的就业困难人员报名",
            "2320元/月",
        ),  # fmt: skip
        _paid("odd", "司机", "B2驾照，8:75-18:00出车", "6000-8000元/月"),
        _paid("plain", "文员", "坐班，不用外出或出差，无需搬运", "3500-4500元/月"),
    ]


def _assert_same_parts(postings: list[Posting]) -> None:
    table = PostingTable.from_postings(postings)
    for row, p in enumerate(postings):
        assert ReasonParts.from_table(p, table, row, CONFIG) == ReasonParts.of(p, CONFIG), p.id


def test_parts_from_the_table_equal_the_parts_read_from_hand_written_postings() -> None:
    postings = _hand_written()
    _assert_same_parts(postings)
    table = PostingTable.from_postings(postings)
    parts = {p.id: ReasonParts.from_table(p, table, i, CONFIG) for i, p in enumerate(postings)}
    # what the table alone could not say is read from the text: the words the reasons quote
    assert parts["night"].shift and dict(parts["night"].demands)
    # hours given back from the table's float32 copy as the text reads them
    assert parts["hours"].start_h == 7 + 10 / 60 and parts["hours"].end_h == 15 + 50 / 60
    assert float(table.start_h[1]) != 7 + 10 / 60  # (the copy itself is not)
    assert parts["hours"].day_hours == 7.5 and parts["half"].day_hours == 4.5
    assert parts["half"].pay_period == "hour" and parts["daily"].pay_period == "day"
    assert parts["street"].street_only == "长虹街道"
    assert parts["hours"].certificates != (0, 0) and parts["half"].trades
    assert parts["plain"].demands == () and parts["plain"].shift == ""


def test_parts_from_the_table_equal_the_parts_read_from_generated_postings() -> None:
    from matching.evaluate.generated import generated_postings

    _assert_same_parts(generated_postings(600, seed=23)[0])


def test_parts_from_the_table_equal_the_parts_read_from_the_sample(shared_data: Path) -> None:
    lines = (shared_data / "postings-1dagong" / "postings.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines[:1500]]
    postings = [
        _paid(str(i), r["title"], r["description"], r["salary_text"])
        for i, r in enumerate(rows)
        if r["title"].strip()
    ]
    assert len(postings) > 1000
    _assert_same_parts(postings)


@pytest.mark.parametrize("prepared", [False, True])
def test_the_engine_explains_with_the_parts_read_from_the_text(prepared: bool) -> None:
    postings = _hand_written()
    engine = MatchingEngine(CONFIG).fit(postings)
    if prepared:
        engine.prepare_day(TODAY)
    seeker = person(make_id(), "张三", (Category.M,), "和平区", "保洁",
                    note="只能上白班，腰不好不能久站，每天4小时")  # fmt: skip
    got = engine.recommend(seeker, 20, today=TODAY)
    assert len(got) >= 8
    cache = engine.__dict__["_reason_parts_cache"]
    for match in got:
        row = engine.row_of_[match.posting_id]
        assert cache[row] == ReasonParts.of(postings[row], CONFIG)
