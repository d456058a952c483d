"""Wording for generated postings and persons, one entry per job category.

Written for this project in the style of small-employer postings (short, colloquial, perks
first); no text is copied from any data set. ``{brand}``, ``{district}``, ``{short}``
(district without 区), ``{street}``, ``{road}`` and ``{community}`` in employer templates are
filled in by :mod:`matching.generator.postings`. Mostly data:

- :mod:`~matching.generator.phrases.vocab`: :class:`CategoryVocab`, :func:`words`
- :mod:`~matching.generator.phrases.services`, :mod:`~matching.generator.phrases.trades`,
  :mod:`~matching.generator.phrases.office`: one :class:`CategoryVocab` per category, by
  kind of work; :data:`VOCAB` joins them in category order A–R
- :mod:`~matching.generator.phrases.wording`: what every category shares (title decorations,
  hours, education texts, brands, typos)
"""

from __future__ import annotations

from matching.domain.categories import Category
from matching.generator.phrases.office import OFFICE_AND_PROFESSIONS
from matching.generator.phrases.services import HOUSEHOLD_AND_SERVICES
from matching.generator.phrases.trades import TRADES
from matching.generator.phrases.vocab import CategoryVocab, words
from matching.generator.phrases.wording import (
    BRANDS,
    CONTACT_TITLES,
    EDU_COLUMN,
    EDU_TEXTS,
    GENERAL_NEEDS,
    HOURS,
    TITLE_PREFIXES,
    TITLE_QUALIFIERS,
    TITLE_SUFFIXES,
    TYPOS,
)

__all__ = [
    "BRANDS",
    "CONTACT_TITLES",
    "EDU_COLUMN",
    "EDU_TEXTS",
    "GENERAL_NEEDS",
    "HOURS",
    "TITLE_PREFIXES",
    "TITLE_QUALIFIERS",
    "TITLE_SUFFIXES",
    "TYPOS",
    "VOCAB",
    "CategoryVocab",
    "words",
]

_BY_KIND = {**HOUSEHOLD_AND_SERVICES, **TRADES, **OFFICE_AND_PROFESSIONS}
VOCAB: dict[Category, CategoryVocab] = {c: _BY_KIND[c] for c in Category}
