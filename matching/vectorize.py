"""Text → dense float32 vectors: TF-IDF over jieba tokens and character n-grams, reduced by SVD.

The fitted state is plain arrays and a vocabulary (saved as ``.npz`` + JSON, never pickled), so an
index directory can be loaded without trusting executable content.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.exceptions import ModelFormatError, NotFittedError

FORMAT_VERSION = 1
Tokenizer = Callable[[str], list[str]]


def _default_tokenize(text: str) -> list[str]:
    from matching.text import tokenize

    return tokenize(text)


def _default_normalize(text: str) -> str:
    from matching.text import normalize_text

    return normalize_text(text)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TextVectorizer:
    """Fit TF-IDF (words + char 2–3-grams) on a corpus and project it to ``n_components`` dims.

    Parameters
    ----------
    n_components : int
        Output dimension (capped by the corpus size).
    max_word_features, max_char_features : int
        Vocabulary caps; they bound memory at city scale.
    char_weight : float
        Relative weight of the character block (robust to typos and unseen words).
    """

    def __init__(
        self,
        n_components: int = 256,
        *,
        max_word_features: int = 40_000,
        max_char_features: int = 40_000,
        char_weight: float = 0.7,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.char_weight = char_weight
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> Self:
        """Learn vocabularies, IDF and the SVD projection from ``texts``.

        ``tokens`` may be passed when the caller has already segmented the texts.
        """
        if not texts:
            raise ValueError("TextVectorizer.fit() needs at least one text.")
        toks = list(tokens) if tokens is not None else [_default_tokenize(t) for t in texts]
        norm = [_default_normalize(t) for t in texts]
        self.words_ = TfidfVectorizer(
            analyzer=_identity,
            max_features=self.max_word_features,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit(toks)
        self.chars_ = TfidfVectorizer(
            analyzer="char",
            ngram_range=(2, 3),
            max_features=self.max_char_features,
            sublinear_tf=True,
            min_df=2 if len(texts) > 50 else 1,
            dtype=np.float32,
        ).fit(norm)
        x = self._sparse(toks, norm)
        dims = max(1, min(self.n_components, x.shape[1] - 1, x.shape[0] - 1))
        svd = TruncatedSVD(
            n_components=dims, random_state=self.random_state, algorithm="randomized", n_iter=3
        )
        svd.fit(x)
        self.components_ = svd.components_.astype(np.float32)
        self._components_t = None
        return self

    def _sparse(self, toks: Sequence[list[str]], norm: Sequence[str]) -> sp.csr_matrix:
        w = self.words_.transform(toks)
        c = self.chars_.transform(norm) * self.char_weight
        return normalize(sp.hstack([w, c], format="csr").astype(np.float32))

    # -- transforming ------------------------------------------------------------------------
    def transform_sparse(
        self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None
    ) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows (words and character n-grams), before the projection."""
        if not hasattr(self, "components_"):
            raise NotFittedError("TextVectorizer is not fitted yet. Call fit() first.")
        toks = list(tokens) if tokens is not None else [_default_tokenize(t) for t in texts]
        norm = [_default_normalize(t) for t in texts]
        return self._sparse(toks, norm)

    def project(self, sparse: sp.csr_matrix) -> npt.NDArray[np.float32]:
        """Project TF-IDF rows to dense, L2-normalised float32 ``(n, n_components_)``."""
        # A C-contiguous transpose, made once: with ``components_.T`` scipy copies the whole
        # projection matrix on every call.
        comp_t = getattr(self, "_components_t", None)
        if comp_t is None:
            comp_t = self._components_t = np.ascontiguousarray(self.components_.T)
        dense = np.asarray(sparse @ comp_t, dtype=np.float32)
        n = np.linalg.norm(dense, axis=1, keepdims=True)
        n[n == 0] = 1.0
        return np.ascontiguousarray(dense / n, dtype=np.float32)

    def transform(
        self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None
    ) -> npt.NDArray[np.float32]:
        """Dense, L2-normalised float32 array of shape ``(len(texts), n_components_)``."""
        return self.project(self.transform_sparse(texts, tokens))

    @property
    def n_components_(self) -> int:
        return int(self.components_.shape[0])

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: Path) -> list[Path]:
        """Write ``vectorizer.npz`` and ``vectorizer.json`` into ``directory``; return the paths."""
        directory.mkdir(parents=True, exist_ok=True)
        npz = directory / "vectorizer.npz"
        meta = directory / "vectorizer.json"
        np.savez(
            npz,
            components=self.components_,
            word_idf=self.words_.idf_.astype(np.float32),
            char_idf=self.chars_.idf_.astype(np.float32),
        )
        meta.write_text(
            json.dumps(
                {
                    "format_version": FORMAT_VERSION,
                    "params": {
                        "n_components": self.n_components,
                        "max_word_features": self.max_word_features,
                        "max_char_features": self.max_char_features,
                        "char_weight": self.char_weight,
                        "random_state": self.random_state,
                    },
                    "word_vocabulary": _vocab_list(self.words_.vocabulary_),
                    "char_vocabulary": _vocab_list(self.chars_.vocabulary_),
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        return [npz, meta]

    @classmethod
    def load(cls, directory: Path) -> TextVectorizer:
        """Load what :meth:`save` wrote. Raises ModelFormatError on an unknown format."""
        try:
            meta = json.loads((directory / "vectorizer.json").read_text(encoding="utf-8"))
            arrays = np.load(directory / "vectorizer.npz", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelFormatError(f"cannot read vectorizer in {directory}: {exc}") from exc
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelFormatError(
                f"vectorizer format {meta.get('format_version')!r} is not {FORMAT_VERSION}"
            )
        self = cls(**meta["params"])
        self.words_ = _restore(
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32),
            meta["word_vocabulary"],
            arrays["word_idf"],
        )
        self.chars_ = _restore(
            TfidfVectorizer(
                analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32
            ),
            meta["char_vocabulary"],
            arrays["char_idf"],
        )
        self.components_ = np.ascontiguousarray(arrays["components"], dtype=np.float32)
        self._components_t = None
        return self


def _vocab_list(vocabulary: dict[str, int]) -> list[str]:
    out = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        out[i] = term
    return out


def _restore(
    vec: TfidfVectorizer, terms: list[str], idf: npt.NDArray[np.float32]
) -> TfidfVectorizer:
    vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
    vec.idf_ = idf.astype(np.float64)
    if len(terms) != idf.shape[0]:
        raise ModelFormatError("vectorizer vocabulary and IDF sizes differ")
    return vec
