"""Each posting's fields segmented once give the words of its text (see matching/ingest/segment.py)."""

from __future__ import annotations

from pathlib import Path

from matching.ingest.segment import segment_postings, text_tokens
from matching.schemas import Posting
from matching.understand.text import tokenize
from tests.conftest import real_postings


def _same_as_segmenting_each_text(postings: list[Posting]) -> None:
    words = segment_postings(postings)
    assert [(tokenize(p.title), tokenize(p.description)) for p in postings] == words
    assert text_tokens(words) == [tokenize(p.text) for p in postings]


def test_text_words_from_the_fields_on_generated_postings() -> None:
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(1500, 7)
    odd = [
        Posting(title="保洁员", description=""),
        Posting(title="C1司机", description="c1驾照，\n日结200元"),
        Posting(title="ｏｆｆｉｃｅ文员", description="　全角空格开头\t制表符"),
    ]
    _same_as_segmenting_each_text(postings + odd)


def test_text_words_from_the_fields_on_real_postings(shared_data: Path) -> None:
    _same_as_segmenting_each_text(real_postings(shared_data))
