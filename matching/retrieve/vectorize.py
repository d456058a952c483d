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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.exceptions import ModelFormatError, NotFittedError
from matching.retrieve.counts import fit_tfidf
from matching.retrieve.svd import randomized_components

FORMAT_VERSION = 1
Tokenizer = Callable[[str], list[str]]


def _default_tokenize(text: str) -> list[str]:
    from matching.understand.text import tokenize

    return tokenize(text)


def _default_normalize(text: str) -> str:
    from matching.understand.text import normalize_text

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
    svd_max_rows : int
        The projection is fitted on at most this many texts, a random sample of the corpus
        (the TF-IDF itself on all of them): its cost grows with the rows it reads, and a city's
        board does not need 100,000 postings to find the directions of 10,000. At or below it,
        every text is read. On 50,000 generated postings a 10,000-row sample finds a text's
        nearest neighbour among its 10 nearest projected ones as often as a 20,000-row one
        (0.685 vs 0.682 of 1,500 texts; 5,000 rows: 0.688).
    """

    def __init__(
        self,
        n_components: int = 256,
        *,
        max_word_features: int = 40_000,
        max_char_features: int = 40_000,
        char_weight: float = 0.7,
        random_state: int = 0,
        svd_max_rows: int = 10_000,
    ) -> None:
        self.n_components = n_components
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.char_weight = char_weight
        self.random_state = random_state
        self.svd_max_rows = svd_max_rows

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> Self:
        """Learn vocabularies, IDF and the SVD projection from ``texts``.

        ``tokens`` may be passed when the caller has already segmented the texts.
        """
        self.fit_sparse(texts, tokens)
        return self

    def fit_sparse(
        self,
        texts: Sequence[str],
        tokens: Sequence[list[str]] | None = None,
        normalized: Sequence[str] | None = None,
    ) -> sp.csr_matrix:
        """:meth:`fit`, returning the texts' TF-IDF rows: equal to ``transform_sparse(texts)``
        after the fit, without counting every text's words and n-grams a second time.

        ``normalized`` may give each text as ``normalize_text`` makes it, when the caller has
        it already (:func:`matching.ingest.segment.normalized_texts`)."""
        if not texts:
            raise ValueError("TextVectorizer.fit() needs at least one text.")
        toks = list(tokens) if tokens is not None else [_default_tokenize(t) for t in texts]
        if normalized is not None and len(normalized) != len(texts):
            raise ValueError("fit_sparse(): one normalised text per text")
        norm = (
            list(normalized) if normalized is not None else [_default_normalize(t) for t in texts]
        )
        self.words_ = TfidfVectorizer(
            analyzer=_identity,
            max_features=self.max_word_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.chars_ = TfidfVectorizer(
            analyzer="char",
            ngram_range=(2, 3),
            max_features=self.max_char_features,
            sublinear_tf=True,
            min_df=2 if len(texts) > 50 else 1,
            dtype=np.float32,
        )
        # fit_transform's rows with their columns sorted: transform()'s, bit for bit
        w = fit_tfidf(self.words_, toks)
        c = fit_tfidf(self.chars_, norm)
        x = self._combine(w, c)
        dims = max(1, min(self.n_components, x.shape[1] - 1, x.shape[0] - 1))
        # scikit-learn's TruncatedSVD(algorithm="randomized", n_iter=2), with a cheaper basis
        self.components_ = randomized_components(
            self._svd_rows(x), dims, n_iter=2, random_state=self.random_state
        )
        self._components_t = None
        return x

    def _svd_rows(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """``x``, or a random sample of :attr:`svd_max_rows` of its rows (in their order)."""
        if x.shape[0] <= self.svd_max_rows:
            return x
        rng = np.random.default_rng(self.random_state)
        return x[np.sort(rng.choice(x.shape[0], self.svd_max_rows, replace=False))]

    def _sparse(self, toks: Sequence[list[str]], norm: Sequence[str]) -> sp.csr_matrix:
        if len(toks) == 1:  # one request's profile: the same numbers without sklearn's checks
            return self._sparse_one(toks[0], norm[0])
        return self._sparse_many(toks, norm)

    def _sparse_many(self, toks: Sequence[list[str]], norm: Sequence[str]) -> sp.csr_matrix:
        return self._combine(self.words_.transform(toks), self.chars_.transform(norm))

    def _combine(self, w: sp.csr_matrix, c: sp.csr_matrix) -> sp.csr_matrix:
        """The word and (weighted) character blocks side by side, rows L2-normalised."""
        c = c * self.char_weight
        return normalize(sp.hstack([w, c], format="csr").astype(np.float32))

    def _sparse_one(self, tokens: list[str], text: str) -> sp.csr_matrix:
        """:meth:`_sparse` of one text, bit for bit, at a fraction of the cost.

        ``TfidfVectorizer.transform`` validates its input and builds several scipy matrices
        per call, most of the time for a single short text (a person's profile, per request).
        This does the same arithmetic in the same order and dtypes on the row's arrays:
        scikit-learn's own analyzers, counts → float32, ``log(tf) + 1``, ``× idf``, scikit-learn's
        in-place L2 normalisation, ``× char_weight``, the two blocks side by side, L2 again.
        ``tests/test_vectorize_fast.py`` compares it with :meth:`_sparse_many`.
        """
        words_analyze, chars_analyze = self._analyzers()
        w_idx, w_data = _tfidf_row(self.words_, words_analyze(tokens))
        c_idx, c_data = _tfidf_row(self.chars_, chars_analyze(text))
        n_words = len(self.words_.vocabulary_)
        data = np.concatenate([w_data, c_data * self.char_weight])
        indices = np.concatenate([w_idx, c_idx + np.int32(n_words)])
        indptr = np.array([0, data.size], dtype=np.int32)
        _l2_rows(data, indices, indptr)
        shape = (1, n_words + len(self.chars_.vocabulary_))
        return sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)

    def _analyzers(self) -> tuple[Callable[..., list[str]], Callable[..., list[str]]]:
        """The fitted vectorizers' analyzers, built once per fitted pair."""
        cached = getattr(self, "_analyzers_of", None)
        if cached is None or cached[0] is not self.words_ or cached[1] is not self.chars_:
            cached = (
                self.words_,
                self.chars_,
                self.words_.build_analyzer(),
                self.chars_.build_analyzer(),
            )
            self._analyzers_of = cached
        return cached[2], cached[3]

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
                        "svd_max_rows": self.svd_max_rows,
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


def _tfidf_row(
    vec: TfidfVectorizer, features: list[str]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """One text's L2-normalised TF-IDF row as (sorted column indices, float32 values).

    The steps of ``CountVectorizer._count_vocab`` + ``TfidfTransformer.transform`` (with
    ``sublinear_tf`` and ``norm="l2"``) for one document, in the same dtypes.
    """
    vocabulary = vec.vocabulary_
    counts: dict[int, int] = {}
    for feature in features:
        j = vocabulary.get(feature)
        if j is not None:
            counts[j] = counts.get(j, 0) + 1
    order = sorted(counts)
    indices = np.array(order, dtype=np.int32)
    data = np.array([counts[j] for j in order], dtype=np.intc).astype(vec.dtype)
    if vec.sublinear_tf:
        np.log(data, data)
        data += 1.0
    data *= vec.idf_[indices]
    _l2_rows(data, indices, np.array([0, data.size], dtype=np.int32))
    return indices, data


class _Rows:
    """The attributes scikit-learn's in-place CSR normalisation reads (no scipy object)."""

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data: npt.NDArray[np.float32], indices: npt.NDArray[np.int32],
                 indptr: npt.NDArray[np.int32]) -> None:  # fmt: skip
        self.data, self.indices, self.indptr = data, indices, indptr
        self.shape = (indptr.size - 1, 0)


def _l2_rows(
    data: npt.NDArray[np.float32], indices: npt.NDArray[np.int32], indptr: npt.NDArray[np.int32]
) -> None:
    """L2-normalise CSR rows in place with the routine ``sklearn.preprocessing.normalize`` uses."""
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    inplace_csr_row_normalize_l2(_Rows(data, indices, indptr))


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
