"""A person's 地点要求: "离家5公里内", "河西区及周边" → :class:`LocationRequirement`.

:func:`parse_location_requirement` reads the requirement, :func:`satisfies` checks a place
against it and :func:`describe` says it back in plain Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matching.domain import divisions
from matching.domain.divisions import CITY
from matching.schemas import Location
from matching.understand.location.address import parse_location
from matching.understand.location.distance import distance_km, neighbours
from matching.understand.location.reference import clean

__all__ = [
    "CENTRAL_DISTRICTS",
    "METRO_REACH_KM",
    "NEAR_HOME_KM",
    "SPEED_KMH",
    "LocationRequirement",
    "describe",
    "parse_location_requirement",
    "satisfies",
]

# 市内六区: the six central districts, as Tianjin people use the phrase.
CENTRAL_DISTRICTS: tuple[str, ...] = ("和平区", "河东区", "河西区", "南开区", "河北区", "红桥区")
# 环城四区: the four districts ringing the centre.
_RING_DISTRICTS: tuple[str, ...] = ("东丽区", "西青区", "津南区", "北辰区")


@dataclass(frozen=True, slots=True)
class LocationRequirement:
    """A person's 地点要求, resolved.

    ``districts`` empty and ``max_km`` None = any place. When both are set, both must hold.
    ``nearby`` widens ``districts`` by their :func:`neighbours` (the bordering districts).
    ``strict`` is True only when the person says so (只/仅/必须/只能: "只在河西区"): callers
    then filter by it. Otherwise a requirement is a strong preference: a fitting posting just
    outside ranks lower, it does not vanish. ``understood`` is False when part of ``text``
    could not be read (that part is then ignored, never guessed).
    """

    districts: frozenset[str] = frozenset()
    nearby: bool = False
    max_km: float | None = None
    strict: bool = False
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


# "都可以/都行/均可" after a list of places ("南开、和平、河西都可以") only closes the list; on
# its own, or after "哪里", it means no requirement.
_ANY_TAIL_RE = re.compile(r"都可以|都行|均可以?|皆可|都可|也行|也可以|都成|都没问题")
_ANY_RE = re.compile(
    r"不限|无要求|没有要求|没要求|无所谓|服从|随便|不挑|任意|哪里|哪儿|哪都|"
    r"^(?:无|全市|本市|天津市?|天津全市|全天津|市内外)$"
)
_NEGATION_RE = re.compile(r"不去|不要|不考虑|不接受|不想|不能|除了|除去|除|排除|以外|之外")
_ONLY_RE = re.compile(r"只|仅|必须|一定要|务必|限于|限在")
_OWN_DISTRICT_RE = re.compile(r"本区|本辖区|所在区|户籍所在区|居住区|本街道?")
_NEAR_HOME_RE = re.compile(
    r"离家近|离家不远|就近|家附近|住家附近|家门口|家周边|居住地附近|住址附近|住处附近|"
    r"近一点|近点|不要太远|别太远|不太远"
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
# How people say how they get to work, and door-to-door speeds (waiting and walking to the
# stop included): walking 4.8 km/h (15 min ≈ 1.2 km); a bicycle 15 km/h; an e-bike 20 km/h
# (GB 17761-2018 caps them at 25); a bus 15 km/h; the metro 25 km/h; a car 30 km/h in the city;
# an unnamed "通勤"/"车程" 20 km/h.
_MODES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("walk", re.compile(r"步行|走路|徒步|走着")),
    ("ebike", re.compile(r"电动车|电瓶车|电驴|电动自行车")),
    ("bike", re.compile(r"骑车|骑行|自行车|单车")),
    ("metro", re.compile(r"地铁|轻轨")),
    ("bus", re.compile(r"公交|坐车|乘车")),
    ("car", re.compile(r"开车|驾车|自驾|打车")),
)
SPEED_KMH: dict[str, float] = {
    "walk": 4.8, "bike": 15.0, "ebike": 20.0, "bus": 15.0, "metro": 25.0, "car": 30.0,
    "commute": 20.0,
}  # fmt: skip
# "离家近" without a figure: half an hour by bus (7.5 km). "地铁能到" without a figure: forty
# minutes by metro (about 16.7 km); with district centres as coordinates both are rough.
NEAR_HOME_KM = round(0.5 * SPEED_KMH["bus"], 1)
METRO_REACH_KM = round(40 / 60 * SPEED_KMH["metro"], 1)
_METRO_REACH_RE = re.compile(
    r"地铁(?:能|可以|可)?(?:到|直达|通)|(?:坐|乘)地铁(?:能|可以|可)?(?:到|直达)|地铁沿线|地铁附近"
)
# Words around the places that carry no place themselves ("离家…以内", "工作地点在…").
_FILLER_WORDS = (
    r"离家|距家|距离|离|住处|住的地方|家|以内|之内|范围内|范围|左右|最好|优先|希望|要求|地点|"
    r"工作|上班|步行|走路|徒步|骑车|骑行|自行车|单车|电动车|电瓶车|公交|地铁|坐车|乘车|开车|"
    r"驾车|自驾|通勤|车程|路程|可以|可|为宜|内|约|大约|在|的|都|也|只|仅|必须|只能|限于|限在|"
    r"一定要|务必|能够|能|就行|就可以|即可|就好|一点|坐|乘|电动车|电瓶车|骑|方便|能到|到|地方|轻轨|打车|城区|城里|县城"
)
_FILLER_RE = re.compile(rf"(?:{_FILLER_WORDS})+")
_LEADING_FILLER_RE = re.compile(
    r"^(?:工作地点|地点|希望|最好|优先|工作|上班|在|离家|距家|约|大约|只|仅|必须|只能|限于|限在)+"
)
_TRAILING_FILLER_RE = re.compile(
    r"(?:以内|之内|范围内|范围|左右|内|优先|为宜|最好|均可|都可以|可以|工作|上班)+$"
)
# "和" joins places ("河西和南开") but also starts one (和平区): it splits only before other text.
_PART_SPLIT_RE = re.compile(r"(?:[、,，/;；。()（）]|或者|[或及与]|和(?!平))+")
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
            mode = next((name for name, said in _MODES if said.search(s)), "commute")
            return round(hours * SPEED_KMH[mode], 1), s[: m.start()] + "、" + s[m.end() :]
    if _METRO_REACH_RE.search(s):
        return METRO_REACH_KM, _METRO_REACH_RE.sub("、", s)
    return None, s


def _home_district(home: Location | None) -> str | None:
    if home is None or home.city != CITY or home.district not in divisions.BY_NAME:
        return None
    return home.district


def parse_location_requirement(text: object, home: Location | None = None) -> LocationRequirement:
    """Read a person's 地点要求 into a :class:`LocationRequirement`.

    "不限", "都行" or "" → any; "河西区及周边" → {河西区} and the districts bordering it;
    "南开、和平、河西都可以" → those three; "本区" → the district of ``home``; "离家近"/"就近"
    → :data:`NEAR_HOME_KM` from home; "离家5公里内" → 5 km; "步行15分钟" → 1.2 km;
    "骑电动车半小时" → 10 km; "坐公交一小时内" → 15 km (speeds in :data:`SPEED_KMH`);
    "地铁能到" → :data:`METRO_REACH_KM`; "市内六区" → 和平 河东 河西 南开 河北 红桥.
    ``strict`` only when 只/仅/必须 is said ("只在河西区"). Negations ("不去滨海") are not
    guessed at: they give any place with ``understood=False``.

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
    LocationRequirement(districts=frozenset({'河西区'}), nearby=True, max_km=None, strict=False, text='河西区及周边', understood=True)
    """
    return _parsed(text if isinstance(text, str) else "", _home_district(home))


@lru_cache(maxsize=4096)
def _parsed(raw: str, own: str | None) -> LocationRequirement:
    """:func:`parse_location_requirement` of ``raw`` for a person whose home district is
    ``own`` (all it reads of the home), kept: many persons write the same words. The result is
    frozen, so no caller can change what the next one gets."""
    s = clean(raw)
    if _NEGATION_RE.search(s):  # "不去滨海": never turn an exclusion into an inclusion
        return LocationRequirement(text=raw, understood=False)
    s = _ANY_TAIL_RE.sub("、", s)
    if not s.strip("、") or _ANY_RE.search(s):
        return LocationRequirement(text=raw)
    districts: set[str] = set()
    understood = True
    if _OWN_DISTRICT_RE.search(s):
        understood = own is not None
        districts.update([own] if own else [])
        s = _OWN_DISTRICT_RE.sub("、", s)
    near_home = bool(_NEAR_HOME_RE.search(s))
    s = _NEAR_HOME_RE.sub("、", s)
    nearby = bool(_NEARBY_RE.search(s))
    s = _NEARBY_RE.sub("、", s)
    max_km, s = _radius_km(s)
    if max_km is None and near_home:
        max_km = NEAR_HOME_KM
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
        strict=bool(_ONLY_RE.search(raw)),
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
    if parts and req.strict:
        said = "只限" + said
    if not req.understood:
        said += f"（未能完全识别：{req.text.strip()}）"
    return said
