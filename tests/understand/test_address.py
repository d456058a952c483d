"""Tests for matching.understand.location.address and .reference: addresses, street tables."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.domain import divisions
from matching.schemas import Location
from matching.understand.location import parse_location, street_names
from tests.understand.places import TIANJIN_CITY, elsewhere, tj


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
    from matching.understand.location.reference import load_tables

    for name, district in load_tables().streets:
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
