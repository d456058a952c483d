"""Addresses and location requirements: "天津·南开区" → :class:`Location`, "离家5公里内" → rule.

Two halves:

* :func:`parse_location` reads an address as people and job boards write it (Tianjin addresses
  down to the street/town, and "城市-区" / "省 - 市" strings of other cities) into a
  :class:`~matching.schemas.Location`. :func:`distance_km` measures between two of them.
* :func:`parse_location_requirement` reads a person's 地点要求 into a
  :class:`LocationRequirement`; :func:`satisfies` checks a place against it and
  :func:`describe` says it back in plain Chinese.

Reference tables (Tianjin's streets from ``resources/tianjin_streets.tsv``, other cities from
``resources/location_cities.tsv``) are loaded lazily, once, on first use; importing this module
does no work. We have no coordinates below the district: every Tianjin location carries its
district's centre from :mod:`matching.domain.divisions`, and ``precision`` tells the caller how much
of the address was understood.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from matching.domain import divisions
from matching.domain.divisions import District
from matching.exceptions import CategoryTableError
from matching.schemas import Location

__all__ = [
    "CENTRAL_DISTRICTS",
    "LocationRequirement",
    "NEIGHBOUR_RADIUS_KM",
    "describe",
    "distance_km",
    "neighbours",
    "parse_location",
    "parse_location_requirement",
    "satisfies",
    "street_names",
]

CITY = divisions.CITY
# 市内六区: the six central districts, as Tianjin people use the phrase.
CENTRAL_DISTRICTS: tuple[str, ...] = ("和平区", "河东区", "河西区", "南开区", "河北区", "红桥区")
# 环城四区: the four districts ringing the centre.
_RING_DISTRICTS: tuple[str, ...] = ("东丽区", "西青区", "津南区", "北辰区")
# "及周边" = districts whose centres lie within this radius of the named district's centre.
NEIGHBOUR_RADIUS_KM = 15.0
_EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
_MAX_CHARS = 200  # an address is short; the rest of a long text is not looked at

# Names people use for zones of 滨海新区 etc. that are neither in divisions.ALIASES nor a street
# of the division table (keys are written after "天津" has been stripped).
_EXTRA_ALIASES: dict[str, str] = {
    "经济技术开发区": "滨海新区",  # 天津经济技术开发区 (TEDA); its West Zone is listed in 东丽区
    "经开区": "滨海新区",
    "滨海高新区": "滨海新区",
    "生态城": "滨海新区",
    "中新生态城": "滨海新区",
    "东疆": "滨海新区",
    "东疆港": "滨海新区",
    "临港": "滨海新区",
    "于家堡": "滨海新区",
    "响螺湾": "滨海新区",
    "空港": "东丽区",  # 天津空港经济区 is listed in 东丽区
    "临空经济区": "东丽区",  # listed as 天津市东丽区临空经济区
}
# Suffixes of street-level units in the table, longest first; the stem before them is what
# people write on its own ("小白楼街道" → "小白楼", "孙各庄满族乡" → "孙各庄").
_STREET_SUFFIXES = ("满族乡", "街道", "地区", "镇", "乡")
_MIN_STEM = 2
_ROAD_CHARS = frozenset("路道街")  # "河北路", "南京路": a road named after a place, not the place
_DISTRICT_CHARS = frozenset("区县")
_SEPARATORS = "-·•・‧∙—–~_/|,，:：;；、"
_TRAILING = _SEPARATORS + ".。…"
_SPACE_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"\d{6}")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_COUNTRY_RE = re.compile(r"^(?:中华人民共和国|中国)")
_TIANJIN_RE = re.compile(r"^天津(?:市)?")
_PROVINCE_SUFFIX_RE = re.compile(r"^(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省)")
_GENERIC_CITY_RE = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:市|地区|盟|自治州)")
# A district of another city: "朝阳区", "浦东新区", "嘉善县", then, failing that, "江津市", "长安镇".
_OTHER_DISTRICT_RES = (
    re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:区|县|旗)"),
    re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:市|镇)"),
)


class _Entry(NamedTuple):
    """What a written name means: a district, or a street in it.

    ``rank`` breaks ties between names of equal length: 2 = a street written with its suffix,
    1 = a district's short name or an alias, 0 = a street's bare stem. ``qualified`` entries
    are names only understood after their district ("东丽区经济技术开发区" → "经济技术开发区").
    """

    district: District
    street: str | None
    rank: int
    qualified: bool


@dataclass(frozen=True, slots=True)
class _Tables:
    streets: tuple[tuple[str, District], ...]  # (name, district) as in the division table
    names: dict[str, tuple[_Entry, ...]]  # every written form → its meanings
    lengths: tuple[int, ...]  # distinct key lengths, longest first
    full: dict[str, tuple[_Entry, ...]]  # forms safe to look for anywhere in a text (rank 2)
    full_lengths: tuple[int, ...]
    full_first: frozenset[str]  # first characters of ``full`` keys
    district_re: re.Pattern[str]
    cities: dict[str, str]  # city → province
    city_lengths: tuple[int, ...]
    provinces: tuple[str, ...]  # longest first


def _clean(text: str) -> str:
    """NFKC (full-width → half-width), no whitespace, no trailing separators or ellipsis."""
    s = unicodedata.normalize("NFKC", text[:_MAX_CHARS])
    return _SPACE_RE.sub("", s).strip(_TRAILING)


def _resource_rows(name: str) -> list[list[str]]:
    raw = resources.files("matching").joinpath("resources", name).read_text(encoding="utf-8")
    return [ln.split("\t") for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


def _read_streets() -> tuple[tuple[str, District], ...]:
    rows = _resource_rows("tianjin_streets.tsv")[1:]  # header: code, name, district_code
    streets = []
    for row in rows:
        if len(row) < 3 or row[2].strip() not in divisions.BY_CODE:
            raise CategoryTableError(
                f"tianjin_streets.tsv 行有误 / bad row {row!r}: unknown district code; "
                "rerun tools/derive_streets.py."
            )
        streets.append((_clean(row[1]), divisions.BY_CODE[row[2].strip()]))
    return tuple(streets)


def _stem_forms(name: str) -> Iterable[tuple[str, int]]:
    """The forms of one street name with their rank: the name, "XX街", the bare stem."""
    yield name, 2
    for suffix in _STREET_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM:
            stem = name[: -len(suffix)]
            yield stem, 0
            if suffix == "街道":
                yield stem + "街", 2
            elif suffix == "满族乡":
                yield stem + "乡", 2
            break


def _unqualified(name: str, district: District) -> str:
    """The name without a leading "天津(市)" and without its own district's name."""
    name = _TIANJIN_RE.sub("", name)
    for prefix in (district.name, district.short):
        if name.startswith(prefix) and len(name) - len(prefix) >= _MIN_STEM:
            return name[len(prefix) :]
    return name


def _name_entries(
    streets: Iterable[tuple[str, District]],
) -> dict[str, list[_Entry]]:
    names: dict[str, list[_Entry]] = {}

    def add(key: str, entry: _Entry) -> None:
        if len(key) >= _MIN_STEM and entry not in names.setdefault(key, []):
            names[key].append(entry)

    for name, district in streets:
        bare = _TIANJIN_RE.sub("", name)
        shorter = _unqualified(name, district)
        for form in {name, bare, shorter}:
            qualified = form == shorter and shorter != bare  # lost its district's name
            for key, rank in _stem_forms(form):
                add(key, _Entry(district, name, rank, qualified))
    for d in divisions.DISTRICTS:
        add(d.short, _Entry(d, None, 1, False))
    for alias, target in {**divisions.ALIASES, **_EXTRA_ALIASES}.items():
        add(alias, _Entry(divisions.BY_NAME[target], None, 1, False))
    return names


def _read_cities() -> tuple[dict[str, str], tuple[str, ...]]:
    cities: dict[str, str] = {}
    provinces: list[str] = []
    for row in _resource_rows("location_cities.tsv"):
        if len(row) != 2:
            raise CategoryTableError(f"location_cities.tsv 行有误 / bad row {row!r}")
        province, names = row[0].strip(), row[1].split()
        if names != [province]:  # municipalities stand as their own province
            provinces.append(province)
        for city in names:
            cities.setdefault(city, province)
    return cities, tuple(sorted(provinces, key=len, reverse=True))


@functools.cache
def _tables() -> _Tables:
    divisions.check_table()
    streets = _read_streets()
    names = {k: tuple(v) for k, v in _name_entries(streets).items()}
    full = {k: tuple(e for e in v if e.rank == 2) for k, v in names.items()}
    full = {k: v for k, v in full.items() if v}
    cities, provinces = _read_cities()
    district_alt = "|".join(sorted(divisions.NAMES, key=len, reverse=True))
    return _Tables(
        streets=streets,
        names=names,
        lengths=tuple(sorted({len(k) for k in names}, reverse=True)),
        full=full,
        full_lengths=tuple(sorted({len(k) for k in full}, reverse=True)),
        full_first=frozenset(k[0] for k in full),
        district_re=re.compile(district_alt),
        cities=cities,
        city_lengths=tuple(sorted({len(c) for c in cities}, reverse=True)),
        provinces=provinces,
    )


@functools.cache
def street_names() -> tuple[str, ...]:
    """All of Tianjin's street/town names and the short forms people write, sorted.

    For the tokenizer's user dictionary: "小白楼街道", "小白楼", "小白楼街", "杨柳青镇", "杨柳青"…
    (forms shorter than two characters are left out).

    Returns
    -------
    tuple of str
    """
    t = _tables()
    return tuple(sorted(k for k, v in t.names.items() if any(e.street for e in v)))


# --------------------------------------------------------------------------- Tianjin names


class _Hit(NamedTuple):
    length: int
    district: District | None  # None: the name fits several districts
    street: str | None


def _resolve(entries: Iterable[_Entry]) -> tuple[District | None, str | None]:
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
    t = _tables()
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
    t = _tables()
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
    tail = tail.lstrip(_SEPARATORS)
    hit = _match_start(tail, district) or _search_full(tail, district, _MIN_STEM)
    return hit.street if hit else None


def _tianjin(s: str) -> tuple[District, str | None] | bool | None:
    """Read ``s`` (the city already stripped) as a Tianjin address.

    Returns (district, street or None); True when the text names a place in Tianjin that fits
    several districts (e.g. "海滨街道"); None when it names no Tianjin place.
    """
    t = _tables()
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
    t = _tables()
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
        rest = after.lstrip(_SEPARATORS)
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
    t = _tables()
    for province in t.provinces:
        if not s.startswith(province):
            continue
        after = s[len(province) :]
        m = _PROVINCE_SUFFIX_RE.match(after)
        rest = after[m.end() :] if m else after
        stripped = rest.lstrip(_SEPARATORS)
        sep = len(stripped) < len(rest)
        city = _city_prefix(stripped)
        if not (m or sep or city or (not after and province not in t.names)):
            return None  # "河北区", "河北路": Tianjin, not the province
        if city is not None:
            return _other_city(city.city, city.rest, city.sep)
        g = _GENERIC_CITY_RE.match(stripped)
        if g:
            rest = stripped[g.end() :]
            rest_stripped = rest.lstrip(_SEPARATORS)
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
    return _parse_cached(text[:_MAX_CHARS])


@functools.lru_cache(maxsize=1 << 17)
def _parse_cached(text: str) -> Location | None:
    s = _COUNTRY_RE.sub("", _clean(text)).lstrip(_SEPARATORS)
    if not s:
        return None
    if _DIGITS_RE.fullmatch(s):
        d = divisions.BY_CODE.get(s)
        return _tianjin_location((d, None)) if d else None
    loc = _province(s)
    if loc is not None:
        return loc
    m = _TIANJIN_RE.match(s)
    if m:
        rest = s[m.end() :].lstrip(_SEPARATORS)
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


def distance_km(a: Location, b: Location) -> float | None:
    """Great-circle (haversine) distance in km; None when either lacks coordinates.

    Two locations in the same Tianjin district get 0.0 (both carry the district's centre),
    which callers read as "同区".

    Examples
    --------
    >>> distance_km(parse_location("和平区"), parse_location("和平区"))
    0.0
    """
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return _haversine_km(a.lat, a.lon, b.lat, b.lon)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@functools.cache
def neighbours(district: str) -> tuple[str, ...]:
    """Districts whose centres lie within 15 km of this district's centre, nearest first.

    Used for "及周边". Accepts a full name, short name or alias ("河西", "塘沽"); an unknown
    name gives ().

    Examples
    --------
    >>> neighbours("和平区")[:2]
    ('河西区', '河东区')
    """
    try:
        d = divisions.get(district)
    except KeyError:
        return ()
    near = [
        (_haversine_km(d.lat, d.lon, o.lat, o.lon), o.name)
        for o in divisions.DISTRICTS
        if o is not d
    ]
    return tuple(name for km, name in sorted(near) if km <= NEIGHBOUR_RADIUS_KM)


# --------------------------------------------------------------------------- requirements


@dataclass(frozen=True, slots=True)
class LocationRequirement:
    """A person's 地点要求, resolved.

    ``districts`` empty and ``max_km`` None = any place. When both are set, both must hold.
    ``nearby`` widens ``districts`` by their :func:`neighbours`. ``strict`` is False for a
    stated preference ("河西区优先", "最好5公里内"): callers should rank by it rather than filter.
    ``understood`` is False when part of ``text`` could not be read (that part is then
    ignored, never guessed).
    """

    districts: frozenset[str] = frozenset()
    nearby: bool = False
    max_km: float | None = None
    strict: bool = True
    text: str = ""
    understood: bool = True

    @property
    def is_any(self) -> bool:
        """True when the requirement accepts any place."""
        return not self.districts and self.max_km is None

    def allowed_districts(self) -> frozenset[str]:
        """``districts`` plus their neighbours when ``nearby``."""
        if not self.nearby:
            return self.districts
        return self.districts | {n for d in self.districts for n in neighbours(d)}


_ANY_RE = re.compile(
    r"不限|无要求|没有要求|没要求|无所谓|服从|都可以|都行|均可|皆可|随便|不挑|任意|"
    r"^(?:无|全市|本市|天津市?|天津全市|全天津|市内外均可)$"
)
_NEGATION_RE = re.compile(r"不去|不要|不考虑|不接受|不想|不能|除了|除去|除|排除|以外|之外")
_HOME_RE = re.compile(
    r"本区|本辖区|所在区|户籍所在区|居住区|就近|离家近|家附近|住家附近|家门口|家周边|"
    r"居住地附近|住址附近|住处附近|居住地|本街道?"
)
_NEARBY_RE = re.compile(r"(?:及|和|或|与)?(?:周边|附近|周围|一带|旁边|邻近)(?:地区|区域|各区)?")
_GROUPS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(r"(?:市内|市区|中心城|老)?(?:六|6)区|中心城区|市内|市区|市中心"),
        CENTRAL_DISTRICTS,
    ),
    (re.compile(r"环城(?:四|4)区|环城"), _RING_DISTRICTS),
)
_NUMBER = r"\d+(?:\.\d+)?|[零一二两三四五六七八九十]+"
_RADIUS_RE = re.compile(rf"(?P<n>{_NUMBER}|半)\s*(?P<u>公里|千米|km|里(?!程))", re.IGNORECASE)
_TIME_RE = re.compile(
    rf"(?P<n>{_NUMBER})?(?P<half>个半|半)?个?(?P<u>分钟|小时|钟头)(?:之内|以内|内)?"
)
_SOFT_RE = re.compile(r"优先|最好|尽量|尽可能|希望|倾向")
_WALK_RE = re.compile(r"步行|走路|徒步")
_BIKE_RE = re.compile(r"骑车|骑行|自行车|单车|电动车|电瓶车")
# Typical door-to-door speeds: walking 4.8 km/h (15 min ≈ 1.2 km), cycling 15 km/h, and
# anything else (bus, metro, car, "通勤") 20 km/h in the city (half an hour ≈ 10 km).
_SPEED_KMH = {"walk": 4.8, "bike": 15.0, "commute": 20.0}
# Words around the places that carry no place themselves ("离家…以内", "工作地点在…").
_FILLER_WORDS = (
    r"离家|距家|距离|离|住处|住的地方|家|以内|之内|范围内|范围|左右|最好|优先|希望|要求|地点|"
    r"工作|上班|步行|走路|徒步|骑车|骑行|自行车|单车|电动车|电瓶车|公交|地铁|坐车|乘车|开车|"
    r"驾车|自驾|通勤|车程|路程|可以|可|为宜|内|约|大约|在|的|都|也"
)
_FILLER_RE = re.compile(rf"(?:{_FILLER_WORDS})+")
_LEADING_FILLER_RE = re.compile(
    r"^(?:工作地点|地点|希望|最好|优先|工作|上班|在|离家|距家|约|大约)+"
)
_TRAILING_FILLER_RE = re.compile(
    r"(?:以内|之内|范围内|范围|左右|内|优先|为宜|最好|均可|都可以|可以|工作|上班)+$"
)
_PART_SPLIT_RE = re.compile(r"[、,，/;；。和或及与]+")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _number(text: str) -> float | None:
    """ "5", "1.5", "十五", "二十", "两" → value; None when not a number we read."""
    if text[:1].isdigit():
        try:
            return float(text)
        except ValueError:  # a digit float() does not read
            return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, 1 if not tens else -1)
        o = _CN_DIGITS.get(ones, 0 if not ones else -1)
        return None if t < 0 or o < 0 else float(t * 10 + o)
    if len(text) == 1 and text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    return None


def _radius_km(s: str) -> tuple[float | None, str]:
    """The radius written in ``s`` (distance or travel time) and ``s`` without it."""
    m = _RADIUS_RE.search(s)
    if m:
        n = 0.5 if m["n"] == "半" else _number(m["n"])
        if n is not None:
            km = n * (0.5 if m["u"] == "里" else 1.0)  # 1 里 = 0.5 km
            return km, s[: m.start()] + "、" + s[m.end() :]
    m = _TIME_RE.search(s)
    if m and (m["n"] or m["half"]):
        n = _number(m["n"]) if m["n"] else 0.0
        if n is not None:
            n += 0.5 if m["half"] else 0.0
            hours = n if m["u"] in ("小时", "钟头") else n / 60
            mode = "walk" if _WALK_RE.search(s) else "bike" if _BIKE_RE.search(s) else "commute"
            return round(hours * _SPEED_KMH[mode], 1), s[: m.start()] + "、" + s[m.end() :]
    return None, s


def _home_district(home: Location | None) -> str | None:
    if home is None or home.city != CITY or home.district not in divisions.BY_NAME:
        return None
    return home.district


def parse_location_requirement(text: object, home: Location | None = None) -> LocationRequirement:
    """Read a person's 地点要求 into a :class:`LocationRequirement`.

    "不限" or "" → any; "河西区及周边" → {河西区} and nearby; "本区"/"就近" → the district of
    ``home``; "离家5公里内", "5公里以内" → 5 km; "步行15分钟" → 1.2 km; "通勤半小时" → 10 km;
    "河西区、南开区" → both; "市内六区" → 和平 河东 河西 南开 河北 红桥; "滨海新区" → it.
    Negations ("不去滨海") are not guessed at: they give any place with ``understood=False``.

    Parameters
    ----------
    text : object
        The requirement as written; not a str (None, NaN) reads as "".
    home : Location, optional
        The person's residence, for "本区" / "就近".

    Returns
    -------
    LocationRequirement

    Examples
    --------
    >>> parse_location_requirement("河西区及周边")
    LocationRequirement(districts=frozenset({'河西区'}), nearby=True, max_km=None, strict=True, text='河西区及周边', understood=True)
    """
    raw = text if isinstance(text, str) else ""
    s = _clean(raw)
    if _NEGATION_RE.search(s):  # "不去滨海": never turn an exclusion into an inclusion
        return LocationRequirement(text=raw, understood=False)
    if not s or _ANY_RE.search(s):
        return LocationRequirement(text=raw)
    districts: set[str] = set()
    understood = True
    if _HOME_RE.search(s):
        own = _home_district(home)
        understood = own is not None
        districts.update([own] if own else [])
        s = _HOME_RE.sub("、", s)
    nearby = bool(_NEARBY_RE.search(s))
    s = _NEARBY_RE.sub("、", s)
    max_km, s = _radius_km(s)
    for pattern, group in _GROUPS:
        if pattern.search(s):
            districts.update(group)
            s = pattern.sub("、", s)
    for part in _PART_SPLIT_RE.split(s):
        part = _TRAILING_FILLER_RE.sub("", _LEADING_FILLER_RE.sub("", part))
        if not part or _FILLER_RE.fullmatch(part):
            continue
        loc = parse_location(part)
        if loc is None or loc.city != CITY:
            understood = False
        elif loc.district:
            districts.add(loc.district)
    return LocationRequirement(
        districts=frozenset(districts),
        nearby=nearby and bool(districts),
        max_km=max_km,
        strict=not _SOFT_RE.search(raw),
        text=raw,
        understood=understood,
    )


def satisfies(
    req: LocationRequirement,
    home: Location | None,
    place: Location | None,
    slack_km: float = 0.0,
) -> bool | None:
    """Whether ``place`` meets ``req`` for a person living at ``home``.

    Parameters
    ----------
    req : LocationRequirement
    home : Location, optional
        The person's residence (needed for a radius).
    place : Location, optional
        The posting's place.
    slack_km : float
        Added to a radius: district centres are rough, so "5公里" may be read as 5 + slack.

    Returns
    -------
    bool or None
        None when it cannot be told (unknown place, or a radius without coordinates).
    """
    if req.is_any:
        return True
    verdicts: list[bool | None] = []
    if req.districts:
        if place is None or (place.city == CITY and place.district is None):
            verdicts.append(None)
        else:
            verdicts.append(place.city == CITY and place.district in req.allowed_districts())
    if req.max_km is not None:
        km = distance_km(home, place) if home is not None and place is not None else None
        if km is None and place is not None and place.city != CITY and _home_district(home):
            verdicts.append(False)  # another city is never within a radius of a Tianjin home
        else:
            verdicts.append(None if km is None else km <= req.max_km + slack_km)
    if False in verdicts:
        return False
    return None if None in verdicts else True


def describe(req: LocationRequirement) -> str:
    """Say the requirement back in plain Chinese.

    Examples
    --------
    >>> describe(parse_location_requirement("河西区、南开区及周边"))
    '河西区、南开区及周边'
    >>> describe(parse_location_requirement("步行15分钟"))
    '离家1.2公里以内'
    """
    parts = []
    if req.districts:
        if set(CENTRAL_DISTRICTS) <= req.districts and len(req.districts) == 6:
            names = "市内六区"
        else:
            names = "、".join(n for n in divisions.NAMES if n in req.districts)
        parts.append(names + ("及周边" if req.nearby else ""))
    if req.max_km is not None:
        parts.append(f"离家{req.max_km:g}公里以内")
    said = "，".join(parts) if parts else "不限"
    if parts and not req.strict:
        said += "（优先，非必须）"
    if not req.understood:
        said += f"（未能完全识别：{req.text.strip()}）"
    return said
