"""Tianjin addresses for generated rows: down to streets, sometimes written sloppily.

Streets come from ``matching/resources/tianjin_streets.tsv``; districts, short names and
aliases from :mod:`matching.domain.divisions`. Road names are the well-known main roads of each
district, plus the road a street (街道) is named after ("友谊路街道" → "友谊路").
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matching.domain import divisions
from matching.domain.divisions import District

_STREETS_TSV = Path(__file__).resolve().parent.parent / "resources" / "tianjin_streets.tsv"

# Main roads people write in addresses, by district code.
_ROADS: dict[str, tuple[str, ...]] = {
    "120101": ("南京路", "滨江道", "营口道", "成都道", "重庆道", "大沽北路", "西康路", "贵州路"),
    "120102": ("十一经路", "津塘路", "卫国道", "六纬路", "红星路", "华昌大街", "中山门大街"),
    "120103": ("友谊路", "围堤道", "解放南路", "黑牛城道", "紫金山路", "大沽南路", "珠江道"),
    "120104": ("鞍山西道", "白堤路", "黄河道", "复康路", "长江道", "红旗路", "西湖道", "宾水道"),
    "120105": ("中山路", "狮子林大街", "昆纬路", "建昌道", "增产道", "金钟河大街", "志成道"),
    "120106": ("西青道", "光荣道", "咸阳北路", "芥园道", "子牙河北路", "丁字沽一号路"),
    "120110": ("津塘公路", "先锋路", "跃进路", "东丽大道", "成林道", "杨台路"),
    "120111": ("中北大道", "津静公路", "柳口路", "大寺路", "外环西路", "李七庄路"),
    "120112": ("津沽公路", "津南大道", "咸水沽南环路", "辛庄路", "微山南路", "月牙河南路"),
    "120113": ("京津公路", "辰昌路", "北辰道", "龙洲道", "铁东北路", "宜兴埠路"),
    "120114": ("雍阳西道", "泉州北路", "京津公路", "翠通路", "广贤路", "杨崔公路"),
    "120115": ("南三路", "建设路", "开元路", "宝平路", "广阳路", "南关大街"),
    "120116": (
        "解放路",
        "新华路",
        "胜利路",
        "第三大街",
        "黄海路",
        "上海道",
        "港城大道",
        "中央大道",
    ),
    "120117": ("光明路", "新华道", "芦台大街", "建设路", "玉米路"),
    "120118": ("胜利大街", "迎宾大道", "静海北环路", "团泊大道", "东方红路"),
    "120119": ("渔阳北路", "人民西大街", "文昌街", "迎宾大道", "兴华大街", "州河湾路"),
}
# Where people write a former district or a well-known town instead of the district.
_SLOPPY: dict[str, tuple[str, ...]] = {
    "120116": ("塘沽", "汉沽", "大港", "开发区", "泰达", "保税区"),
    "120114": ("杨村",),
    "120111": ("杨柳青",),
    "120112": ("咸水沽",),
    "120117": ("芦台",),
    "120119": ("蓟县",),
}
_NOT_RESIDENTIAL = (
    "园",
    "开发区",
    "产业",
    "保税",
    "农场",
    "物流区",
    "经济区",
    "服务中心",
    "组团",
    "片区",
    "航空",
    "科技城",
    "生态城",
    "小区",
)
_COMMUNITY_HEADS = (
    "平安 幸福 和谐 康乐 阳光 金色 学府 红星 光明 华苑 梅江 新城 丽景 锦绣 龙潭 河畔 春和 "
    "秋实 翠园 嘉园 海景 富康 瑞景 云翔 兴华 柳林 文化 春晖 华馨 安居 育红 水岸 御河 体院 "
    "长江 复兴 园林 团结 向阳 东风 红旗 北洋 海河 鹏程 万隆 吉利 宜居 碧水 桃源"
).split()
_COMMUNITY_TAILS = (
    "里",
    "园",
    "小区",
    "花园",
    "家园",
    "新村",
    "公寓",
    "苑",
    "东里",
    "西里",
    "南里",
)
_VILLAGE_HEADS = "王 李 张 刘 赵 大 小 东 西 南 北 前 后 新 高 杨 马 孙".split()
_VILLAGE_TAILS = ("庄村", "家庄", "各庄", "营村", "屯村", "坨村", "口村", "辛庄", "店村")


@dataclass(frozen=True, slots=True)
class Street:
    """One 街道/乡镇: its name and the district it belongs to."""

    name: str
    district: District

    @property
    def local_name(self) -> str:
        """The name without a leading "天津市" or district ("东丽区临空经济区" → "临空经济区")."""
        name = self.name.removeprefix("天津市").removeprefix(self.district.name)
        return name or self.name

    @property
    def rural(self) -> bool:
        """Towns (镇/乡) have villages rather than residential compounds."""
        return self.name.endswith(("镇", "乡"))

    @property
    def road(self) -> str | None:
        """The road a street is named after: "友谊路街道" → "友谊路", else None."""
        base = self.name.removesuffix("街道")
        if base != self.name and base.endswith(("路", "道", "大街")):
            return base
        return None


@lru_cache(maxsize=1)
def streets_by_district() -> dict[str, tuple[Street, ...]]:
    """District code → its streets, read once from the bundled TSV."""
    out: dict[str, list[Street]] = {d.code: [] for d in divisions.DISTRICTS}
    with _STREETS_TSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            district = divisions.BY_CODE.get(row["district_code"])
            if district is not None:
                out[district.code].append(Street(row["name"], district))
    return {code: tuple(items) for code, items in out.items()}


@lru_cache(maxsize=1)
def residential_streets() -> dict[str, tuple[Street, ...]]:
    """Streets where people live (no parks, bonded zones or farms), by district code."""
    out = {}
    for code, items in streets_by_district().items():
        kept = tuple(s for s in items if not any(w in s.name for w in _NOT_RESIDENTIAL))
        out[code] = kept or items
    return out


def pick_road(rng: random.Random, street: Street) -> str:
    """The street's own road half of the time when it has one, else a main road of the district."""
    own = street.road
    if own is not None and rng.random() < 0.5:
        return own
    return rng.choice(_ROADS[street.district.code])


def community_name(rng: random.Random) -> str:
    """A residential compound: "阳光里", "梅江花园"."""
    return rng.choice(_COMMUNITY_HEADS) + rng.choice(_COMMUNITY_TAILS)


def village_name(rng: random.Random) -> str:
    """A village: "王各庄", "大辛庄"."""
    return rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS)


def workplace_address(rng: random.Random, street: Street) -> str:
    """A posting's work address, in one of the ways employers write it.

    Examples: "天津市河西区友谊路街道友谊路32号", "南开区鞍山西道", "塘沽街道新华路8号",
    "河西友谊路", "大港", "天津·西青区".
    """
    d = street.district
    road = pick_road(rng, street)
    no = f"{rng.randint(1, 399)}号"
    r = rng.random()
    if r < 0.32:
        return f"天津市{d.name}{street.local_name}{road}{no}"
    if r < 0.52:
        return f"{d.name}{road}" + (no if rng.random() < 0.6 else "")
    if r < 0.64:
        return f"{street.local_name}{road}{no}"
    if r < 0.80:
        sloppy = _SLOPPY.get(d.code)
        if sloppy and rng.random() < 0.6:
            head = rng.choice(sloppy)
            return head if rng.random() < 0.3 else f"{head}{road}"
        return f"{d.short}{road}" + (no if rng.random() < 0.4 else "")
    if r < 0.92:
        return f"天津市{d.name}{street.local_name}" + (
            f"{rng.choice(('工业园', '产业园', '商业街', '市场'))}{rng.randint(1, 30)}号"
            if rng.random() < 0.5
            else ""
        )
    return rng.choice((f"天津·{d.name}", f"天津市{d.name}", f"天津-{d.short}"))


def home_address(rng: random.Random, street: Street) -> str:
    """A person's address as the bureau records it, down to the flat or the village house."""
    d = street.district
    lead = "天津市" if rng.random() < 0.7 else ""
    if street.rural:
        return f"{lead}{d.name}{street.local_name}{village_name(rng)}{rng.randint(1, 300)}号"
    flat = (
        f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}门{rng.randint(1, 24)}0{rng.randint(1, 4)}"
        if rng.random() < 0.6
        else f"{rng.randint(1, 30)}-{rng.randint(1, 6)}-{rng.randint(1, 24)}0{rng.randint(1, 4)}"
    )
    if rng.random() < 0.5:
        return f"{lead}{d.name}{street.local_name}{community_name(rng)}{flat}"
    return f"{lead}{d.name}{pick_road(rng, street)}{community_name(rng)}{flat}"
