"""Tests for matching.understand.location.requirement: 地点要求, satisfies, describe."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.domain import divisions
from matching.schemas import Location
from matching.understand.location import (
    CENTRAL_DISTRICTS,
    LocationRequirement,
    describe,
    parse_location_requirement,
    satisfies,
)
from tests.understand.places import TIANJIN_CITY, elsewhere, tj

HOME = tj("河西区", "友谊路街道")


@pytest.mark.parametrize(
    "text, districts, nearby, max_km",
    [
        ("不限", set(), False, None),
        ("", set(), False, None),
        ("无", set(), False, None),
        ("服从安排", set(), False, None),
        ("地点不限", set(), False, None),
        ("河西区及周边", {"河西区"}, True, None),
        ("河西周边", {"河西区"}, True, None),
        ("塘沽附近", {"滨海新区"}, True, None),
        ("本区", {"河西区"}, False, None),
        ("就近", {"河西区"}, False, None),
        ("离家近", {"河西区"}, False, None),
        ("本区及周边", {"河西区"}, True, None),
        ("离家5公里内", set(), False, 5.0),
        ("5公里以内", set(), False, 5.0),
        ("三公里", set(), False, 3.0),
        ("10km以内", set(), False, 10.0),
        ("2.5公里", set(), False, 2.5),
        ("步行15分钟", set(), False, 1.2),
        ("通勤半小时", set(), False, 10.0),
        ("骑车20分钟", set(), False, 5.0),
        ("公交一小时", set(), False, 20.0),
        ("河西区、南开区", {"河西区", "南开区"}, False, None),
        ("河西或南开，5公里内", {"河西区", "南开区"}, False, 5.0),
        ("市内六区", set(CENTRAL_DISTRICTS), False, None),
        ("市区", set(CENTRAL_DISTRICTS), False, None),
        ("环城四区", {"东丽区", "西青区", "津南区", "北辰区"}, False, None),
        ("滨海新区", {"滨海新区"}, False, None),
        ("工作地点在南开区", {"南开区"}, False, None),
        ("小白楼附近", {"和平区"}, True, None),
    ],
)
def test_parse_location_requirement(
    text: str, districts: set[str], nearby: bool, max_km: float | None
) -> None:
    req = parse_location_requirement(text, HOME)
    assert (set(req.districts), req.nearby, req.max_km) == (districts, nearby, max_km)
    assert req.understood and req.strict and req.text == text


@pytest.mark.parametrize("text", ["不去滨海新区", "除了蓟州都行", "公司管住", "北京"])
def test_unreadable_requirement_is_any_and_flagged(text: str) -> None:
    req = parse_location_requirement(text, HOME)
    assert req.is_any and not req.understood
    assert "未能完全识别" in describe(req)


def test_own_district_needs_a_home() -> None:
    req = parse_location_requirement("本区", None)
    assert req.is_any and not req.understood
    assert parse_location_requirement("就近", elsewhere("南京")).is_any


def test_preference_is_not_strict() -> None:
    req = parse_location_requirement("河西区优先", HOME)
    assert req.districts == {"河西区"} and not req.strict
    assert describe(req) == "河西区（优先，非必须）"


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_parse_location_requirement_never_raises(text: str) -> None:
    req = parse_location_requirement(text, HOME)
    assert req.districts <= set(divisions.NAMES)
    assert req.max_km is None or req.max_km >= 0
    assert isinstance(describe(req), str)


@pytest.mark.parametrize(
    "text, said",
    [
        ("不限", "不限"),
        ("河西区及周边", "河西区及周边"),
        ("南开区、河西区", "河西区、南开区"),  # report order
        ("市内六区", "市内六区"),
        ("步行15分钟", "离家1.2公里以内"),
        ("通勤半小时", "离家10公里以内"),
        ("滨海新区，5公里内", "滨海新区，离家5公里以内"),
    ],
)
def test_describe(text: str, said: str) -> None:
    assert describe(parse_location_requirement(text, HOME)) == said


@pytest.mark.parametrize(
    "text, place, expected",
    [
        ("不限", None, True),
        ("不限", elsewhere("南京"), True),
        ("河西区", tj("河西区"), True),
        ("河西区", tj("和平区"), False),
        ("河西区及周边", tj("和平区"), True),
        ("河西区及周边", tj("蓟州区"), False),
        ("河西区", elsewhere("南京", "河西区"), False),  # Nanjing's 河西 is not Tianjin's
        ("河西区", TIANJIN_CITY, None),
        ("河西区", None, None),
        ("离家5公里内", tj("和平区"), True),
        ("离家5公里内", tj("河西区", "越秀路街道"), True),  # same district: 0 km
        ("离家5公里内", tj("南开区"), False),
        ("离家5公里内", TIANJIN_CITY, None),
        ("离家5公里内", elsewhere("北京"), False),
        ("河西区，5公里内", tj("和平区"), False),
        ("和平区，5公里内", tj("和平区"), True),
    ],
)
def test_satisfies(text: str, place: Location | None, expected: bool | None) -> None:
    assert satisfies(parse_location_requirement(text, HOME), HOME, place, 0.0) is expected


def test_satisfies_slack_and_unknown_home() -> None:
    req = LocationRequirement(max_km=6.0)
    nankai = tj("南开区")  # about 7 km from 河西区's centre
    assert satisfies(req, HOME, nankai, 0.0) is False
    assert satisfies(req, HOME, nankai, 2.0) is True
    assert satisfies(req, None, nankai, 2.0) is None
