"""Reference tables of place names: Tianjin's streets and towns, other cities and provinces.

Tianjin's streets come from ``resources/tianjin_streets.tsv`` (with the short forms people
write: "小白楼街道" → "小白楼", "小白楼街"), other cities from ``resources/location_cities.tsv``.
They are loaded lazily, once, on first use (:func:`load_tables`); importing this module does
no work. :func:`clean` is the normalisation every text gets before it is looked up.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from matching.domain import divisions
from matching.domain.divisions import District
from matching.exceptions import CategoryTableError

__all__ = [
    "MAX_CHARS",
    "MIN_STEM",
    "SEPARATORS",
    "TIANJIN_RE",
    "Entry",
    "Tables",
    "clean",
    "load_tables",
    "street_names",
]

MAX_CHARS = 200  # an address is short; the rest of a long text is not looked at

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
MIN_STEM = 2
SEPARATORS = "-·•・‧∙—–~_/|,，:：;；、"
_TRAILING = SEPARATORS + ".。…"
_SPACE_RE = re.compile(r"\s+")
TIANJIN_RE = re.compile(r"^天津(?:市)?")


class Entry(NamedTuple):
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
class Tables:
    """Every table, indexed for lookup by :mod:`matching.understand.location.address`."""

    streets: tuple[tuple[str, District], ...]  # (name, district) as in the division table
    names: dict[str, tuple[Entry, ...]]  # every written form → its meanings
    lengths: tuple[int, ...]  # distinct key lengths, longest first
    full: dict[str, tuple[Entry, ...]]  # forms safe to look for anywhere in a text (rank 2)
    full_lengths: tuple[int, ...]
    full_first: frozenset[str]  # first characters of ``full`` keys
    district_re: re.Pattern[str]
    cities: dict[str, str]  # city → province
    city_lengths: tuple[int, ...]
    provinces: tuple[str, ...]  # longest first


def clean(text: str) -> str:
    """NFKC (full-width → half-width), no whitespace, no trailing separators or ellipsis."""
    s = unicodedata.normalize("NFKC", text[:MAX_CHARS])
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
        streets.append((clean(row[1]), divisions.BY_CODE[row[2].strip()]))
    return tuple(streets)


def _stem_forms(name: str) -> Iterable[tuple[str, int]]:
    """The forms of one street name with their rank: the name, "XX街", the bare stem."""
    yield name, 2
    for suffix in _STREET_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_STEM:
            stem = name[: -len(suffix)]
            yield stem, 0
            if suffix == "街道":
                yield stem + "街", 2
            elif suffix == "满族乡":
                yield stem + "乡", 2
            break


def _unqualified(name: str, district: District) -> str:
    """The name without a leading "天津(市)" and without its own district's name."""
    name = TIANJIN_RE.sub("", name)
    for prefix in (district.name, district.short):
        if name.startswith(prefix) and len(name) - len(prefix) >= MIN_STEM:
            return name[len(prefix) :]
    return name


def _name_entries(
    streets: Iterable[tuple[str, District]],
) -> dict[str, list[Entry]]:
    names: dict[str, list[Entry]] = {}

    def add(key: str, entry: Entry) -> None:
        if len(key) >= MIN_STEM and entry not in names.setdefault(key, []):
            names[key].append(entry)

    for name, district in streets:
        bare = TIANJIN_RE.sub("", name)
        shorter = _unqualified(name, district)
        for form in {name, bare, shorter}:
            qualified = form == shorter and shorter != bare  # lost its district's name
            for key, rank in _stem_forms(form):
                add(key, Entry(district, name, rank, qualified))
    for d in divisions.DISTRICTS:
        add(d.short, Entry(d, None, 1, False))
    for alias, target in {**divisions.ALIASES, **_EXTRA_ALIASES}.items():
        add(alias, Entry(divisions.BY_NAME[target], None, 1, False))
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
def load_tables() -> Tables:
    """The tables, read and checked on the first call and kept."""
    divisions.check_table()
    streets = _read_streets()
    names = {k: tuple(v) for k, v in _name_entries(streets).items()}
    full = {k: tuple(e for e in v if e.rank == 2) for k, v in names.items()}
    full = {k: v for k, v in full.items() if v}
    cities, provinces = _read_cities()
    district_alt = "|".join(sorted(divisions.NAMES, key=len, reverse=True))
    return Tables(
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
    t = load_tables()
    return tuple(sorted(k for k, v in t.names.items() if any(e.street for e in v)))
