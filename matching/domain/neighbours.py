"""Neighbouring job categories: form categories whose occupations sit side by side.

The form's categories (A–R) cut across the national occupational classification (中华人民共和国
职业分类大典, 2022): its 中类 4-07 (租赁和商务服务人员) holds office clerks (D), property
managers (H) and hotel staff (L); 2-06 (经济和金融专业人员) holds accountants and insurers (E)
and marketing staff (F). A person who ticked one category of such a group can usually do
(and is usually offered by a caseworker) a job of the other: the ranking gives that posting
part of the category term (``MatchingConfig.category_near``), less than an inferred one.

The table is derived from the classification with the occupation labels of
``../shared/data/labels/occupation_labels_dev.csv`` (:func:`neighbour_pairs` is the rule;
``tests/domain/test_neighbours.py`` re-derives it when the data is present): two categories are
neighbours when one 中类 holds at least ``MIN_OCCUPATIONS`` labelled occupations of each, each
at least ``MIN_SHARE`` of the group (so one stray label in a large group makes no neighbour).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from matching.domain.categories import Category

MIN_OCCUPATIONS = 2
MIN_SHARE = 0.1

_PAIRS = (
    "AK AR BJ DH DL DR EF ER FH FJ FM FR GH HL HR IL JO JR KR LR NR OP OR PR"
)  # fmt: skip


def neighbour_pairs(labelled: Iterable[tuple[str, str]]) -> set[frozenset[Category]]:
    """Neighbouring categories from ``(occupation code, category)`` rows ("4-07-01-01", "D").

    The 中类 is the code's first two parts ("4-07"). See the module docstring for the rule.
    """
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for code, label in labelled:
        groups["-".join(code.split("-")[:2])][label] += 1
    pairs: set[frozenset[Category]] = set()
    for counts in groups.values():
        total = sum(counts.values())
        big = sorted(
            c for c, n in counts.items() if n >= MIN_OCCUPATIONS and n >= MIN_SHARE * total
        )
        pairs.update(
            frozenset((Category(a), Category(b))) for a, b in itertools.combinations(big, 2)
        )
    return pairs


NEIGHBOUR_PAIRS: frozenset[frozenset[Category]] = frozenset(
    frozenset((Category(p[0]), Category(p[1]))) for p in _PAIRS.split()
)


def near_categories(ticked: Sequence[Category]) -> frozenset[Category]:
    """The categories neighbouring any of ``ticked``, the ticked ones left out.

    Examples
    --------
    >>> sorted(near_categories([Category.E]))
    [<Category.F: 'F'>, <Category.R: 'R'>]
    """
    wanted = frozenset(ticked)
    return frozenset(c for pair in NEIGHBOUR_PAIRS if pair & wanted for c in pair) - wanted
