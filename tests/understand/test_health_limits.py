"""Health limits and family ties in 备注, and the posting demands they rule out."""

from __future__ import annotations

import pytest

from matching.understand.limits import (
    HEAVY,
    LIVE_IN,
    STANDING,
    TRAVEL,
    describe,
    find_demands,
    parse_limits,
)


@pytest.mark.parametrize(
    "note, bits",
    [
        ("腰不好不能久站", HEAVY | STANDING),
        ("不能干重活", HEAVY),
        ("前年腰间盘突出，重活干不了", HEAVY),
        ("站不久，想找坐着的活", STANDING),
        ("要接送孩子上下学", TRAVEL | LIVE_IN),
        ("家里老人要照顾，不能出差", TRAVEL | LIVE_IN),
        ("不住宿，每天要回家", LIVE_IN),
        ("不能上夜班", 0),  # nights are read with the hours (schedule)
        ("身体健康，能吃苦", 0),
        ("可以住厂", 0),
        ("", 0),
    ],
)  # fmt: skip
def test_parse_limits(note: str, bits: int) -> None:
    assert parse_limits(note).bits == bits


@pytest.mark.parametrize(
    "text, demands",
    [
        ("物流园招装卸工，按件计费", {HEAVY: "装卸"}),
        ("超市理货员，需搬运货物上架", {HEAVY: "搬运"}),
        ("商场导购，需长时间站立", {STANDING: "长时间站立"}),
        ("销售工程师，能适应出差", {TRAVEL: "出差"}),
        ("育婴员（住家），照顾新生儿", {LIVE_IN: "住家"}),
        ("行政文员，坐班，不用外出或出差", {}),
        ("客服专员，无需搬运，坐着工作", {}),
        ("找出差距，持续改进", {}),  # 出差距 is not travel
        ("小区保洁，住家附近优先", {}),
    ],
)  # fmt: skip
def test_find_demands(text: str, demands: dict[int, str]) -> None:
    assert find_demands(text) == demands


@pytest.mark.parametrize(
    "note, demands, reason",
    [
        ("不能搬重物", {HEAVY: "搬运"}, "体力要求不符（岗位：搬运）：本人备注：不能搬重物"),
        ("腰不好不能久站", {STANDING: "久站", TRAVEL: "出差"},
         "站立要求不符（岗位：久站）：本人备注：不能久站"),
        ("要接送孩子", {TRAVEL: "出差", LIVE_IN: "住家"},
         "出差、住宿要求不符（岗位：出差、住家）：本人备注：接送孩子"),
        ("不能搬重物", {TRAVEL: "出差"}, ""),
    ],
)  # fmt: skip
def test_describe_names_the_clash_in_chinese(
    note: str, demands: dict[int, str], reason: str
) -> None:
    assert describe(parse_limits(note), demands) == reason
