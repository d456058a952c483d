"""The letters-and-digits folding under every posting's fingerprint and dedup key keeps what it
kept, character by character: a stored key that changed would make a re-import count every
posting as new or updated."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from pathlib import Path

from matching.schemas import Posting
from matching.store.fingerprints import normalize_key, posting_dedup_key, posting_fingerprint
from tests.conftest import real_postings


def _reference(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def test_every_code_point_is_kept_or_dropped_by_its_unicode_category() -> None:
    # after NFKC and casefold the folding keeps or drops each character alone, so agreeing on
    # every single character is agreeing on every text
    kept = dropped = 0
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not text
        ch = chr(code)
        letter_or_digit = unicodedata.category(ch)[0] in "LN"
        assert normalize_key(f"a{ch}b") == _reference(f"a{ch}b"), hex(code)
        kept, dropped = kept + letter_or_digit, dropped + (not letter_or_digit)
    assert kept > 100_000 and dropped > 100_000
    assert normalize_key(" 天津ＡＢＣ 物业（河西）_① ²Ⅻ ") == "天津abc物业河西12xii"
    assert normalize_key(None) == normalize_key("") == ""


def test_the_real_postings_keep_their_fingerprints_and_dedup_keys(shared_data: Path) -> None:
    postings = [
        p.model_copy(update={"employer": f"{p.title[:4]}（天津）有限公司_{i % 7}"})
        for i, p in enumerate(real_postings(shared_data))
    ]
    for p in postings:
        for text in (p.title, p.description, p.employer):
            assert normalize_key(text) == _reference(text)
        parts = (_reference(p.source), _reference(p.title), _reference(p.employer),
                 _reference(p.description), _reference(p.address), _reference(p.district),
                 _reference(p.salary_text), str(p.headcount), str(int(p.education_min)),
                 str(p.age_min), str(p.age_max), str(p.experience_years),
                 _reference(p.contact_phone))  # fmt: skip
        content = "content\x1f" + "\x1f".join(parts)
        assert posting_fingerprint(p) == hashlib.sha256(content.encode()).hexdigest()
        key = "|".join((_reference(p.employer), _reference(p.title), _reference(p.district), ""))
        assert posting_dedup_key(p) == hashlib.sha256(key.encode()).hexdigest()
    assert isinstance(postings[0], Posting)
