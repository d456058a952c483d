"""Each posting's fields segmented once give the words of its text (see matching/ingest/segment.py)."""

from __future__ import annotations

from pathlib import Path

from matching.ingest.segment import (
    normalized_texts,
    segment_fields,
    segment_postings,
    text_tokens,
)
from matching.schemas import Posting
from matching.understand.text import normalize_text, tokenize
from tests.conftest import real_postings


def _same_as_segmenting_each_text(postings: list[Posting]) -> None:
    words = segment_postings(postings)
    assert [(tokenize(p.title), tokenize(p.description)) for p in postings] == words
    assert text_tokens(words) == [tokenize(p.text) for p in postings]
    again, fields = segment_fields(postings)
    assert again == words
    assert fields == [(normalize_text(p.title), normalize_text(p.description)) for p in postings]
    assert normalized_texts(fields) == [normalize_text(p.text) for p in postings]


def _odd() -> list[Posting]:
    """Postings whose fields test the edges of segmenting and normalising them apart."""
    return [
        Posting(title="保洁员", description=""),
        Posting(title="C1司机", description="c1驾照，\n日结200元"),
        Posting(title="ｏｆｆｉｃｅ文员", description="　全角空格开头\t制表符"),
        # where the fields meet: a final sigma, combining marks and jamo next to the space,
        # white space NFKC makes, empty and blank fields
        Posting(title="ΑΣ", description="\u0301e\u0301 Σ"),
        Posting(title="\u1100", description="\u1161\u11a8 가"),
        Posting(title="保安\u3000", description="\u00a0值班\n"),
        Posting(title="　", description=""),
        Posting(title="ﾊﾟｰﾄ", description="㍿ ①"),
        Posting(title="ｏｆｆｉｃｅ　文員", description="全角\u3000空格\n\n换行\t制表符"),
        Posting(title=" 保洁员 ", description=""),
    ]


def test_text_words_from_the_fields_on_generated_postings() -> None:
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(1500, 7)
    _same_as_segmenting_each_text(postings + _odd())


def test_text_words_from_the_fields_on_real_postings(shared_data: Path) -> None:
    _same_as_segmenting_each_text(real_postings(shared_data))


def test_an_engine_fitted_from_the_fields_equals_one_fitted_on_each_text() -> None:
    """``fit`` without tokens segments and normalises the fields (the index build): the same
    TF-IDF rows and vectors as segmenting and normalising each posting's text."""
    import numpy as np

    from matching.evaluate.generated import generated_postings
    from matching.rank.engine import MatchingEngine

    postings, _ = generated_postings(600, 5)
    fields = MatchingEngine().fit(postings)
    texts = MatchingEngine().fit(postings, tokens=[tokenize(p.text) for p in postings])
    assert (fields.sparse_ != texts.sparse_).nnz == 0
    assert np.array_equal(fields.vectors_, texts.vectors_)


def _same_categories_from_the_fields(postings: list[Posting]) -> None:
    from matching.ingest.importer import infer_categories

    blank = [p.model_copy(update={"category": None}) for p in postings]
    words, fields = segment_fields(blank)
    assert infer_categories(blank, words, fields) == infer_categories(blank)


def test_the_classifier_reads_the_normalised_fields_on_generated_postings() -> None:
    """Classifying with the fields normalised once: the same categories and confidences."""
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(1500, 9)
    _same_categories_from_the_fields(postings + _odd())


def test_the_classifier_reads_the_normalised_fields_on_real_postings(shared_data: Path) -> None:
    _same_categories_from_the_fields(real_postings(shared_data))
