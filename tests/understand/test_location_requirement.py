"""Tests for matching.understand.location.requirement: 地点要求, satisfies, describe."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.domain import divisions
from matching.schemas import Location
from matching.understand.location import (
    CENTRAL_DISTRICTS,
    METRO_REACH_KM,
    NEAR_HOME_KM,
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
        ("就近", set(), False, NEAR_HOME_KM),  # a distance from home, not "own district only"
        ("离家近", set(), False, NEAR_HOME_KM),
        ("离家近一点，坐公交方便就行", set(), False, NEAR_HOME_KM),
        ("本区及周边", {"河西区"}, True, None),
        ("离家5公里内", set(), False, 5.0),
        ("5公里以内", set(), False, 5.0),
        ("三公里", set(), False, 3.0),
        ("10km以内", set(), False, 10.0),
        ("2.5公里", set(), False, 2.5),
        ("步行15分钟", set(), False, 1.2),
        ("通勤半小时", set(), False, 10.0),
        ("骑车20分钟", set(), False, 5.0),
        ("公交一小时", set(), False, 15.0),
        ("坐公交一小时内", set(), False, 15.0),
        ("骑车二十分钟", set(), False, 5.0),
        ("骑电动车半小时内", set(), False, 10.0),
        ("走路十分钟能到", set(), False, 0.8),
        ("开车半小时", set(), False, 15.0),
        ("坐地铁四十分钟以内", set(), False, round(40 / 60 * 25, 1)),
        ("地铁能到就行", set(), False, METRO_REACH_KM),
        ("能坐地铁到的地方", set(), False, METRO_REACH_KM),
        # a district name that is also an everyday word (和平), in a list closed by 都可以
        ("南开、和平、河西都可以", {"南开区", "和平区", "河西区"}, False, None),
        ("和平或者河西都行", {"和平区", "河西区"}, False, None),
        ("河西和南开均可", {"河西区", "南开区"}, False, None),
        ("市内六区都行", set(CENTRAL_DISTRICTS), False, None),
        ("西青、南开", {"西青区", "南开区"}, False, None),
        ("宁河区内", {"宁河区"}, False, None),
        ("蓟州城区", {"蓟州区"}, False, None),
        ("滨海新区内（开发区、于家堡）", {"滨海新区"}, False, None),
        ("都行", set(), False, None),
        ("均可", set(), False, None),
        ("无所谓", set(), False, None),
        ("哪里都可以", set(), False, None),
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
    assert req.understood and not req.strict and req.text == text


@pytest.mark.parametrize(
    "text, strict",
    [
        ("河西区及周边", False),  # a strong preference: postings just outside rank lower
        ("宁河区内", False),
        ("离家近", False),
        ("河西区优先", False),
        ("只在河西区", True),  # said so: a hard filter
        ("仅限南开区", True),
        ("必须在和平区及周边", True),
        ("只能骑车二十分钟以内", True),
    ],
)
def test_only_only_makes_it_a_wall(text: str, strict: bool) -> None:
    req = parse_location_requirement(text, HOME)
    assert req.strict is strict and req.understood and not req.is_any


@pytest.mark.parametrize("text", ["不去滨海新区", "除了蓟州都行", "公司管住", "北京"])
def test_unreadable_requirement_is_any_and_flagged(text: str) -> None:
    req = parse_location_requirement(text, HOME)
    assert req.is_any and not req.understood
    assert "未能完全识别" in describe(req)


def test_own_district_needs_a_home() -> None:
    req = parse_location_requirement("本区", None)
    assert req.is_any and not req.understood
    assert parse_location_requirement("本区", elsewhere("南京")).is_any
    # "就近" is a distance from home: without a home it cannot be judged (satisfies → None)
    near = parse_location_requirement("就近", None)
    assert satisfies(near, None, tj("和平区")) is None


def test_preference_is_not_strict() -> None:
    req = parse_location_requirement("河西区优先", HOME)
    assert req.districts == {"河西区"} and not req.strict
    assert describe(req) == "河西区"
    assert describe(parse_location_requirement("只在河西区", HOME)) == "只限河西区"


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
        ("离家近", "离家7.5公里以内"),
        ("南开、和平、河西都可以", "和平区、河西区、南开区"),
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
        ("河西区及周边", tj("津南区"), True),  # borders 河西区
        ("静海区及周边", tj("西青区"), True),  # outer districts have neighbours too
        ("静海区及周边", tj("津南区"), False),
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
