"""The shape of a category's wording (:class:`CategoryVocab`) and :func:`words`, which splits
a space-separated phrase list.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CategoryVocab", "words"]


@dataclass(frozen=True, slots=True)
class CategoryVocab:
    """Everything the generator writes for one category.

    ``cores`` are title nouns, ``places`` title prefixes naming the workplace, ``duties`` /
    ``needs`` / ``perks`` description phrases, ``employers`` name templates, ``pay`` the range
    of a monthly minimum in yuan, ``edu`` the usual minimum education (0 none .. 5 本科),
    ``community`` whether streets/communities collect such jobs (便民商业, 物业, 家政, 快递外卖).
    For persons: ``skills`` (专业/技能 phrases), ``positions`` (工作经历), and the preference
    model ``male``/``female`` weights, preferred ``ages`` and minimum ``person_edu``.
    """

    cores: tuple[str, ...]
    places: tuple[str, ...]
    duties: tuple[str, ...]
    needs: tuple[str, ...]
    perks: tuple[str, ...]
    employers: tuple[str, ...]
    pay: tuple[int, int]
    edu: int
    community: bool
    skills: tuple[str, ...]
    positions: tuple[str, ...]
    male: float
    female: float
    ages: tuple[int, int]
    person_edu: int


def words(text: str) -> tuple[str, ...]:
    """The space-separated phrases of ``text``, in order."""
    return tuple(text.split())
