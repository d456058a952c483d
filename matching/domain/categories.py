"""The job categories of the registration form (岗位意愿, 附件2) and their labels.

The printed form labels 其他 with a second "L"; codes must be unique, so 其他 is R
(DOMAIN.md). The classifier that maps free text to a category lives in
:mod:`matching.understand.classifier`.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum

from matching.exceptions import CategoryTableError


class Category(StrEnum):
    """A job category code, "A".."R"."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H = "H"
    I = "I"  # noqa: E741  (the form's own code)
    J = "J"
    K = "K"
    L = "L"
    M = "M"
    N = "N"
    O = "O"  # noqa: E741
    P = "P"
    Q = "Q"
    R = "R"


LABELS: dict[Category, str] = {
    Category.A: "家政/保洁",
    Category.B: "物流/仓储/司机",
    Category.C: "快递/外卖/代跑代办",
    Category.D: "人事/行政/文员",
    Category.E: "财务/金融/保险",
    Category.F: "销售/市场/客服",
    Category.G: "汽修/汽车美容",
    Category.H: "物业管理/装修/维修",
    Category.I: "餐饮/厨师/服务员",
    Category.J: "普工/技工",
    Category.K: "美容美发/按摩/保健",
    Category.L: "旅游/免税/酒店",
    Category.M: "零售/营业员/促销员/导购员",
    Category.N: "医院/医疗/医药/护理",
    Category.O: "建筑/工程施工/工程技术/资料员",
    Category.P: "农、林、牧、渔业",
    Category.Q: "实习生/见习生/管培生",
    Category.R: "其他",
}

ALL: tuple[Category, ...] = tuple(Category)


def check_table() -> None:
    """Fail fast if the label table and the enum disagree.

    Raises
    ------
    CategoryTableError
        When a code has no label or a label is given twice.
    """
    missing = [c for c in Category if c not in LABELS]
    if missing:
        raise CategoryTableError(f"Categories without a label: {missing}")
    labels = list(LABELS.values())
    if len(set(labels)) != len(labels):
        raise CategoryTableError("Two categories share a label.")


def display(category: Category | str) -> str:
    """``"A 家政/保洁"``: the code and its label, as a caseworker reads it."""
    cat = Category(category)
    return f"{cat.value} {LABELS[cat]}"


_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Ra-r])(?![A-Za-z])")
_SPLIT_RE = re.compile(r"[,，、;；/|\s]+")


def parse_categories(text: str | None) -> tuple[Category, ...]:
    """Read ticked categories from a cell: ``"A,B"``, ``"A家政/保洁；I餐饮"``, ``"家政/保洁、快递"``.

    Codes and labels (or a label's parts, e.g. ``"保洁"``) are accepted; order is kept and
    duplicates dropped. Unknown words are ignored; an empty cell gives ``()``.

    Examples
    --------
    >>> parse_categories("A、I 餐饮/厨师/服务员")
    (<Category.A: 'A'>, <Category.I: 'I'>)
    """
    if not text:
        return ()
    return _categories_in(str(text).strip())


@functools.lru_cache(maxsize=1 << 12)
def _categories_in(s: str) -> tuple[Category, ...]:
    # a sheet writes a few category cells over and over (A, 家政/保洁): each is read once
    found: list[Category] = []
    for m in _CODE_RE.finditer(s):
        found.append(Category(m.group(1).upper()))
    if not found:
        for part in _SPLIT_RE.split(s):
            part = part.strip()
            if not part:
                continue
            for cat, label in LABELS.items():
                pieces = re.split(r"[/、，]", label)
                if part == label or part in pieces or (len(part) >= 2 and part in label):
                    found.append(cat)
                    break
    seen: dict[Category, None] = dict.fromkeys(found)
    return tuple(seen)
