"""The vectorizer's TF-IDF fit without scikit-learn's per-feature Python loop.

``TfidfVectorizer.fit_transform`` counts every word and every character n-gram of every text
in a Python loop (a dict lookup and a counter update per occurrence: 30 million n-grams for
100,000 postings). Here the counts are made with numpy and pandas: the n-grams of all texts at
once as integers (the code points of two or three characters in one int64, whose order is the
order of the n-gram strings), the words as one object array; ``pandas.factorize`` numbers the
distinct ones, scipy sums each text's duplicates. The vocabulary is then sorted and cut
(``min_df``, ``max_features``) as scikit-learn cuts it, and the IDF fitted by scikit-learn's own
``TfidfTransformer``: the same vocabulary, IDF and rows, bit for bit
(``tests/retrieve/test_counts.py``), and the fitted vectorizer is an ordinary fitted
``TfidfVectorizer``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

_SHIFT = 21  # a code point fits in 21 bits: three of them in an int64
_MASK = (1 << _SHIFT) - 1
_WHITE_SPACES = re.compile(r"\s\s+")  # CountVectorizer._white_spaces
CHUNK = 8192  # texts whose n-grams are counted at once


def fit_tfidf(vec: TfidfVectorizer, docs: Sequence[str] | Sequence[list[str]]) -> sp.csr_matrix:
    """``vec.fit_transform(docs)`` with its rows' columns sorted, for the two vectorizers of
    :class:`~matching.retrieve.vectorize.TextVectorizer`: ``analyzer="char"`` with
    ``ngram_range=(2, 3)`` over strings, and a callable analyzer returning token lists as they
    are. Anything else, and corpora the fast count cannot take (a text holding U+0000, an empty
    vocabulary), go to scikit-learn."""
    counted = _counts(vec, docs)
    if counted is None:
        out = vec.fit_transform(docs)
        out.sort_indices()
        return out
    x, terms = counted
    x, terms = _limit(x, terms, vec, len(docs))
    if not terms:
        return vec.fit_transform(docs)  # scikit-learn's own error for an empty vocabulary
    tfidf = TfidfTransformer(
        norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf, sublinear_tf=vec.sublinear_tf
    )
    rows = tfidf.fit_transform(x)
    vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
    vec.idf_ = tfidf.idf_
    return rows


def _counts(
    vec: TfidfVectorizer, docs: Sequence[str] | Sequence[list[str]]
) -> tuple[sp.csr_matrix, list[str]] | None:
    if vec.analyzer == "char" and tuple(vec.ngram_range) == (2, 3) and vec.lowercase:
        if vec.preprocessor is not None or vec.strip_accents is not None or not docs:
            return None
        texts = [_WHITE_SPACES.sub(" ", str(d).lower()) for d in docs]
        return char_gram_counts(texts, vec.dtype)
    if callable(vec.analyzer) and docs and all(isinstance(d, list) for d in docs):
        tokens = [vec.analyzer(d) for d in docs]
        return token_counts(tokens, vec.dtype)
    return None


def char_gram_counts(
    texts: Sequence[str], dtype: npt.DTypeLike
) -> tuple[sp.csr_matrix, list[str]] | None:
    """Counts of each text's character 2- and 3-grams (as ``CountVectorizer._char_ngrams`` cuts
    a text already lower-cased with its white space runs made one space) and the n-grams in
    sorted order, the columns' order; None when a text holds U+0000 (the separator here).

    Counted :data:`CHUNK` texts at a time, their columns then put on the whole vocabulary: the
    arrays stay a few MB each (all texts at once took 1.2 GB more at 100,000 postings, and
    were slower for it), the result is the same."""
    if any("\0" in t for t in texts):
        return None
    parts = [_chunk_counts(texts[lo : lo + CHUNK], dtype) for lo in range(0, len(texts), CHUNK)]
    vocabulary = np.unique(np.concatenate([codes for _, codes in parts]))
    blocks = []
    for x, codes in parts:
        x.indices = np.searchsorted(vocabulary, codes)[x.indices].astype(x.indices.dtype)
        blocks.append(sp.csr_matrix((x.data, x.indices, x.indptr), (x.shape[0], vocabulary.size)))
    out = sp.vstack(blocks, format="csr")
    out.has_sorted_indices = True  # each block's order, and the map to the vocabulary is monotone
    return out, [_decode(int(c)) for c in vocabulary]


def _chunk_counts(
    texts: Sequence[str], dtype: npt.DTypeLike
) -> tuple[sp.csr_matrix, npt.NDArray[np.int64]]:
    """Counts of ``texts``' n-grams over their own sorted distinct n-gram codes."""
    joined = "\0".join(texts)
    points = np.frombuffer((joined + "\0\0").encode("utf-32-le"), np.uint32).astype(np.int64)
    n = len(joined)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    row_at = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)[:n]
    first, second, third = points[:n], points[1 : n + 1], points[2 : n + 2]
    two_ok = (first != 0) & (second != 0)
    two = (first << (2 * _SHIFT)) | (second << _SHIFT)
    three_ok = two_ok & (third != 0)
    codes = np.concatenate([two[two_ok], (two | third)[three_ok]])
    rows = np.concatenate([row_at[two_ok], row_at[three_ok]])
    # np.unique(codes, return_inverse=True) by hashing: the same sorted codes and inverse,
    # without sorting the millions of occurrences (only the distinct codes are sorted)
    inverse, distinct = pd.factorize(codes, sort=True)
    x = sp.csr_matrix(
        (np.ones(rows.size, dtype=dtype), (rows, inverse)),
        shape=(len(texts), distinct.size),
    )
    x.sum_duplicates()
    return x, distinct


def token_counts(
    token_lists: Sequence[list[str]], dtype: npt.DTypeLike
) -> tuple[sp.csr_matrix, list[str]]:
    """Counts of each list's tokens and the distinct tokens in sorted order (the columns')."""
    flat = np.empty(sum(map(len, token_lists)), dtype=object)
    flat[:] = [t for tokens in token_lists for t in tokens]
    sizes = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), sizes)
    x, distinct = _count(rows, flat, len(token_lists), dtype)
    return x, list(distinct)


def _count(
    rows: npt.NDArray[np.int64], keys: npt.NDArray[np.generic], n_rows: int, dtype: npt.DTypeLike
) -> tuple[sp.csr_matrix, npt.NDArray[np.generic]]:
    """Rows × sorted distinct keys: how often each row holds each key."""
    ids, distinct = pd.factorize(keys, sort=False)
    distinct = np.asarray(distinct)
    order = np.argsort(distinct, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    x = sp.csr_matrix(
        (np.ones(rows.size, dtype=dtype), (rows, rank[ids])), shape=(n_rows, distinct.size)
    )
    x.sum_duplicates()
    return x, distinct[order]


def _limit(
    x: sp.csr_matrix, terms: list[str], vec: TfidfVectorizer, n_docs: int
) -> tuple[sp.csr_matrix, list[str]]:
    """``CountVectorizer._limit_features`` with the vectorizer's ``max_df``, ``min_df`` and
    ``max_features``, step for step (the same ordering of equal frequencies)."""
    high = vec.max_df if isinstance(vec.max_df, int) else vec.max_df * n_docs
    low = vec.min_df if isinstance(vec.min_df, int) else vec.min_df * n_docs
    dfs = np.bincount(x.indices, minlength=x.shape[1])
    mask = (dfs <= high) & (dfs >= low)
    limit = vec.max_features
    if limit is not None and mask.sum() > limit:
        tfs = np.asarray(x.sum(axis=0)).ravel()
        mask_inds = (-tfs[mask]).argsort()[:limit]
        new_mask = np.zeros(len(dfs), dtype=bool)
        new_mask[np.where(mask)[0][mask_inds]] = True
        mask = new_mask
    kept = np.where(mask)[0]
    return x[:, kept], [terms[i] for i in kept.tolist()]


def _decode(code: int) -> str:
    """The characters an n-gram code holds (see :func:`char_gram_counts`)."""
    chars = (code >> (2 * _SHIFT), (code >> _SHIFT) & _MASK, code & _MASK)
    return "".join(chr(c) for c in chars if c)
