"""Tests for matching.understand.schedule: a posting's shift, the hours a person can work."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.understand.schedule import parse_availability, parse_shift, plain_needs


@pytest.mark.parametrize(
    "text, off_day, what, hours",
    [
        ("长白班，8:00-17:00，周末双休", False, "", (8.0, 17.0)),
        ("早班7点到下午4点，包午饭", False, "", (7.0, 16.0)),
        ("车间两班倒，夜班有补贴", True, "两班倒", None),
        ("三班倒，每班8小时", True, "三班倒", None),
        ("保安，做一休一，包住", True, "做一休一", None),
        ("需要值夜班", True, "夜班", None),
        ("超市理货，晚班，14:00-22:00", True, "晚班", (14.0, 22.0)),
        ("早班7-15点或晚班可选", False, "", (7.0, 15.0)),  # a choice, the day shift is open
        ("晚8点到早6点看护", True, "晚8点到早6点", (20.0, 6.0)),  # over midnight
        ("中午12点上班至晚12点，轮休", True, "中午12点上班至晚12点", (12.0, 24.0)),
        ("10:00-14:00 午市帮厨", False, "", (10.0, 14.0)),
        ("招保洁员，月薪4000", False, "", None),
    ],
)
def test_parse_shift(
    text: str, off_day: bool, what: str, hours: tuple[float, float] | None
) -> None:
    got = parse_shift(text)
    assert (got.off_day, got.what) == (off_day, what)
    assert (None if got.start_h is None else (got.start_h, got.end_h)) == hours


@pytest.mark.parametrize(
    "note, days_only, window",
    [
        ("厂子关了，想找个长白班，夜班不考虑了", True, None),
        ("只上白班", True, None),
        ("不倒夜班", True, None),
        ("家里有老人要照顾，晚上走不开", True, None),
        ("每天下午四点半得去接孙子", True, (None, 16.0)),
        ("孩子上学，只能上午9点到下午3点", True, (9.0, 15.0)),
        ("九点到三点", True, (9.0, 15.0)),
        ("下午有空", True, (13.0, 18.0)),
        ("能接受倒班", False, None),
        ("孩子大了，可以倒夜班", False, None),
        ("身体健康，想交社保", False, None),
        ("", False, None),
    ],
)
def test_parse_availability(
    note: str, days_only: bool, window: tuple[float | None, float] | None
) -> None:
    got = parse_availability(note)
    assert got.days_only is days_only
    assert (None if got.end_h is None else (got.start_h, got.end_h)) == window


@pytest.mark.parametrize(
    "note, kept",
    [
        ("不能久站，不能搬重物，需要坐班工作", "需要坐班工作"),
        ("想找长白班，不想倒夜班", "想找长白班"),  # "夜班" must not pull night jobs closer
        ("有电动车，熟悉河西道路", "有电动车 熟悉河西道路"),
    ],
)
def test_plain_needs_drop_negated_clauses(note: str, kept: str) -> None:
    assert plain_needs(note) == kept


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_never_raises(text: str) -> None:
    shift, free = parse_shift(text), parse_availability(text)
    for h in (shift.start_h, shift.end_h, free.start_h, free.end_h):
        assert h is None or 0 <= h <= 24
