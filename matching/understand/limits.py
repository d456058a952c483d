"""Health limits and family ties in 备注/其他需求, and the demands of a posting they rule out.

A caseworker writes "腰不好不能久站", "不能干重活", "要接送孩子", "家里有老人要照顾，不住宿". Each is
an explicit limit; a posting whose text demands the very thing ("搬运重物", "需长时间站立",
"能适应出差", "住家保姆") contradicts it. Limits and demands are bit sets over the same four
kinds:

======== ================================================ ===============================================
kind     the person says (备注/其他需求)                   the posting says
======== ================================================ ===============================================
HEAVY    不能干重活, 不能搬重物, 干不了体力活, 腰不好,       重体力, 体力活, 搬运, 装卸, 搬重物, 负重
         腰椎/腰间盘突出
STANDING 不能久站, 站不久, 腿脚不好, 不能长时间站立         久站, 长时间站立, 站立工作, 全程站立
TRAVEL   不能出差, 要接送孩子, 照顾老人/孩子, 不住宿         出差 (not 出差距), 外派, 驻外, 常驻外地
LIVE_IN  不住宿, 不能住家, 要接送孩子, 照顾老人/孩子         住家, 住店, 需住宿舍, 24小时在岗
======== ================================================ ===============================================

Night shifts are read with the hours (:mod:`matching.understand.schedule`). A posting's word that
is negated ("无需搬运", "不用出差", "不住家") demands nothing. Nothing is guessed: a text that says
nothing gives no limit and no demand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.understand.text import nfkc_prefix

__all__ = [
    "DEMAND_HINT", "HEAVY", "LIVE_IN", "STANDING", "TRAVEL", "Limits", "describe", "find_demands",
    "parse_demands", "parse_limits",
]  # fmt: skip

HEAVY, STANDING, TRAVEL, LIVE_IN = 1, 2, 4, 8
_WHAT = {HEAVY: "体力", STANDING: "站立", TRAVEL: "出差", LIVE_IN: "住宿"}

_NOT = r"(?:不能|不可以|不宜|不敢|没法|无法|干不了|做不了|受不了|吃不消|不适合|不想|不愿意?|不方便)"
_LIMIT_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (HEAVY, re.compile(
        _NOT + r"(?:干|做|搬|提|扛|拿)?(?:重活|重物|体力活|累活|力气活|重体力|搬运|装卸|太累|负重)|"
        r"腰不好|腰疼|腰椎|腰间盘|腰肌劳损|(?:重活|体力活|重物)(?:干不了|不行|不能干|做不了)"
    )),
    (STANDING, re.compile(
        _NOT + r"(?:久站|长时间站立?|长期站立?|一直站|站太久|站立)|站不久|站不了|腿脚不好|腿脚不便|"
        r"腿不好|膝盖不好|下肢残疾|需要坐班|只能坐着"
    )),
    (TRAVEL, re.compile(
        _NOT + r"(?:出差|外派|去外地|跑外地|长途)|接送(?:孩子|小孩|外孙|孙子|孙女)|"
        r"接(?:孩子|小孩|外孙|孙子|孙女)|照顾(?:老人|孩子|小孩|病人|家人)|老人(?:需|要)照顾|孩子小"
    )),
    (LIVE_IN, re.compile(
        _NOT + r"(?:住宿|住家|住店|住厂|住宿舍|住在外面)|不住宿|不住家|不住厂|每天(?:要|得)?回家|"
        r"接送(?:孩子|小孩|外孙|孙子|孙女)|接(?:孩子|小孩|外孙|孙子|孙女)|照顾(?:老人|孩子|小孩|病人|家人)|"
        r"老人(?:需|要)照顾|孩子小"
    )),
)  # fmt: skip
_DEMAND_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (HEAVY, re.compile(r"重体力|体力活|力气活|搬运|装卸|搬重物|搬扛|扛包|负重|搬货|卸货")),
    (STANDING, re.compile(r"久站|长时间站立|长期站立|站立工作|全程站立|需站立|站立服务")),
    (TRAVEL, re.compile(r"出差(?![距错异额])|外派|驻外|常驻外地|驻外地")),
    (
        LIVE_IN,
        re.compile(r"住家(?!附近)|住店|需住宿舍|必须住宿|须住宿|24小时在岗|吃住在(?:雇主|客户)家"),
    ),
)
# A word of every demand above: a text in NFKC without any gives find_demands() == {}.
DEMAND_HINT = re.compile(
    r"重体力|体力活|力气活|搬|装卸|负重|卸货|扛包|久站|站立|出差|外派|驻外|住家|住店|住宿|"
    r"24小时在岗|吃住在"
)
# "无需搬运", "不用出差", "不住家", "坐班，不用外出或出差": the demand is denied.
_DENIED = re.compile(r"(?:无需|不需要?|不用|不必|无|免|没有|不|或)[^，。；,;]{0,3}$")


@dataclass(frozen=True, slots=True)
class Limits:
    """A person's limits: a bit set of HEAVY/STANDING/TRAVEL/LIVE_IN and the words that said
    each (``said``, in the order of the bits)."""

    bits: int = 0
    said: tuple[str, ...] = ()


def _clean(text: object) -> str:
    return nfkc_prefix(text, 2000)


def parse_limits(text: object) -> Limits:
    """A person's health limits and family ties, from 备注 / 其他需求.

    Examples
    --------
    >>> parse_limits("腰不好不能久站").bits == HEAVY | STANDING
    True
    >>> parse_limits("要接送孩子").said
    ('接送孩子', '接送孩子')
    """
    s = _clean(text)
    bits, said = 0, []
    for bit, pattern in _LIMIT_RES:
        m = pattern.search(s)
        if m:
            bits |= bit
            said.append(m.group())
    return Limits(bits, tuple(said))


def find_demands(text: object) -> dict[int, str]:
    """What a posting's title and description demand: each kind with the words that say it
    (negated words left out).

    Examples
    --------
    >>> find_demands("仓库装卸工，能适应出差") == {HEAVY: "装卸", TRAVEL: "出差"}
    True
    >>> find_demands("坐班，不用外出或出差，无需搬运")
    {}
    """
    s = _clean(text)
    found: dict[int, str] = {}
    for bit, pattern in _DEMAND_RES:
        for m in pattern.finditer(s):
            if not _DENIED.search(s[max(0, m.start() - 6) : m.start()]):
                found[bit] = m.group()
                break
    return found


def parse_demands(text: object) -> int:
    """The bit set of :func:`find_demands`.

    Examples
    --------
    >>> parse_demands("需搬运货物，能适应出差") == HEAVY | TRAVEL
    True
    """
    bits = 0
    for bit in find_demands(text):
        bits |= bit
    return bits


def describe(limits: Limits, demands: dict[int, str]) -> str:
    """The reason a posting's demands clash with a person's limits, or "" when they do not.

    Examples
    --------
    >>> describe(parse_limits("不能干重活"), {HEAVY: "搬运"})
    '体力要求不符（岗位：搬运）：本人备注：不能干重活'
    """
    kinds, words, said = [], [], []
    for i, bit in enumerate(b for b in (HEAVY, STANDING, TRAVEL, LIVE_IN) if limits.bits & b):
        if bit in demands:
            kinds.append(_WHAT[bit])
            words.append(demands[bit])
            said.append(limits.said[i])
    if not kinds:
        return ""
    return (
        f"{'、'.join(kinds)}要求不符（岗位：{'、'.join(words)}）："
        f"本人备注：{'，'.join(dict.fromkeys(said))}"
    )
