"""Certificates a posting requires, and those a person holds, as bit sets over one table.

A posting that says "必须持低压电工作业证", "需持焊工证", "持有效叉车证", "持护士执业证书" or "B2驾照"
cannot hire someone without that certificate: a caseworker does not push it. "优先", "加分",
"更佳", "或相关经验", "可入职后办", "无证可培训" make a certificate a plus, not a requirement.
A person holds what 专业/技能 and 备注 name ("持叉车证（N1）", "有健康证", "A2驾照"), except
what they say they lack ("无电工证", "尚未取得护士执业证书").

Driving licences follow the classes a licence permits (准驾车型, 《机动车驾驶证申领和使用规定》):
A1 also drives A3, B1, B2, C1–C3; A2 also B1, B2, C1–C3; A3, B1 and B2 also C1–C3; C1 also C2, C3.

A 健康证 (health certificate for food and service work) is issued within days of a check-up:
missing it is :data:`EASY`, half the penalty of a licence that takes training and an exam.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.understand.text import nfkc_prefix

__all__ = [
    "CERTIFICATES", "CERTIFICATE_HINT", "EASY", "Certificate", "describe_missing", "held",
    "missing", "required",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Certificate:
    """One certificate: its bit, its plain Chinese name and the words that name it."""

    bit: int
    name: str
    pattern: re.Pattern[str]


_TABLE: tuple[tuple[str, str], ...] = (
    ("健康证", r"健康证"),
    ("电工证", r"(?:低压|高压)?电工(?:作业|操作|上岗|特种作业)?(?:证|操作证)"),
    ("焊工证", r"焊工证|熔化焊接与热切割(?:作业)?证?|焊接作业证"),
    ("叉车证", r"叉车(?:司机)?证|叉车\s*[（(]?N1|N1\s*证|特种设备作业人员证[（(]叉车"),
    ("护士执业证书", r"护士(?:执业|资格)?证(?:书)?"),
    ("导游证", r"导游(?:资格)?证"),
    ("保安员证", r"保安员?证"),
    ("登高作业证", r"登高(?:架设)?(?:作业)?证|高处作业证"),
    ("电梯作业证", r"电梯(?:作业人员|安装维修|维修)?(?:作业)?证|T证"),
    ("资料员证", r"资料员(?:岗位)?证"),
    ("施工员证", r"施工员(?:岗位)?证"),
    ("安全员证", r"安全员\s*[ABC]?\s*证"),
    ("养老护理员证", r"养老护理员证|医疗护理员证"),
    ("育婴员证", r"育婴员证|母婴护理(?:员)?证"),
    ("按摩师证", r"(?:保健)?按摩(?:师)?证"),
    ("康复治疗师证", r"康复治疗(?:技士|师|士)?(?:[（(]师[)）])?证"),
    ("化工操作证", r"化工(?:操作|作业)证"),
    ("烹调师证", r"烹调师(?:四级|三级|五级)?证|厨师证"),
)
_LICENCES = ("A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3")
_PERMITS = {
    "A1": ("A1", "A3", "B1", "B2", "C1", "C2", "C3"),
    "A2": ("A2", "B1", "B2", "C1", "C2", "C3"),
    "A3": ("A3", "C1", "C2", "C3"),
    "B1": ("B1", "C1", "C2", "C3"),
    "B2": ("B2", "C1", "C2", "C3"),
    "C1": ("C1", "C2", "C3"),
    "C2": ("C2",),
    "C3": ("C3",),
}
CERTIFICATES: tuple[Certificate, ...] = tuple(
    Certificate(1 << i, name, re.compile(p)) for i, (name, p) in enumerate(_TABLE)
) + tuple(
    Certificate(1 << (len(_TABLE) + i), f"{c}驾照", re.compile(rf"(?<![A-Za-z]){c}(?![0-9])"))
    for i, c in enumerate(_LICENCES)
)
_BY_NAME = {c.name: c for c in CERTIFICATES}
EASY = _BY_NAME["健康证"].bit
LICENCES = sum(c.bit for c in CERTIFICATES if c.name.endswith("驾照"))

# A licence class needs a licence word near it: "B2驾照", "C1驾驶证", "（C1）" in a driver's title.
_LICENCE_CONTEXT = re.compile(r"驾照|驾驶证|驾龄|司机|驾驶员|准驾|车型")
_REQUIRED_MARK = re.compile(r"需|须|必须|要求|持有?|具备|取得|有效期内")
_OPTIONAL = re.compile(
    r"优先|加分|更佳|更好|均可|或相关经验|或.{0,6}经验|入职后|可免费|可培训|免费培训|考证|取证|可代办|"
    r"协助办理|不限|无证"
)
_NEGATED = re.compile(r"(?:无|没有|没|未取得|尚未取得|尚未|未|还没有?)[^，。；,;]{0,8}$")
_CLAUSES = re.compile(r"[，。；;,!！？?\n]")


def _clean(text: object) -> str:
    return nfkc_prefix(text, 2000).upper()


# Every certificate's name holds 证 or is a licence class: text with neither names none.
_ANY = re.compile(r"证|(?<![A-Z])[ABC][123](?![0-9])")
# _ANY before the text is upper-cased: a text in NFKC without it requires and holds nothing.
CERTIFICATE_HINT = re.compile(r"证|[ABCabc][123]")


def _found(clause: str) -> list[tuple[Certificate, int]]:
    out: list[tuple[Certificate, int]] = []
    if not _ANY.search(clause):
        return out
    for c in CERTIFICATES:
        m = c.pattern.search(clause)
        if m and (not c.name.endswith("驾照") or _LICENCE_CONTEXT.search(clause)):
            out.append((c, m.start()))
    return out


def required(text: object) -> tuple[int, int]:
    """The certificates a posting's title and description require: ``(all_of, any_of)``.

    ``all_of`` must all be held; of ``any_of`` one will do (certificates offered as
    alternatives, "持电梯作业证或电工证", and the licence classes it names).

    Examples
    --------
    >>> all_of, any_of = required("必须持低压电工作业证，持叉车证优先")
    >>> [c.name for c in CERTIFICATES if all_of & c.bit], any_of
    (['电工证'], 0)
    """
    all_of = any_of = 0
    s = _clean(text)
    if not _ANY.search(s):
        return 0, 0
    for clause in _CLAUSES.split(s):
        if _OPTIONAL.search(clause):
            continue
        found = _found(clause)
        title_licence = re.search(r"[（(][ABC][123][)）]", clause)
        if not found or not (_REQUIRED_MARK.search(clause) or title_licence):
            continue
        alternatives = len(found) > 1 and ("或" in clause or "/" in clause)
        for c, _ in found:
            if alternatives or c.bit & LICENCES:
                any_of |= c.bit
            else:
                all_of |= c.bit
    return all_of, any_of


def held(text: object) -> int:
    """The certificates a person's 专业/技能 and 备注 say they hold (a bit set); a licence
    counts for every class it permits.

    Examples
    --------
    >>> [c.name for c in CERTIFICATES if held("A2驾照，驾龄15年；无电工证") & c.bit]
    ['A2驾照', 'B1驾照', 'B2驾照', 'C1驾照', 'C2驾照', 'C3驾照']
    """
    bits = 0
    s = _clean(text)
    if not _ANY.search(s):
        return 0
    for clause in _CLAUSES.split(s):
        for c, start in _found(clause):
            if _NEGATED.search(clause[:start]) or "无证" in clause[start : start + 12]:
                continue
            if c.name.endswith("驾照"):
                for cls in _PERMITS[c.name[:2]]:
                    bits |= _BY_NAME[f"{cls}驾照"].bit
            else:
                bits |= c.bit
    return bits


def missing(all_of: int, any_of: int, held_bits: int) -> int:
    """What of a posting's requirement (:func:`required`) ``held_bits`` lacks: the ``all_of``
    not held, and ``any_of`` when none of it is held.

    Examples
    --------
    >>> missing(*required("需持焊工证，A2或B2驾照"), held("A2驾照")) == required("需持焊工证")[0]
    True
    >>> missing(*required("持电梯作业人员证或电工证"), held("持低压电工作业证"))
    0
    """
    return (all_of & ~held_bits) | (any_of if any_of and not any_of & held_bits else 0)


def describe_missing(bits: int) -> str:
    """The reason for certificates a posting requires and the person does not hold, or "".

    Examples
    --------
    >>> describe_missing(required("需持焊工证")[0])
    '缺少岗位要求的证书：焊工证（本人技能中未写明）'
    """
    names = [c.name for c in CERTIFICATES if bits & c.bit]
    return f"缺少岗位要求的证书：{'、'.join(names)}（本人技能中未写明）" if names else ""
