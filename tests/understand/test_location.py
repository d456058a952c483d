"""Tests for matching.understand.location: addresses, distances, 地点要求."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.domain import divisions
from matching.schemas import Location
from matching.understand.location import (
    CENTRAL_DISTRICTS,
    LocationRequirement,
    describe,
    distance_km,
    neighbours,
    parse_location,
    parse_location_requirement,
    satisfies,
    street_names,
)


def tj(district: str, street: str | None = None) -> Location:
    d = divisions.BY_NAME[district]
    return Location(
        city="天津",
        district=d.name,
        district_code=d.code,
        street=street,
        lat=d.lat,
        lon=d.lon,
        precision="street" if street else "district",
    )


def elsewhere(city: str, district: str | None = None) -> Location:
    return Location(city=city, district=district, precision="district" if district else "city")


TIANJIN_CITY = Location(city="天津", precision="city")


@pytest.mark.parametrize(
    "text, expected",
    [
        # 51job / other boards
        ("天津·南开区", tj("南开区")),
        ("天津-南开区", tj("南开区")),
        ("天津 - 河西区", tj("河西区")),
        ("天津", TIANJIN_CITY),
        ("天津市", TIANJIN_CITY),
        ("中国天津", TIANJIN_CITY),
        # full addresses
        ("天津市南开区鞍山西道", tj("南开区")),
        ("南开区鞍山西道街道123号", tj("南开区")),  # not a street of the table: district only
        ("天津市和平区南京路与滨江道交口国际大厦18层", tj("和平区")),
        ("河西区友谊路", tj("河西区", "友谊路街道")),
        ("天津市滨海新区塘沽街道", tj("滨海新区", "塘沽街道")),
        ("天津市滨海新区塘沽街道解放路100号", tj("滨海新区", "塘沽街道")),
        ("西青区杨柳青镇", tj("西青区", "杨柳青镇")),
        ("西青区 杨柳青镇 柳口路", tj("西青区", "杨柳青镇")),
        ("天津市河东区大直沽街", tj("河东区", "大直沽街道")),
        ("蓟州区渔阳镇", tj("蓟州区", "渔阳镇")),
        ("天津市东丽区经济技术开发区", tj("东丽区", "东丽区经济技术开发区")),
        ("和平区", tj("和平区")),
        ("ＨＱ天津市河北区", tj("河北区")),  # anywhere in the text
        # short names, former districts and towns
        ("南开", tj("南开区")),
        ("河西", tj("河西区")),
        ("河北", tj("河北区")),  # without a city, 河北(区) is Tianjin's
        ("滨海", tj("滨海新区")),
        ("塘沽", tj("滨海新区")),
        ("临空经济区成林道43号", tj("东丽区")),  # found by songgang evaluate
        ("汉沽", tj("滨海新区")),
        ("大港", tj("滨海新区")),
        ("塘沽区", tj("滨海新区")),
        ("杨村", tj("武清区")),
        ("蓟县", tj("蓟州区")),
        ("蓟县渔阳镇", tj("蓟州区", "渔阳镇")),
        ("天津经济技术开发区", tj("滨海新区")),
        ("泰达", tj("滨海新区")),
        ("120104", tj("南开区")),
        # bare street names unique in Tianjin
        ("小白楼街道", tj("和平区", "小白楼街道")),
        ("小白楼", tj("和平区", "小白楼街道")),
        ("小白楼街", tj("和平区", "小白楼街道")),
        ("杨柳青镇", tj("西青区", "杨柳青镇")),
        ("河西务镇", tj("武清区", "河西务镇")),  # longer than the short name 河西
        ("河北屯镇", tj("武清区", "河北屯镇")),  # not the province 河北
        ("中山门", tj("河东区", "中山门街道")),  # not the city 中山
        ("朝阳", tj("静海区", "朝阳街道")),  # without a city, Tianjin's 朝阳街道
        ("孙各庄", tj("蓟州区", "孙各庄满族乡")),
        ("天津铁厂街道", tj("河东区", "天津铁厂街道")),
        ("杨村街道", tj("武清区", "杨村街道")),
        # the same name in two districts: Tianjin, but no district
        ("海滨街道", TIANJIN_CITY),
        ("黄庄", TIANJIN_CITY),
        ("黄庄镇", tj("宝坻区", "黄庄镇")),
        ("黄庄街道", tj("武清区", "黄庄街道")),
        # a street of another district never overrides the written district
        ("西青区小白楼", tj("西青区")),
        ("和平区杨柳青镇", tj("和平区")),
        # other cities, as scraped from 51job and 1dagong
        ("南京-栖霞区", elsewhere("南京", "栖霞区")),
        ("上海·浦东新区", elsewhere("上海", "浦东新区")),
        ("深圳-南山区", elsewhere("深圳", "南山区")),
        ("成都-高新区", elsewhere("成都", "高新区")),
        ("广州-增城", elsewhere("广州", "增城")),
        ("武汉-东湖新技...", elsewhere("武汉", "东湖新技")),
        ("东莞·常平镇", elsewhere("东莞", "常平镇")),
        ("南宁", elsewhere("南宁")),
        ("中山", elsewhere("中山")),
        ("朝阳市", elsewhere("朝阳")),
        ("安徽省 - 合肥市", elsewhere("合肥")),
        ("上海市 - 松江区", elsewhere("上海", "松江区")),
        ("重庆市 - 璧山县", elsewhere("重庆", "璧山县")),
        ("重庆市 - 江津市", elsewhere("重庆", "江津市")),
        ("内蒙古 - 赤峰市", elsewhere("赤峰")),
        ("湖北省 - 仙桃市", elsewhere("仙桃")),
        ("江苏苏州", elsewhere("苏州")),
        ("河北省石家庄市长安区", elsewhere("石家庄", "长安区")),
        ("广东省", elsewhere("广东")),
        ("北京市朝阳区建国路88号", elsewhere("北京", "朝阳区")),
        ("沈阳和平区", elsewhere("沈阳", "和平区")),  # 沈阳 has a 和平区 too
        ("沈阳市和平区", elsewhere("沈阳", "和平区")),
    ],
)
def test_parse_location(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "异地招聘",
        "保洁员",
        "面议",
        "朝阳区",  # not a Tianjin district, and no city written
        "河北路",  # a road in 和平区 named after the province, not 河北区
        "南京路",  # a road in 和平区 named after the city
        "成都道",
        "123号",
        "-",
        None,
        float("nan"),
        120104,
        b"\xe5\x8d\x97\xe5\xbc\x80",
    ],
)
def test_parse_location_gives_none_without_a_place(text: object) -> None:
    assert parse_location(text) is None


def test_tianjin_locations_carry_district_centre_and_code() -> None:
    loc = parse_location("天津市西青区杨柳青镇")
    assert loc is not None and loc.precision == "street"
    d = divisions.BY_NAME["西青区"]
    assert (loc.district_code, loc.lat, loc.lon) == (d.code, d.lat, d.lon)
    assert parse_location("上海·浦东新区").lat is None  # type: ignore[union-attr]


def test_every_district_name_and_short_name_resolves_to_itself() -> None:
    for d in divisions.DISTRICTS:
        for text in (d.name, d.short, f"天津市{d.name}", f"天津·{d.name}"):
            assert parse_location(text) == tj(d.name), text


def test_every_table_street_resolves_within_its_district() -> None:
    """Written after its district, every street of the table is found (or the district kept)."""
    from matching.understand.location import _tables

    for name, district in _tables().streets:
        loc = parse_location(f"天津市{district.name}{name}")
        assert loc is not None and loc.district == district.name, name
        assert loc.street == name, name


def test_street_names_has_full_and_short_forms_and_no_single_characters() -> None:
    names = street_names()
    assert {"小白楼街道", "小白楼", "杨柳青镇", "杨柳青", "孙各庄满族乡"} <= set(names)
    assert all(len(n) >= 2 for n in names)
    assert list(names) == sorted(set(names))
    assert street_names() is names  # loaded once


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_parse_location_never_raises_on_text(text: str) -> None:
    loc = parse_location(text)
    assert loc is None or isinstance(loc, Location)


_PLACE_CHARS = "天津市南开区河西北东和平滨海新塘沽杨村镇街道小白楼青柳安徽省合肥上海-·、 省京栖霞"


@given(st.text(alphabet=_PLACE_CHARS, max_size=20))
@settings(max_examples=300, deadline=None)
def test_parse_location_never_raises_on_place_like_text(text: str) -> None:
    loc = parse_location(text)
    if loc is not None and loc.city == "天津" and loc.district is not None:
        assert loc.district in divisions.BY_NAME
        assert loc.district_code == divisions.BY_NAME[loc.district].code


@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text())))
def test_parse_location_never_raises_on_other_objects(value: object) -> None:
    assert parse_location(value) is None


# --------------------------------------------------------------------------- distances


def test_distances_between_district_centres() -> None:
    heping, hexi, jizhou = tj("和平区"), tj("河西区"), tj("蓟州区")
    assert 0.5 < distance_km(heping, hexi) < 5  # type: ignore[operator]
    assert distance_km(heping, jizhou) > 80  # type: ignore[operator]
    assert distance_km(heping, hexi) == distance_km(hexi, heping)
    assert distance_km(heping, tj("和平区", "小白楼街道")) == 0.0  # "同区"


def test_distance_is_none_without_coordinates() -> None:
    assert distance_km(tj("和平区"), elsewhere("南京", "栖霞区")) is None
    assert distance_km(TIANJIN_CITY, tj("和平区")) is None


def test_haversine_matches_a_known_distance() -> None:
    # One degree of latitude is about 111.2 km on the mean sphere.
    a = Location(city="天津", lat=39.0, lon=117.0)
    b = Location(city="天津", lat=40.0, lon=117.0)
    assert math.isclose(distance_km(a, b), 111.19, rel_tol=1e-3)  # type: ignore[arg-type]


def test_neighbours_within_15_km() -> None:
    near = neighbours("和平区")
    assert near[0] == "河西区" and {"河东区", "南开区", "河北区"} <= set(near)
    assert "蓟州区" not in near and "和平区" not in near
    assert neighbours("河西") == neighbours("河西区")
    assert neighbours("蓟州区") == ()  # no other centre within 15 km
    assert neighbours("朝阳区") == ()
    for d in divisions.NAMES:
        for n in neighbours(d):
            assert distance_km(tj(d), tj(n)) <= 15  # type: ignore[operator]
            assert d in neighbours(n)  # symmetric


# --------------------------------------------------------------------------- requirements

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


# --------------------------------------------------------------------------- real data


def _after_separator(text: str) -> str | None:
    parts = re.split(r"\s*[-·]\s*", text.strip(), maxsplit=1)
    return parts[1].rstrip(".…") if len(parts) == 2 and parts[1] else None


@pytest.mark.shared
def test_51job_addresses(shared_data: Path) -> None:
    files = sorted((shared_data / "51job").glob("*.csv"))
    assert files, "no 51job CSV under shared data"
    n = 0
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                text = row.get("地址") or row.get("公司地址")
                if not text:
                    continue
                n += 1
                loc = parse_location(text)
                if text == "异地招聘":  # "hiring for elsewhere": no place
                    assert loc is None
                    continue
                assert loc is not None, text
                city = re.split(r"[-·]", text)[0].strip().removesuffix("省")
                assert loc.city == city, text
                assert loc.district == _after_separator(text), text
                if loc.city == "天津" and loc.district:
                    assert loc.district_code == divisions.BY_NAME[loc.district].code
    assert n > 800


@pytest.mark.shared
def test_1dagong_regions(shared_data: Path) -> None:
    path = shared_data / "postings-1dagong" / "postings.jsonl"
    provinces_seen = 0
    with path.open(encoding="utf-8") as f:
        regions = [json.loads(line).get("region") or "" for line in f if line.strip()]
    assert len(regions) > 1000
    for region in regions:
        loc = parse_location(region)
        if not region.strip():
            assert loc is None
            continue
        assert loc is not None, region
        parts = [p.strip() for p in region.split(" - ")]
        first = parts[0]
        if first.endswith("省") or first in ("内蒙古", "广西", "新疆", "西藏", "宁夏"):
            provinces_seen += 1
            expected_city = parts[1].removesuffix("市") if len(parts) > 1 else first[:-1]
            assert (loc.city, loc.district) == (expected_city, None), region
        else:  # a municipality: "上海市 - 松江区" → 上海, 松江区
            assert loc.city == first.removesuffix("市"), region
            assert loc.district == (parts[1] if len(parts) > 1 else None), region
    assert provinces_seen > 100
