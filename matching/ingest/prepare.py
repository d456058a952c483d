"""What an import reads in its postings before writing them: each title and description cut
(for the index built in the same process), each blank category classified, each posting's
store keys (fingerprint, dedup key, content hash).

:func:`read_texts` does it in one pass, or, when asked, in two halves at once
(:func:`matching.ingest.halves.in_two`): the second half's cut fields come back from the forked
process (within :func:`~matching.ingest.halves.forking`) as one string per field (its words joined by a separator no word holds) and go into the
same cache, so either way the cache, the categories and the keys are those of one pass
(``tests/ingest/test_prepare.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matching.ingest.halves import MIN_ITEMS, can_fork, in_two
from matching.ingest.segment import FieldCache, FieldTexts, FieldWords, segment_fields

if TYPE_CHECKING:
    from matching.domain.categories import Category
    from matching.schemas import Posting
    from matching.store.fingerprints import PostingKeys

__all__ = ["Prepared", "fill_categories", "predict_categories", "read_texts"]

# (posting's position, category, the classifier's probability of it)
Predicted = list[tuple[int, "Category", float]]
# a half's cut fields: (the fields, their words — joined by _SEP where that is exact — and
# their normalised texts)
_Cut = tuple[list[str], list[str | list[str]], list[str]]
_SEP = "\x1f"  # whitespace to normalize_text: no word holds it


def predict_categories(
    postings: Sequence[Posting],
    words: Sequence[FieldWords] | None = None,
    fields: Sequence[FieldTexts] | None = None,
) -> Predicted:
    """The classifier's category and its probability for each posting without a category."""
    from matching.understand.classifier import classify_jobs

    blank = [i for i, p in enumerate(postings) if p.category is None]
    predictions = classify_jobs(
        [(postings[i].title, postings[i].description) for i in blank],
        words=None if words is None else [words[i] for i in blank],
        fields=None if fields is None else [fields[i] for i in blank],
    )
    return [(i, p.category, float(p.probabilities.get(p.category, 0.0)))
            for i, p in zip(blank, predictions, strict=True)]  # fmt: skip


def fill_categories(
    postings: Sequence[Posting], predicted: Predicted
) -> tuple[list[Posting], list[float | None]]:
    """The postings with the predicted categories (``category_inferred=True``) and, parallel to
    them, the probability of each (None where the file gave the category)."""
    filled: list[Posting] = list(postings)
    confidences: list[float | None] = [None] * len(postings)
    for i, category, probability in predicted:
        filled[i] = postings[i].model_copy(update={"category": category, "category_inferred": True})
        confidences[i] = probability
    return filled, confidences


@dataclass(frozen=True, slots=True)
class Prepared:
    """An import's postings ready to write: categories filled, each one's probability (None
    where the file gave the category) and, when asked, each one's store keys
    (:func:`~matching.store.fingerprints.posting_keys`)."""

    postings: list[Posting]
    confidences: list[float | None]
    keys: list[PostingKeys] | None = None


def read_texts(
    postings: Sequence[Posting],
    classify: bool,
    cache: FieldCache | None,
    *,
    keys: bool = False,
) -> Prepared:
    """Cut each title and description into ``cache`` (when given), fill the blank categories
    when ``classify`` (:func:`fill_categories`) and compute the store keys when ``keys``; the
    second half in a forked process within :func:`~matching.ingest.halves.forking`, for
    :data:`~matching.ingest.halves.MIN_ITEMS` postings or more."""
    n = len(postings)
    if not (n >= MIN_ITEMS and can_fork()):
        return _part(postings, classify, cache, keys)[0]
    half = n // 2
    _load_for_fork(classify, cut=cache is not None)

    def second() -> tuple[Predicted, list[PostingKeys] | None, _Cut | None]:
        own: FieldCache | None = None if cache is None else {}
        part, predicted = _part(postings[half:], classify, own, keys)
        return predicted, part.keys, None if own is None else _pack(own)

    first, (predicted, later_keys, cut) = in_two(
        lambda: _part(postings[:half], classify, cache, keys)[0], second
    )
    if cache is not None and cut is not None:
        _unpack(cut, cache)
    later = fill_categories(postings[half:], predicted)
    return Prepared(
        first.postings + later[0],
        first.confidences + later[1],
        None if first.keys is None or later_keys is None else first.keys + later_keys,
    )


def _load_for_fork(classify: bool, cut: bool) -> None:
    """Load here what both halves load on their first text (the segmenter's dictionary, the
    classifier's model and hashing): the forked process inherits it instead of loading it
    again (about 3.5 CPU s). Each is loaded once and only read afterwards, so loading it on a
    text of our own changes no result."""
    if cut:
        from matching.understand.text import tokenize

        tokenize("保洁员")
    if classify:
        from matching.understand.classifier import classify_jobs

        classify_jobs([("保洁员", "负责小区保洁")])


def _part(
    postings: Sequence[Posting], classify: bool, cache: FieldCache | None, keys: bool
) -> tuple[Prepared, Predicted]:
    """:func:`read_texts` of ``postings`` in this process, with the predictions it filled."""
    from matching.store.fingerprints import posting_keys

    words = texts = None
    if cache is not None:
        words, texts = segment_fields(postings, cache)
    predicted = predict_categories(postings, words, texts) if classify else []
    filled, confidences = fill_categories(postings, predicted)
    found = None
    if keys:
        found = [posting_keys(p, c) for p, c in zip(filled, confidences, strict=True)]
    return Prepared(filled, confidences, found), predicted


def _pack(cache: FieldCache) -> _Cut:
    """The cache's fields, words and texts as three lists; a field's words as one string where
    splitting it gives them back (no word empty or holding the separator)."""
    joined: list[str | list[str]] = []
    for words, _ in cache.values():
        one = _SEP.join(words)
        exact = all(words) and one.count(_SEP) == len(words) - 1
        joined.append(one if exact else words)
    return list(cache), joined, [text for _, text in cache.values()]


def _unpack(cut: _Cut, cache: FieldCache) -> None:
    for field, words, text in zip(*cut, strict=True):
        if field not in cache:
            cache[field] = (words.split(_SEP) if isinstance(words, str) else words, text)
