"""Words shared by a profile and a posting: the "与技能/经历相关" reason.

Each posting's words are segmented once at fit and kept as :class:`PostingWords` (saved with
the engine); a profile's are segmented when its reasons are built.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


class PostingWords:
    """Each posting's words (2+ characters), kept as ids into one vocabulary (CSR layout).

    Segmenting 100k postings takes minutes; it is done once at fit (from the tokens the
    vectorizer needed anyway) and saved with the snapshot, so reasons cost a lookup.
    """

    def __init__(
        self, vocab: Sequence[str], indptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32]
    ) -> None:
        self.vocab = list(vocab)
        self.indptr = indptr
        self.ids = ids
        self._cache: dict[int, frozenset[str]] = {}

    @classmethod
    def from_tokens(cls, tokens: Sequence[Sequence[str]]) -> PostingWords:
        vocab: dict[str, int] = {}
        indptr, ids = [0], []
        for toks in tokens:
            row = {vocab.setdefault(w, len(vocab)) for w in toks if len(w) >= 2}
            ids.extend(sorted(row))
            indptr.append(len(ids))
        return cls(list(vocab), np.array(indptr, np.int64), np.array(ids, np.int32))

    @classmethod
    def from_arrays(cls, arrays: Any) -> PostingWords:
        vocab = json.loads(bytes(arrays["words_vocab"]).decode("utf-8"))
        return cls(vocab, arrays["words_indptr"], arrays["words_ids"])

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        blob = json.dumps(self.vocab, ensure_ascii=False).encode("utf-8")
        return {
            "words_vocab": np.frombuffer(blob, np.uint8),
            "words_indptr": self.indptr,
            "words_ids": self.ids,
        }

    def of(self, row: int) -> frozenset[str]:
        words = self._cache.get(row)
        if words is None:
            ids = self.ids[self.indptr[row] : self.indptr[row + 1]].tolist()
            words = self._cache[row] = frozenset(self.vocab[i] for i in ids)
        return words


def distinct_words(text: str) -> list[str]:
    """The distinct words (2+ characters) of ``text``, in order of first appearance."""
    from matching.understand.text import tokenize

    return list(dict.fromkeys(w for w in tokenize(text) if len(w) >= 2))


def shared_words(
    profile_words: Sequence[str], posting_words: frozenset[str], limit: int = 3
) -> list[str]:
    """The first ``limit`` of the profile's distinct words (in order) the posting also has."""
    common = posting_words.intersection(profile_words)
    if len(common) <= 1:
        return list(common)
    first: list[str] = []  # the profile's words can run to hundreds: stop at the limit
    for w in profile_words:
        if w in common:
            first.append(w)
            if len(first) >= limit:
                break
    return first[:limit]
