"""Each posting segmented once: the words the classifier and the vectorizer both read.

The classifier reads a posting's title and description apart; the vectorizer reads
:attr:`~matching.schemas.Posting.text` (the title twice, then the description). Cut at the
spaces between the fields, the text's words are the fields' words end to end, so each field is
segmented once (:func:`segment_postings`) and the text's words put together from them
(:func:`text_tokens`); ``tests/ingest/test_segment.py`` checks that against
``tokenize(posting.text)`` on the sample and on real postings.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.schemas import Posting
from matching.understand.text import tokenize

__all__ = ["FieldWords", "segment_postings", "text_tokens"]

# a posting's (title words, description words)
FieldWords = tuple[list[str], list[str]]


def segment_postings(postings: Sequence[Posting]) -> list[FieldWords]:
    """``(tokenize(title), tokenize(description))`` of each posting.

    A title or description that comes again is segmented once.
    """
    cache: dict[str, list[str]] = {}

    def words(field: str) -> list[str]:
        found = cache.get(field)
        if found is None:
            found = cache[field] = tokenize(field)
        return found

    return [(words(p.title), words(p.description)) for p in postings]


def text_tokens(words: Sequence[FieldWords]) -> list[list[str]]:
    """``tokenize(posting.text)`` of each posting from its fields' words (see the module)."""
    return [[*title, *title, *description] for title, description in words]
