"""Working hours: a posting's shift from its text, and the hours a person can work from 备注.

:func:`parse_shift` reads 白班/长白班, 夜班, 晚班, 两班倒/三班倒/倒班/轮班/做一休一 and hours such as
"7:00-15:00", "7点到下午4点", "晚8点到早6点" (over midnight = a night shift).
:func:`parse_availability` reads what a caseworker writes in 备注/其他需求: "只上白班", "不想倒夜班",
"最好早班", "接孩子" (days only), "九点到三点", "上午9点到下午3点", "下午有空" (a window of hours).
Nothing is guessed: a text that says nothing gives an empty :class:`Shift` / :class:`Availability`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.understand.numerals import parse_chinese_number
from matching.understand.text import nfkc_prefix

__all__ = [
    "SHIFT_HINT", "Availability", "Shift", "parse_availability", "parse_shift", "plain_needs",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Shift:
    """A posting's hours: ``off_day`` = nights, evenings or rotating shifts; hours 0–24."""

    off_day: bool = False
    what: str = ""  # the words that said so ("两班倒", "夜班", "22:00-6:00")
    start_h: float | None = None
    end_h: float | None = None


@dataclass(frozen=True, slots=True)
class Availability:
    """When a person can work: ``days_only`` rules out nights, evenings and rotating shifts;
    ``start_h``/``end_h`` a window of the day ("九点到三点")."""

    days_only: bool = False
    start_h: float | None = None
    end_h: float | None = None
    said: str = ""  # the words that said so


_OFF_DAY_RE = re.compile(
    r"两班倒|三班倒|四班三倒|倒班|轮班|夜班|大夜|通宵|做一休一|上一休一|24小时值班|白夜班|早中晚班"
)
# 晚班 alone is an evening shift; offered next to 早班/白班 it is a choice ("早班7-15点或晚班").
_EVENING_RE = re.compile(r"晚班|中班")
_DAY_OPTION_RE = re.compile(r"早班|白班")
# An hour of the day: "7:30", "7点", "7点半", "下午4点", "九点"; its unit may be left out on
# one end of a range ("7-15点", "7点到下午4"), never on both (that is an age or a headcount).
_WHEN = r"(?P<{p}ap>上午|下午|中午|晚上?|早上?|凌晨)?(?P<{p}h>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})"
_UNIT = r"(?:[:：](?P<{p}m>\d{{2}})|点(?P<{p}half>半)?)"
_HOUR = _WHEN + _UNIT
_SEP = r"\s*(?:上班|开始)?\s*(?:-|~|至|到|—)\s*"
_RANGE_RES = (
    re.compile(_HOUR.format(p="a") + _SEP + _WHEN.format(p="b") + _UNIT.format(p="b") + "?"),
    re.compile(_WHEN.format(p="a") + _UNIT.format(p="a") + "?" + _SEP + _HOUR.format(p="b")),
)
_NO_NIGHTS_RE = re.compile(
    r"(?:不|没法|无法|不能|不想|不愿|不再)(?:意|愿意)?(?:倒|上|值|熬)?(?:夜班|倒班|晚班|夜|班倒)|"
    r"(?:只|仅)(?:能|想|要)?(?:上|做|干)?(?:长?白班|早班)|(?:最好|希望|想找个?|想要)(?:长?白班|早班)|"
    r"(?:夜班|倒班|晚班)(?:不考虑|不行|不上|不干|不做|不接受)|晚上(?:走不开|不行|没空|不方便)|"
    r"接(?:送)?(?:孩子|小孩|外孙|孙子|孙女)|送(?:孩子|小孩)上学|照顾(?:老人|孩子)"
)
_CAN_NIGHTS_RE = re.compile(r"(?:可以|能|能接受|接受|愿意)(?:倒夜班|倒班|上夜班|夜班|值班)")
_PART_OF_DAY: dict[str, tuple[float, float]] = {
    "上午有空": (8.0, 12.0), "下午有空": (13.0, 18.0), "只有上午": (8.0, 12.0),
    "只有下午": (13.0, 18.0), "只能上午": (8.0, 12.0), "只能下午": (13.0, 18.0),
}  # fmt: skip
_FETCH_AT_RE = re.compile(_HOUR.format(p="a") + r"[^，。；]{0,4}接")
# An hour followed by its unit ("7:", "7点", "九点"): each range of _RANGE_RES holds one.
_HOUR_UNIT_RE = re.compile(r"[\d一二两三四五六七八九十][:：点]")
# What every shift parse_shift reads holds (an hour with its unit, a 班, or one of the other
# words): a text in NFKC without any gives Shift(), so a board's texts can be passed over.
SHIFT_HINT = re.compile(r"[\d一二两三四五六七八九十][:点]|班|大夜|通宵|做一休一|上一休一")


def _clean(text: object) -> str:
    return nfkc_prefix(text, 500)


def _hour(m: re.Match[str], p: str, after: float | None = None) -> float | None:
    raw = m[f"{p}h"]
    h = int(raw) if raw.isdigit() else parse_chinese_number(raw)
    if h is None or h > 24:
        return None
    minutes = int(m[f"{p}m"]) if m[f"{p}m"] else (30 if m[f"{p}half"] else 0)
    ap = m[f"{p}ap"] or ""
    if ap.startswith(("下午", "晚")) and h < 12:
        h += 12
    elif ap.startswith("晚") and h == 12:
        h = 24  # 晚12点 = midnight
    elif not ap and after is not None and h < after and h + 12 <= 24 and h < 12:
        h += 12  # "九点到三点": the end is in the afternoon
    return h + minutes / 60


def _hours(text: str) -> tuple[float | None, float | None, str]:
    if not _HOUR_UNIT_RE.search(text):
        return None, None, ""  # a range of hours has an hour with its unit on one end at least
    found = [m for r in _RANGE_RES if (m := r.search(text))]
    if not found:
        return None, None, ""
    m = min(found, key=lambda f: f.start())
    start = _hour(m, "a")
    end = _hour(m, "b", after=start) if start is not None else None
    return start, end, m.group()


def parse_shift(text: object) -> Shift:
    """A posting's shift from its title and description.

    Examples
    --------
    >>> parse_shift("长白班8:00-17:00，月综合6000").off_day
    False
    >>> parse_shift("两班倒，夜班补贴50元").what
    '两班倒'
    """
    s = _clean(text)
    start, end, said = _hours(s)
    m = _OFF_DAY_RE.search(s) or (None if _DAY_OPTION_RE.search(s) else _EVENING_RE.search(s))
    if m:
        return Shift(True, m.group(), start, end)
    if start is not None and end is not None and (end <= start or end >= 22 or start < 5):
        return Shift(True, said, start, end)  # over midnight, late at night or before dawn
    return Shift(False, "", start, end)


def parse_availability(text: object) -> Availability:
    """When a person can work, from 备注 / 其他需求 as a caseworker writes them.

    Examples
    --------
    >>> parse_availability("孩子上学，只能上午9点到下午3点")
    Availability(days_only=True, start_h=9.0, end_h=15.0, said='上午9点到下午3点')
    """
    s = _clean(text)
    start, end, said = _hours(s)
    for words, (lo, hi) in _PART_OF_DAY.items():
        if start is None and words in s:
            start, end, said = lo, hi, words
    fetch = _FETCH_AT_RE.search(s)
    if fetch and start is None:
        at = _hour(fetch, "a")
        if at is not None:
            at = at + 12 if at < 7 else at  # "4点半接孩子" is in the afternoon
            start, end, said = None, at - 0.5, fetch.group()
    no_nights = _NO_NIGHTS_RE.search(s)
    window = start is not None or end is not None
    days_only = bool((no_nights or window) and not _CAN_NIGHTS_RE.search(s))
    said = no_nights.group() if no_nights and not said else said
    return Availability(days_only, start, end, said)


_NEGATED_CLAUSE_RE = re.compile(r"不|没|别|无法|不能|不想|不愿")


def plain_needs(text: object) -> str:
    """The clauses of 备注 that say what a person wants or can do, for text similarity.

    Clauses with a negation ("不想倒夜班", "不能久站") are left out: their words would pull the
    very postings they rule out closer.
    """
    clauses = re.split(r"[，。；;,.!！?？\s]+", _clean(text))
    return " ".join(c for c in clauses if c and not _NEGATED_CLAUSE_RE.search(c))
