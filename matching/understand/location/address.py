"""Addresses: "天津·南开区", "塘沽", "南京-栖霞区" → :class:`~matching.schemas.Location`.

:func:`parse_location` reads an address as people and job boards write it: Tianjin addresses
down to the street/town, and "城市-区" / "省 - 市" strings of other cities. We have no
coordinates below the district: every Tianjin location carries its district's centre from
:mod:`matching.domain.divisions`, and ``precision`` tells the caller how much of the address
was understood.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple

from matching.domain import divisions
from matching.domain.divisions import CITY, District
from matching.schemas import Location
from matching.understand.location.reference import (
    MAX_CHARS,
    MIN_STEM,
    SEPARATORS,
    TIANJIN_RE,
    Entry,
    clean,
    load_tables,
)

__all__ = ["parse_location"]

_ROAD_CHARS = frozenset("路道街")  # "河北路", "南京路": a road named after a place, not the place
_DISTRICT_CHARS = frozenset("区县")
_DIGITS_RE = re.compile(r"\d{6}")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_COUNTRY_RE = re.compile(r"^(?:中华人民共和国|中国)")
_PROVINCE_SUFFIX_RE = re.compile(r"^(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省)")
_GENERIC_CITY_RE = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:市|地区|盟|自治州)")
# A district of another city: "朝阳区", "浦东新区", "嘉善县", then, failing that, "江津市", "长安镇".
_OTHER_DISTRICT_RES = (
    re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:区|县|旗)"),
    re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:市|镇)"),
)


# --------------------------------------------------------------------------- Tianjin names


class _Hit(NamedTuple):
    length: int
    district: District | None  # None: the name fits several districts
    street: str | None


def _resolve(entries: Iterable[Entry]) -> tuple[District | None, str | None]:
    """One meaning out of the best-ranked entries, or (None, None) when they disagree."""
    entries = list(entries)
    top = max(e.rank for e in entries)
    best = [e for e in entries if e.rank == top]
    if len({e.district.code for e in best}) > 1:
        return None, None
    streets = {e.street for e in best}
    return best[0].district, (streets.pop() if len(streets) == 1 else None)


def _match_start(s: str, within: District | None) -> _Hit | None:
    """The longest name at the start of ``s`` (only streets of ``within`` when given)."""
    t = load_tables()
    for n in t.lengths:
        if n > len(s):
            continue
        entries = t.names.get(s[:n])
        if not entries:
            continue
        if within is None:
            cand = [e for e in entries if not e.qualified]
        else:
            cand = [e for e in entries if e.street and e.district is within]
        follow = s[n : n + 1]
        if follow in _ROAD_CHARS:  # "河北路" is a road in 和平区, not 河北区
            cand = [e for e in cand if e.rank == 2]
        elif follow in _DISTRICT_CHARS:  # "朝阳区" is not 静海区's 朝阳街道
            cand = [e for e in cand if e.rank > 0]
        if cand:
            district, street = _resolve(cand)
            return _Hit(n, district, street)
    return None


def _search_full(s: str, within: District | None, min_len: int) -> _Hit | None:
    """The first street written in full anywhere in ``s`` (longest at that position)."""
    t = load_tables()
    for i, ch in enumerate(s):
        if ch not in t.full_first:
            continue
        for n in t.full_lengths:
            if n < min_len or i + n > len(s):
                continue
            entries = t.full.get(s[i : i + n])
            if not entries:
                continue
            if within is None:
                cand = [e for e in entries if not e.qualified]
            else:
                cand = [e for e in entries if e.district is within]
            if cand:
                district, street = _resolve(cand)
                return _Hit(n, district, street)
    return None


def _street_in(tail: str, district: District) -> str | None:
    tail = tail.lstrip(SEPARATORS)
    hit = _match_start(tail, district) or _search_full(tail, district, MIN_STEM)
    return hit.street if hit else None


def _tianjin(s: str) -> tuple[District, str | None] | bool | None:
    """Read ``s`` (the city already stripped) as a Tianjin address.

    Returns (district, street or None); True when the text names a place in Tianjin that fits
    several districts (e.g. "海滨街道"); None when it names no Tianjin place.
    """
    t = load_tables()
    m = t.district_re.search(s)
    if m:  # an explicit district wins over any street name that belongs elsewhere
        district = divisions.BY_NAME[m.group()]
        return district, _street_in(s[m.end() :], district)
    hit = _match_start(s, None) or _search_full(s, None, 4)
    if hit is None:
        return None
    if hit.district is None:
        return True
    if hit.street is not None:
        return hit.district, hit.street
    tail = s[hit.length :]
    tail = (
        tail[2:] if tail.startswith("新区") else tail[1:] if tail[:1] in _DISTRICT_CHARS else tail
    )
    return hit.district, _street_in(tail, hit.district)


def _tianjin_location(found: tuple[District, str | None] | bool | None) -> Location | None:
    if found is None:
        return None
    if isinstance(found, bool):
        return Location(city=CITY, precision="city")
    district, street = found
    return Location(
        city=CITY,
        district=district.name,
        district_code=district.code,
        street=street,
        lat=district.lat,
        lon=district.lon,
        precision="street" if street else "district",
    )


# --------------------------------------------------------------------------- other cities


class _CityPrefix(NamedTuple):
    city: str
    rest: str  # after the city, its 市 and any separator
    sep: bool  # a separator followed: the rest is the district as written ("南京-栖霞区")
    explicit: bool  # "市" or a separator followed the name: surely the city


def _city_prefix(s: str) -> _CityPrefix | None:
    t = load_tables()
    for n in t.city_lengths:
        city = s[:n]
        if n > len(s) or city not in t.cities:
            continue
        after = s[n:]
        shi = after.startswith("市")
        if shi:
            after = after[1:]
        elif after[:1] in _ROAD_CHARS or after[:1] in _DISTRICT_CHARS or after.startswith("大街"):
            continue  # "南京路", "成都道": Tianjin roads named after cities; "朝阳区" is no city
        rest = after.lstrip(SEPARATORS)
        sep = len(rest) < len(after)
        return _CityPrefix(city, rest, sep, shi or sep)
    return None


def _other_city(city: str, rest: str, explicit_sep: bool) -> Location:
    """A place outside Tianjin: city and, when written, its district as written."""
    district = None
    han = _HAN_RE.fullmatch(rest)
    if explicit_sep and han and 2 <= len(rest) <= 12:
        district = rest  # "南京-栖霞区", "广州-增城", "武汉-东湖新技…"
    else:
        for pattern in _OTHER_DISTRICT_RES:
            m = pattern.match(rest)
            if m:
                district = m.group()
                break
    return Location(city=city, district=district, precision="district" if district else "city")


def _province(s: str) -> Location | None:
    """Read a province first ("安徽省 - 合肥市", "江苏苏州", "广东省"), then city and district."""
    t = load_tables()
    for province in t.provinces:
        if not s.startswith(province):
            continue
        after = s[len(province) :]
        m = _PROVINCE_SUFFIX_RE.match(after)
        rest = after[m.end() :] if m else after
        stripped = rest.lstrip(SEPARATORS)
        sep = len(stripped) < len(rest)
        city = _city_prefix(stripped)
        if not (m or sep or city or (not after and province not in t.names)):
            return None  # "河北区", "河北路": Tianjin, not the province
        if city is not None:
            return _other_city(city.city, city.rest, city.sep)
        g = _GENERIC_CITY_RE.match(stripped)
        if g:
            rest = stripped[g.end() :]
            rest_stripped = rest.lstrip(SEPARATORS)
            return _other_city(g.group(1), rest_stripped, len(rest_stripped) < len(rest))
        return Location(city=province, precision="city")
    return None


# --------------------------------------------------------------------------- public parsing


def parse_location(text: object) -> Location | None:
    """Read an address or a job board's location into a :class:`Location`.

    Text without a city is read as Tianjin (河东区 and 河北区 exist elsewhere too).
    Understood: "天津·南开区", "天津-南开区", "天津市南开区鞍山西道", "南开", "塘沽" (→ 滨海新区),
    "杨村" (→ 武清区), "西青区杨柳青镇", a street unique in Tianjin ("小白楼" → 和平区),
    "天津经济技术开发区", "天津" (city only), and places elsewhere as job boards write them:
    "南京-栖霞区", "上海·浦东新区", "南宁", "安徽省 - 合肥市" (their district as written, no
    code and no coordinates).

    Street names are matched written in full ("小白楼街道"), as "XX街", or as their bare stem
    of two characters or more; the longest name wins, and a street of another district never
    overrides a district written explicitly. We have no street coordinates: a Tianjin location
    carries its district's centre (``precision`` says whether the street was recognised).

    Parameters
    ----------
    text : object
        Usually a str; anything else (None, NaN) gives None. Never raises.

    Returns
    -------
    Location or None
        None when the text names no place we know.

    Examples
    --------
    >>> parse_location("天津·南开区").district_code
    '120104'
    >>> parse_location("南京-栖霞区").city, parse_location("南京-栖霞区").district
    ('南京', '栖霞区')
    """
    if not isinstance(text, str):
        return None
    return _parse_cached(text[:MAX_CHARS])


@functools.lru_cache(maxsize=1 << 17)
def _parse_cached(text: str) -> Location | None:
    s = _COUNTRY_RE.sub("", clean(text)).lstrip(SEPARATORS)
    if not s:
        return None
    if _DIGITS_RE.fullmatch(s):
        d = divisions.BY_CODE.get(s)
        return _tianjin_location((d, None)) if d else None
    loc = _province(s)
    if loc is not None:
        return loc
    m = TIANJIN_RE.match(s)
    if m:
        rest = s[m.end() :].lstrip(SEPARATORS)
        found = _tianjin(rest) if rest else None
        return _tianjin_location(True if found is None else found)
    city = _city_prefix(s)
    if city is not None:
        # "朝阳" is a street of 静海区 as well as a city of Liaoning: unless "市" or a separator
        # says city, a Tianjin name at least as long wins (text without a city is Tianjin).
        hit = None if city.explicit else _match_start(s, None)
        if hit is None or hit.length < len(city.city):
            return _other_city(city.city, city.rest, city.sep)
    return _tianjin_location(_tianjin(s))
