"""Each posting segmented and normalised once: what the classifier and the vectorizer both read.

The classifier reads a posting's title and description apart; the vectorizer reads
:attr:`~matching.schemas.Posting.text` (the title twice, then the description). Cut at the
spaces between the fields, the text's words are the fields' words end to end, so each field is
segmented once (:func:`segment_postings`) and the text's words put together from them
(:func:`text_tokens`); ``tests/ingest/test_segment.py`` checks that against
``tokenize(posting.text)`` on the sample and on real postings.

The same holds for the normalised text (NFKC, lower case, simplified characters, one space
between words: ``normalize_text``): NFKC never joins characters across a space and the other
steps work character by character, so the text's normal form is its fields' normal forms
joined by spaces (:func:`normalized_texts`; the same tests check it against
``normalize_text(posting.text)``). :func:`segment_fields` hands both over, so that neither the
vectorizer nor the posting's fields are normalised again.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.schemas import Posting
from matching.understand.text import normalize_text, tokenize

__all__ = ["FieldCache", "FieldTexts", "FieldWords", "normalized_texts", "segment_fields",
           "segment_postings", "text_tokens"]  # fmt: skip

# a posting's (title words, description words)
FieldWords = tuple[list[str], list[str]]
# a posting's (normalised title, normalised description)
FieldTexts = tuple[str, str]
# a field's text -> (tokenize(field), normalize_text(field))
FieldCache = dict[str, tuple[list[str], str]]


def segment_fields(
    postings: Sequence[Posting], cache: FieldCache | None = None
) -> tuple[list[FieldWords], list[FieldTexts]]:
    """``(tokenize(title), tokenize(description))`` and ``(normalize_text(title),
    normalize_text(description))`` of each posting.

    A title or description that comes again is normalised and segmented once. ``cache`` keeps
    the fields cut for a later call (an import's postings, then the index built from the
    database in the same process: each field is cut once across both); both functions are
    pure, so a field read from the cache is what cutting it again would give.
    """
    cache = {} if cache is None else cache

    def read(field: str) -> tuple[list[str], str]:
        found = cache.get(field)
        if found is None:
            norm = normalize_text(field)  # kept in its cache: tokenize reads it from there
            found = cache[field] = (tokenize(field), norm)
        return found

    words: list[FieldWords] = []
    texts: list[FieldTexts] = []
    for p in postings:
        (title_words, title), (description_words, description) = read(p.title), read(p.description)
        words.append((title_words, description_words))
        texts.append((title, description))
    return words, texts


def segment_postings(postings: Sequence[Posting]) -> list[FieldWords]:
    """``(tokenize(title), tokenize(description))`` of each posting (see :func:`segment_fields`)."""
    return segment_fields(postings)[0]


def text_tokens(words: Sequence[FieldWords]) -> list[list[str]]:
    """``tokenize(posting.text)`` of each posting from its fields' words (see the module)."""
    return [[*title, *title, *description] for title, description in words]


def normalized_texts(fields: Sequence[FieldTexts]) -> list[str]:
    """``normalize_text(posting.text)`` of each posting from its normalised fields."""
    return [" ".join(part for part in (title, title, description) if part)
            for title, description in fields]  # fmt: skip
