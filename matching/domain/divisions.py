"""Tianjin's 16 districts: names, codes, the report order of 附件1, and rough centres.

Facts from DOMAIN.md (codes and report order). Centres are the districts' government
seats, rounded to about 1 km: good enough for "约12公里" and for ranking by distance,
not for navigation. Street-level names come from :mod:`matching.understand.location`.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.exceptions import CategoryTableError

CITY = "天津"
CITY_CODE = "1201"


@dataclass(frozen=True, slots=True)
class District:
    """One district: ``name`` as written in reports, 6-digit ``code``, centre in WGS-84."""

    name: str
    code: str
    lat: float
    lon: float
    short: str  # the name without 区/新区, as people often write it ("河西", "滨海")


# Order = the monthly report's (附件1) row order.
DISTRICTS: tuple[District, ...] = (
    District("滨海新区", "120116", 39.0250, 117.6600, "滨海"),
    District("和平区", "120101", 39.1172, 117.2147, "和平"),
    District("河东区", "120102", 39.1284, 117.2517, "河东"),
    District("河西区", "120103", 39.1097, 117.2234, "河西"),
    District("南开区", "120104", 39.1383, 117.1500, "南开"),
    District("河北区", "120105", 39.1474, 117.1969, "河北"),
    District("红桥区", "120106", 39.1671, 117.1513, "红桥"),
    District("东丽区", "120110", 39.0863, 117.3140, "东丽"),
    District("西青区", "120111", 39.1419, 117.0085, "西青"),
    District("津南区", "120112", 38.9376, 117.3571, "津南"),
    District("北辰区", "120113", 39.2250, 117.1353, "北辰"),
    District("武清区", "120114", 39.3840, 117.0443, "武清"),
    District("宝坻区", "120115", 39.7176, 117.3092, "宝坻"),
    District("静海区", "120118", 38.9474, 116.9740, "静海"),
    District("宁河区", "120117", 39.3301, 117.8266, "宁河"),
    District("蓟州区", "120119", 40.0457, 117.4083, "蓟州"),
)

BY_NAME: dict[str, District] = {d.name: d for d in DISTRICTS}
BY_CODE: dict[str, District] = {d.code: d for d in DISTRICTS}
NAMES: tuple[str, ...] = tuple(d.name for d in DISTRICTS)

# Former districts and well-known towns that people still write instead of the district.
# 塘沽/汉沽/大港 merged into 滨海新区 (2009); 蓟县→蓟州区, 静海县→静海区, 宁河县→宁河区 (2015-16).
ALIASES: dict[str, str] = {
    "塘沽": "滨海新区",
    "汉沽": "滨海新区",
    "大港": "滨海新区",
    "滨海": "滨海新区",
    "开发区": "滨海新区",
    "泰达": "滨海新区",
    "保税区": "滨海新区",
    "杨村": "武清区",
    "蓟县": "蓟州区",
    "静海县": "静海区",
    "宁河县": "宁河区",
    "宝坻县": "宝坻区",
    "武清县": "武清区",
    "咸水沽": "津南区",
    "杨柳青": "西青区",
    "芦台": "宁河区",
}


def get(name_or_code: str) -> District:
    """Look a district up by full name, short name, alias or code.

    Raises
    ------
    KeyError
        When nothing matches.
    """
    key = name_or_code.strip()
    if key in BY_NAME:
        return BY_NAME[key]
    if key in BY_CODE:
        return BY_CODE[key]
    if key in ALIASES:
        return BY_NAME[ALIASES[key]]
    for d in DISTRICTS:
        if key == d.short:
            return d
    raise KeyError(key)


def check_table() -> None:
    """Fail fast on duplicate names or codes."""
    if len(BY_NAME) != len(DISTRICTS) or len(BY_CODE) != len(DISTRICTS):
        raise CategoryTableError("Duplicate district name or code in the district table.")
    for alias, target in ALIASES.items():
        if target not in BY_NAME:
            raise CategoryTableError(f"Alias {alias!r} points to unknown district {target!r}.")
