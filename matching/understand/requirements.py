"""Read a posting's requirements: education, age range and years of experience.

Each parser takes one spreadsheet cell (``大专及以上``, ``18-45岁``, ``3-4年``);
:func:`extract_requirements` finds the same facts in a free-text description when the
columns are empty (real postings write ``年龄18-50岁，身体健康，初中以上学历``). A requirement
is a minimum: ``大专或中专`` asks for 中专, ``5-7年`` for 5 years. Nothing here raises: text
that says nothing gives None.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from matching.schemas import Education
from matching.understand.numerals import parse_chinese_number

__all__ = [
    "AGE_MAX",
    "AGE_MIN",
    "extract_requirements",
    "parse_age_range",
    "parse_education",
    "parse_experience_years",
]

# Ages a posting may ask for (Posting.age_min/age_max): 16 is the legal working age, but
# 14–80 is what the schema accepts; outside it a number is a birth year or a height.
AGE_MIN = 14
AGE_MAX = 80
_MAX_EXPERIENCE_YEARS = 50

_WAVES = str.maketrans({"〜": "~", "～": "~", "—": "-", "–": "-", "−": "-", "―": "-", "﹣": "-"})


def _normalise(text: object) -> str:
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_WAVES).lower()
    return re.sub(r"\s+", " ", text)  # one space at most: keeps the patterns' \s* linear


def _cn_digits(text: str) -> str:
    """Chinese numerals to digits where they count years or ages (一年以上, 十八至三十五岁)."""

    def repl(m: re.Match[str]) -> str:
        value = parse_chinese_number(m.group())
        return m.group() if value is None else str(value)

    return re.sub(
        r"(?<![一二两三四五六七八九十])[一二两三四五六七八九十]+(?=\s*(?:年|周岁|岁|至|到|-|~))",
        repl,
        text,
    )


# ------------------------------------------------------------------ education

# Longest words first so that 大学专科 is read before 大学, 中专 before 专科.
_EDUCATION_WORDS: tuple[tuple[str, Education], ...] = (
    ("博士", Education.DOCTOR),
    ("硕士", Education.MASTER),
    ("研究生", Education.MASTER),
    ("大学专科", Education.COLLEGE),
    ("大学本科", Education.BACHELOR),
    ("本科", Education.BACHELOR),
    ("学士", Education.BACHELOR),
    ("大专", Education.COLLEGE),
    ("高职", Education.COLLEGE),
    ("专科", Education.COLLEGE),
    ("大学", Education.BACHELOR),
    ("中专", Education.SENIOR),
    ("中技", Education.SENIOR),
    ("技校", Education.SENIOR),
    ("职高", Education.SENIOR),
    ("中职", Education.SENIOR),
    ("高中", Education.SENIOR),
    ("中等", Education.SENIOR),  # 中等以上学历 = 中等专业 or higher
    ("初中", Education.JUNIOR),
    ("小学", Education.PRIMARY),
)
_EDUCATION_RE = re.compile("|".join(w for w, _ in _EDUCATION_WORDS))
_EDUCATION_OF = dict(_EDUCATION_WORDS)
_NO_EDUCATION = re.compile(
    r"不限|无要求|无学历要求|不要求|没有要求|无限制|文盲|未上学|学历不是|^\s*无\s*$|^\s*-+\s*$"
)
_AT_MOST = re.compile(r"\s*(?:及|或)?\s*以下")  # used with .match(text, pos): no ^


def parse_education(text: object) -> Education | None:
    """Read the education level a cell asks for (or a person has).

    When several levels are named (``大专或中专``, ``高中（中专）及以上``) the lowest one is
    the requirement. ``X以下`` (``初中以下``) and 不限 anywhere in the cell set no minimum.

    Parameters
    ----------
    text : object
        ``大专及以上``, ``高中以上学历``, ``中专/技校``, ``学历不限``, ``本科``, ``初中``.

    Returns
    -------
    Education or None
        ``Education.NONE`` for 不限; None when no level is named.

    Examples
    --------
    >>> parse_education("大专及以上"), parse_education("学历不限")
    (<Education.COLLEGE: 4>, <Education.NONE: 0>)
    """
    return _education(text) if isinstance(text, str) else None


@functools.lru_cache(maxsize=1 << 12)
def _education(text: str) -> Education | None:
    # A cell of a few words, repeated on every row of a sheet (大专及以上, 不限): read once.
    norm = _normalise(text)
    if not norm.strip():
        return None
    if _NO_EDUCATION.search(norm):
        return Education.NONE  # 学历不限，大专优先: a preference is not a requirement
    levels = []
    for m in _EDUCATION_RE.finditer(norm):
        if _AT_MOST.match(norm, m.end()):
            return Education.NONE
        levels.append(_EDUCATION_OF[m.group()])
    return min(levels) if levels else None


# In a description a level counts only when it reads as a requirement: 初中以上学历,
# 学历：大专, 大专及以上 — not 大专、本科应届毕业生 or 文化氛围.
_EDU_IN_TEXT = re.compile(
    rf"(?:学历|文化|文凭)\s*(?:要求)?\s*[:：]?\s*(?:为|在)?\s*(?P<a>{_EDUCATION_RE.pattern})"
    rf"|(?:全日制)?(?P<b>{_EDUCATION_RE.pattern})\s*(?:[(（][^)）]{{0,6}}[)）])?\s*"
    r"(?:(?:及|或|以及)?\s*(?:以上|或以上|及以上)\s*(?:学历|文化|文凭)?|(?:学历|文化程度|文凭|毕业))"
)
_NO_EDU_IN_TEXT = re.compile(
    r"学历不限|不限学历|文化不限|无学历要求|学历[:：]\s*不限|学历要求[:：]?\s*不限|最低学历[:：]\s*不限"
)


def _education_in(text: str) -> Education | None:
    levels = []
    for m in _EDU_IN_TEXT.finditer(text):
        word = m.group("a") or m.group("b")
        if not _AT_MOST.match(text, m.end("a") if m.group("a") else m.end("b")):
            levels.append(_EDUCATION_OF[word])
    if _NO_EDU_IN_TEXT.search(text):
        levels.append(Education.NONE)
    return min(levels) if levels else None


# ------------------------------------------------------------------ age

_AGE_UNIT = r"(?:周岁|岁)"
_SEP = r"(?:-+|~|至|到)"
_AGE_RANGE = re.compile(
    rf"(?<![0-9.])(?P<lo>[0-9]{{2}})\s*{_AGE_UNIT}?\s*{_SEP}\s*(?P<hi>[0-9]{{2}})(?![0-9.])\s*(?P<unit>{_AGE_UNIT})?"
)
_AGE_OPEN = re.compile(
    rf"(?P<pre>不超过|不高于|不低于|不小于|不大于|小于|大于|满)?\s*(?<![0-9.])(?P<n>[0-9]{{2}})(?![0-9.])\s*"
    rf"(?P<unit>{_AGE_UNIT})?\s*(?:[(（]含[)）])?\s*(?P<open>以上|以下|以内|之内|及以上|及以下|或以上|或以下)?"
)
_AGE_WORD = re.compile(r"年龄|年纪|岁")


def _age_spans(text: str, *, anchored: bool) -> tuple[list[int], list[int]]:
    """Lower and upper age bounds found in ``text``.

    ``anchored`` asks for a 岁 unit or the word 年龄 just before; a bare cell does not.
    """
    lows: list[int] = []
    highs: list[int] = []
    if anchored and not _AGE_WORD.search(text):
        return lows, highs  # nothing can be anchored: most descriptions name no age
    taken: list[tuple[int, int]] = []
    for m in _AGE_RANGE.finditer(text):
        lo, hi = int(m.group("lo")), int(m.group("hi"))
        near = text[max(0, m.start() - 6) : m.start()]
        if anchored and not (m.group("unit") or "年龄" in near or "年纪" in near):
            continue
        if AGE_MIN <= lo <= hi <= AGE_MAX:
            lows.append(lo)
            highs.append(hi)
            taken.append(m.span())
    for m in _AGE_OPEN.finditer(text):
        if any(a <= m.start("n") < b for a, b in taken):
            continue
        n, pre, openness = int(m.group("n")), m.group("pre") or "", m.group("open") or ""
        near = text[max(0, m.start() - 6) : m.start()]
        if anchored and not (m.group("unit") or "年龄" in near or "年纪" in near):
            continue
        if not AGE_MIN <= n <= AGE_MAX:
            continue
        if "以上" in openness or pre in ("不低于", "不小于", "大于", "满"):
            lows.append(n)
        elif openness or pre in ("不超过", "不高于", "不大于", "小于"):
            highs.append(n)
    return lows, highs


def _combine_ages(lows: list[int], highs: list[int]) -> tuple[int | None, int | None]:
    # Several figures (男55岁以内，女50岁以内): the widest range, so no one is wrongly excluded.
    lo = min(lows) if lows else None
    hi = max(highs) if highs else None
    if lo is not None and hi is not None and lo > hi:
        return None, None
    return lo, hi


def parse_age_range(text: object) -> tuple[int | None, int | None]:
    """Read an age requirement cell as ``(min_age, max_age)``, either end may be None.

    Parameters
    ----------
    text : object
        ``18-45岁``, ``45岁以下``, ``年龄18周岁以上``, ``20至35周岁``, ``不限``, ``男55岁以内``.

    Returns
    -------
    tuple of (int or None, int or None)
        ``(None, None)`` for 不限 and for anything unreadable; ages outside
        [:data:`AGE_MIN`, :data:`AGE_MAX`] are ignored.

    Examples
    --------
    >>> parse_age_range("18-45岁"), parse_age_range("45岁以下")
    ((18, 45), (None, 45))
    """
    return _age_range(text) if isinstance(text, str) else (None, None)


@functools.lru_cache(maxsize=1 << 12)
def _age_range(text: str) -> tuple[int | None, int | None]:
    # a cell repeated on many rows (18-45岁, 不限): read once
    norm = _cn_digits(_normalise(text))
    if not norm.strip():
        return None, None
    return _combine_ages(*_age_spans(norm, anchored=False))


# ------------------------------------------------------------------ experience

_NO_EXPERIENCE = re.compile(
    r"无(?:工作|相关|需|须)?经验|经验不限|不限经验|有无(?:相关)?(?:工作)?经验(?:均可|皆可|都可|亦可|不限)"
    r"|无需经验|不需要经验|经验[:：]?\s*(?:不限|无)|应届|在校生|零经验|没有经验|无经验亦可"
)
_YEARS = re.compile(
    rf"(?<![0-9.])(?P<n>[0-9]{{1,2}}|半)\s*(?:{_SEP}\s*[0-9]{{1,2}}\s*)?(?:个)?年"
    r"(?P<tail>(?:以上|及以上|或以上|左右)?\s*(?:的)?\s*[^,;，；。0-9]{0,10}?(?:经验|工作经历|从业|工龄))?"
)
_YEARS_AFTER_WORD = re.compile(
    rf"(?:经验|工作经历|工龄)\s*(?:要求)?\s*[:：]?\s*(?:在)?\s*(?P<n>[0-9]{{1,2}}|半)\s*(?:{_SEP}\s*[0-9]{{1,2}}\s*)?(?:个)?年"
)


# A word each anchored experience phrasing holds (_NO_EXPERIENCE, the tail of _YEARS,
# _YEARS_AFTER_WORD): a description without one names no experience.
_EXPERIENCE_WORD = re.compile(r"经验|经历|从业|工龄|应届|在校生")
_ANY_OR_NONE = re.compile(r"\s*不限\s*|\s*无\s*")


def _years_value(raw: str) -> int | None:
    years = 0 if raw == "半" else int(raw)
    return years if years <= _MAX_EXPERIENCE_YEARS else None


def _experience(text: str, *, anchored: bool) -> int | None:
    if anchored and not _EXPERIENCE_WORD.search(text):
        return None  # every anchored phrasing holds one of these words
    found: list[int] = []
    if _NO_EXPERIENCE.search(text):
        found.append(0)
    for m in _YEARS.finditer(text):
        if anchored and not m.group("tail"):
            continue
        if (v := _years_value(m.group("n"))) is not None:
            found.append(v)
    for m in _YEARS_AFTER_WORD.finditer(text):
        if (v := _years_value(m.group("n"))) is not None:
            found.append(v)
    return min(found) if found else None


def parse_experience_years(text: object) -> int | None:
    """Read the years of experience a cell asks for: the lower end of a range.

    Parameters
    ----------
    text : object
        ``1年经验``, ``3-4年``, ``5-7年`` (→ 5), ``一年以上`` (→ 1), ``无工作经验`` and
        ``经验不限`` (→ 0).

    Returns
    -------
    int or None
        None when the text names no experience.

    Examples
    --------
    >>> parse_experience_years("3-4年"), parse_experience_years("经验不限")
    (3, 0)
    """
    return _experience_years(text) if isinstance(text, str) else None


@functools.lru_cache(maxsize=1 << 12)
def _experience_years(text: str) -> int | None:
    # a cell repeated on many rows (1年以上, 经验不限): read once
    norm = _cn_digits(_normalise(text))
    if not norm.strip():
        return None
    if _ANY_OR_NONE.fullmatch(norm):
        return 0
    return _experience(norm, anchored=False)


def extract_requirements(description: object) -> dict[str, Any]:
    """Find education, age and experience requirements in a posting's free text.

    Only phrasings that read as a requirement count: ``初中以上学历``, ``年龄18-50岁``,
    ``45周岁以下``, ``3年以上工作经验``, ``有无经验均可``. A bare number is never an age.

    Parameters
    ----------
    description : object
        The posting's description; anything but a str gives ``{}``.

    Returns
    -------
    dict
        Some of ``education_min`` (:class:`Education`), ``age_min``, ``age_max`` and
        ``experience_years`` (int); a key is present only when found.

    Examples
    --------
    >>> extract_requirements("年龄18-50岁，身体健康，初中以上学历")
    {'education_min': <Education.JUNIOR: 2>, 'age_min': 18, 'age_max': 50}
    """
    if not isinstance(description, str):
        return {}
    return dict(_requirements_in(description))


@functools.lru_cache(maxsize=1 << 14)
def _requirements_in(description: str) -> tuple[tuple[str, Any], ...]:
    # a reposted job repeats its description: read once (a tuple, so no caller changes it)
    norm = _cn_digits(_normalise(description))
    if not norm.strip():
        return ()
    found: dict[str, Any] = {}
    education = _education_in(norm)
    if education is not None:
        found["education_min"] = education
    lo, hi = _combine_ages(*_age_spans(norm, anchored=True))
    if lo is not None:
        found["age_min"] = lo
    if hi is not None:
        found["age_max"] = hi
    years = _experience(norm, anchored=True)
    if years is not None:
        found["experience_years"] = years
    return tuple(found.items())
