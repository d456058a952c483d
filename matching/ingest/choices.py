"""Cell parsers for values picked from a fixed list: gender, status, yes/no, ticked boxes
(forms of work, other needs) and the 12 deregistration reasons.

Like :mod:`matching.ingest.cells`, each parser takes whatever a cell holds, returns the
normalised value (``None`` or an empty tuple for an empty cell), and raises
:class:`~matching.exceptions.InputError` with a bilingual message for a value that names none
of the options.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from matching.exceptions import InputError
from matching.ingest.cells import NOTHING_WORDS, is_blank, normalized_text
from matching.schemas import Gender, OtherNeed, PersonStatus, WorkForm

__all__ = [
    "parse_bool",
    "parse_deregistration_reason",
    "parse_gender",
    "parse_other_needs",
    "parse_status",
    "parse_work_forms",
]

_T = TypeVar("_T")

# ---------------------------------------------------------------------------- choices

_GENDERS: dict[str, Gender] = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "1": Gender.MALE,  # GB/T 2261.1: 1 = male, 2 = female
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "2": Gender.FEMALE,
}


def _lookup(value: object, table: Mapping[str, _T], what_zh: str, what_en: str) -> _T | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = normalized_text(value).lower()
    if key in table:
        return table[key]
    raise InputError(
        f"无法识别的{what_zh}：{key!r} / unknown {what_en}: {key!r}",
        value=value,
    )


def parse_gender(value: object) -> Gender | None:
    """``男``/``女`` (also 男性, M/F, male/female, GB/T 2261.1 codes 1/2); empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_gender("女性")
    <Gender.FEMALE: '女'>
    """
    return _lookup(value, _GENDERS, "性别", "gender")


_STATUSES: dict[str, PersonStatus] = {
    "登记失业": PersonStatus.REGISTERED,
    "失业登记": PersonStatus.REGISTERED,
    "失业": PersonStatus.REGISTERED,
    "在册": PersonStatus.REGISTERED,
    "登记": PersonStatus.REGISTERED,
    "registered": PersonStatus.REGISTERED,
    "已注销": PersonStatus.DEREGISTERED,
    "注销": PersonStatus.DEREGISTERED,
    "deregistered": PersonStatus.DEREGISTERED,
    "已就业": PersonStatus.EMPLOYED,
    "就业": PersonStatus.EMPLOYED,
    "employed": PersonStatus.EMPLOYED,
}


def parse_status(value: object) -> PersonStatus | None:
    """登记失业/在册 → registered; 已注销 → deregistered; 已就业 → employed; empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_status("在册")
    <PersonStatus.REGISTERED: 'registered'>
    """
    return _lookup(value, _STATUSES, "人员状态", "status")


_TRUE = ("是", "y", "yes", "true", "1", "√", "✓", "✔", "☑", "有", "对", "同意", "接收")
_FALSE = ("否", "n", "no", "false", "0", "×", "✗", "✘", "无", "不", "错", "不同意", "不接收")
_BOOLS: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def parse_bool(value: object) -> bool | None:
    """是/否, Y/N, yes/no, true/false, 1/0, √/× ; empty → None.

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> parse_bool("√"), parse_bool("否")
    (True, False)
    """
    if isinstance(value, bool):
        return value
    return _lookup(value, _BOOLS, "是/否值", "yes/no value")


# ---------------------------------------------------------------------------- ticked boxes

_TICKED = "☑✓✔√■☒▣●"
_UNTICKED = "□☐○"
_MARKS = _TICKED + _UNTICKED
_BRACKETS_RE = re.compile(r"[\[\]【】()]")
_ITEM_SPLIT_RE = re.compile(r"[\s,，、;；/|+]+")

_WORK_FORMS: dict[str, WorkForm] = {
    "稳定就业": WorkForm.STABLE,
    "稳定": WorkForm.STABLE,
    "stable": WorkForm.STABLE,
    "灵活就业": WorkForm.FLEXIBLE,
    "灵活": WorkForm.FLEXIBLE,
    "flexible": WorkForm.FLEXIBLE,
    "自主创业": WorkForm.SELF_EMPLOYED,
    "创业": WorkForm.SELF_EMPLOYED,
    "self-employed": WorkForm.SELF_EMPLOYED,
    "self_employed": WorkForm.SELF_EMPLOYED,
}

_OTHER_NEEDS: dict[str, OtherNeed] = {
    "补贴申领": OtherNeed.SUBSIDY,
    "申领补贴": OtherNeed.SUBSIDY,
    "补贴": OtherNeed.SUBSIDY,
    "subsidy": OtherNeed.SUBSIDY,
    "职业指导": OtherNeed.GUIDANCE,
    "就业指导": OtherNeed.GUIDANCE,
    "guidance": OtherNeed.GUIDANCE,
    "技能培训": OtherNeed.SKILLS_TRAINING,
    "职业技能培训": OtherNeed.SKILLS_TRAINING,
    "skills_training": OtherNeed.SKILLS_TRAINING,
    "创业培训": OtherNeed.STARTUP_TRAINING,
    "startup_training": OtherNeed.STARTUP_TRAINING,
}


def _ticked_words(text: str) -> list[str]:
    """The words of a cell that are chosen.

    Without box marks every word is chosen. With marks (``☑稳定就业 □灵活就业`` or
    ``稳定就业√ 灵活就业``) only the word next to a tick is: a mark belongs to the word
    after it when the cell starts with a mark, else to the word before it.
    """
    s = _BRACKETS_RE.sub(" ", text)
    if not any(c in _MARKS for c in s):
        return [w for w in _ITEM_SPLIT_RE.split(s) if w]
    s = s.strip()
    prefix = s[:1] in _MARKS
    parts = re.split(f"([{_MARKS}])", s)
    chosen: list[str] = []
    for i, part in enumerate(parts):
        if len(part) != 1 or part not in _TICKED:
            continue
        neighbour = parts[i + 1] if prefix else parts[i - 1]
        words = [w for w in _ITEM_SPLIT_RE.split(neighbour) if w]
        if words:
            chosen.append(words[0] if prefix else words[-1])
    return chosen


def _parse_choices(
    value: object, table: Mapping[str, _T], what_zh: str, what_en: str
) -> tuple[_T, ...]:
    if is_blank(value):
        return ()
    s = normalized_text(value)
    if s.lower() in NOTHING_WORDS:
        return ()
    found: dict[_T, None] = {}
    for word in _ticked_words(s):
        key = word.lower()
        if key not in table:
            options = "、".join(dict.fromkeys(str(v) for v in table.values()))
            raise InputError(
                f"无法识别的{what_zh}：{word!r}（可选：{options}） / "
                f"unknown {what_en} {word!r} (choose from: {options})",
                value=value,
            )
        found[table[key]] = None
    return tuple(found)


def parse_work_forms(value: object) -> tuple[WorkForm, ...]:
    """就业形式: ``"稳定就业、灵活就业"`` or ticked boxes ``"☑稳定就业 □灵活就业"``.

    Order is kept, duplicates dropped; empty or 无 gives ``()``.

    Raises
    ------
    InputError
        When a chosen word is not one of 稳定就业 / 灵活就业 / 自主创业.

    Examples
    --------
    >>> parse_work_forms("☑稳定就业 □灵活就业 ☑自主创业")
    (<WorkForm.STABLE: '稳定就业'>, <WorkForm.SELF_EMPLOYED: '自主创业'>)
    """
    return _parse_choices(value, _WORK_FORMS, "就业形式", "form of work")


def parse_other_needs(value: object) -> tuple[OtherNeed, ...]:
    """其他需求: 补贴申领 / 职业指导 / 技能培训 / 创业培训, listed or ticked.

    Raises
    ------
    InputError
        When a chosen word is none of the four.

    Examples
    --------
    >>> parse_other_needs("技能培训；补贴申领")
    (<OtherNeed.SKILLS_TRAINING: '技能培训'>, <OtherNeed.SUBSIDY: '补贴申领'>)
    """
    return _parse_choices(value, _OTHER_NEEDS, "其他需求", "other need")


# ---------------------------------------------------------------------------- deregistration

# Keywords for the 12 reasons of DOMAIN.md, checked in this order: the specific ones
# first, so that "灵活就业并缴纳社保" is 5 (not 2) and "超过6个月未联系" is 10 (not 11).
_REASON_KEYWORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (12, ("死亡", "去世", "身故", "病故")),
    (8, ("服刑", "判刑", "收监", "羁押")),
    (7, ("丧失劳动能力",)),
    (1, ("退休", "养老金", "养老保险待遇")),
    (6, ("入学", "升学", "就学", "服兵役", "参军", "入伍", "移居境外", "出国", "定居国外")),
    (9, ("拒绝",)),
    (10, ("6个月", "六个月", "半年")),
    (11, ("迁移", "迁往", "外省", "迁出", "无法联系", "联系不上", "联系不到", "缺失", "不全")),
    (4, ("非全日制", "新就业形态", "最低工资")),
    (5, ("灵活就业", "社会保险", "社保", "个人所得税", "个税")),
    (3, ("个体", "营业执照", "创业", "开办", "创办", "经营")),
    (2, ("录用", "公益性岗位", "就业", "入职", "上岗", "签订劳动合同")),
)
# "2", "(2)被录用", "第2项", "2. 被录用" — but not "6个月未联系" (a keyword, reason 10).
_REASON_NUMBER_RE = re.compile(
    r"^(?:\(\s*(\d{1,2})\s*\)|第\s*(\d{1,2})\s*[项条种]|(\d{1,2})(?=$|\s|[.、:)]))"
)


def parse_deregistration_reason(value: object) -> int | None:
    """注销原因 as its number 1–12 (DOMAIN.md), from ``"2"``, ``"(2)被录用"`` or text keywords.

    Raises
    ------
    InputError
        For a number outside 1–12 or text that names none of the reasons.

    Examples
    --------
    >>> parse_deregistration_reason("已办理退休"), parse_deregistration_reason(3)
    (1, 3)
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        raise InputError(
            f"无法识别的注销原因：{value!r} / unknown deregistration reason", value=value
        )
    s = normalized_text(value)
    m = _REASON_NUMBER_RE.match(s)
    if m:
        number = int(m[1] or m[2] or m[3])
        if 1 <= number <= 12:
            return number
        raise InputError(
            f"注销原因编号应为1–12，实为{number} / deregistration reason must be 1–12, got {number}",
            value=value,
        )
    for number, keywords in _REASON_KEYWORDS:
        if any(k in s for k in keywords):
            return number
    raise InputError(
        f"无法识别的注销原因：{s!r}（请填1–12或原因文字） / "
        f"unknown deregistration reason {s!r} (write 1–12 or the reason's text)",
        value=value,
    )
