"""A person's 地点要求: "离家5公里内", "河西区及周边" → :class:`LocationRequirement`.

:func:`parse_location_requirement` reads the requirement, :func:`satisfies` checks a place
against it and :func:`describe` says it back in plain Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.domain import divisions
from matching.domain.divisions import CITY
from matching.schemas import Location
from matching.understand.location.address import parse_location
from matching.understand.location.distance import distance_km, neighbours
from matching.understand.location.reference import clean

__all__ = [
    "CENTRAL_DISTRICTS",
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
    s = clean(raw)
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
