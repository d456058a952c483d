"""The text convention and the hashed features of the job classifier.

A text is its title on the first line and its description after it (:func:`split_title`);
:func:`one_line` folds a field onto one line first. Two views of a text, each hashed into
2**18 columns (no vocabulary to store):

``"text"``
    jieba words of the title (``t:``), words of the whole text (``w:``), and character
    2–3-grams of the title (``tc:``) and of the description (``dc:``).
``"title"``
    the title alone: its jieba words (``t:``), its character 1–3-grams (``tc:``) and its last
    two characters (``end:``, where Chinese puts the head noun: 钢筋**工**, 收银**员**).

Sub-linear tf, then × idf with rows L2-normalised (:func:`weigh`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.understand.text import char_runs, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

View = Literal["title", "text"]

__all__ = [
    "CLASSES",
    "COMBINED_VIEWS",
    "N_FEATURES",
    "VIEWS",
    "hash_few",
    "hash_texts",
    "hash_views",
    "one_line",
    "split_title",
    "weigh",
]

N_FEATURES = 2**18
# The columns of every probability array: the categories A–R in the order of Category.
CLASSES: tuple[Category, ...] = tuple(Category)
VIEWS: tuple[View, ...] = ("title", "text")
# What the combiner weighs, in the order of JobClassifier.weights_.
COMBINED_VIEWS: tuple[str, ...] = (*VIEWS, "lexicon")


def one_line(s: str | None) -> str:
    """``s`` with every run of whitespace made one space, stripped (None reads as "")."""
    return re.sub(r"\s+", " ", s or "").strip()


def split_title(text: str) -> tuple[str, str]:
    """``(title, description)``: the first line of ``text`` and the rest."""
    title, _, description = str(text).partition("\n")
    return title, description


# each feature string → its column as FeatureHasher puts it (murmurhash3 of the UTF-8 bytes,
# seed 0, abs(h) % N_FEATURES): a board's 100 features a text are a few ten thousand distinct
# strings, each hashed once here instead of once a text (2,000,000 at 20,000 postings)
_COLUMNS: dict[str, int] = {}
_MAX_COLUMNS = 1 << 20  # a long-running process starts over past this many


def _column(feature: str) -> int:
    column = _COLUMNS.get(feature)
    if column is None:
        if len(_COLUMNS) >= _MAX_COLUMNS:
            _COLUMNS.clear()
        column = _COLUMNS[feature] = abs(_murmurhash()(feature, 0)) % N_FEATURES
    return column


@functools.cache
def _murmurhash():  # type: ignore[no-untyped-def]
    from sklearn.utils import murmurhash3_32

    return murmurhash3_32


# each word's column after a prefix (t:, w:, end:), looked up without making the feature string
_WORDS: dict[str, dict[str, int]] = {}


def _words(words: Sequence[str], prefix: str) -> list[int]:
    known = _WORDS.setdefault(prefix, {})
    try:
        return list(map(known.__getitem__, words))
    except KeyError:
        if len(known) >= _MAX_COLUMNS:
            known.clear()
        known.update((w, _column(prefix + w)) for w in words if w not in known)
        return list(map(known.__getitem__, words))


def _grams(runs: Sequence[str], lo: int, hi: int, prefix: str) -> list[int]:
    """The columns of ``prefix`` + each character n-gram of ``runs`` (as :func:`char_ngrams`
    cuts them), run after run."""
    columns: list[int] = []
    for run in runs:
        columns.extend(_run_grams(run, lo, hi, prefix))
    return columns


@functools.lru_cache(maxsize=1 << 17)
def _run_grams(run: str, lo: int, hi: int, prefix: str) -> tuple[int, ...]:
    # a board's descriptions are made of the same short runs between punctuation marks
    # (包吃住, 按时发薪): each run's grams are made and hashed once
    return tuple(_column(f"{prefix}{run[i : i + size]}") for size in range(lo, hi + 1)
                 for i in range(len(run) - size + 1))  # fmt: skip


def _title_features(title: str, t_words: Sequence[str], norm: str | None = None) -> list[int]:
    runs = char_runs(title) if norm is None else char_runs(norm, normalized=True)
    core = "".join(runs)
    columns = _words(t_words, "t:") + _grams(runs, 1, 3, "tc:")
    return columns + (_words((core[-2:], core[-1:]), "end:") if core else [])


def _text_features(
    title: str,
    description: str,
    t_words: Sequence[str],
    d_words: Sequence[str],
    norms: tuple[str, str] | None = None,
) -> list[int]:
    if norms is None:
        title_runs, description_runs = char_runs(title), char_runs(description)
    else:
        title_runs = char_runs(norms[0], normalized=True)
        description_runs = char_runs(norms[1], normalized=True)
    columns = _words(t_words, "t:") + _words(t_words, "w:") + _words(d_words, "w:")
    return columns + _grams(title_runs, 2, 3, "tc:") + _grams(description_runs, 2, 3, "dc:")


def _features(text: str, view: View) -> list[int]:
    title, description = split_title(text)
    if view == "title":
        return _title_features(title, tokenize(title))
    return _text_features(title, description, tokenize(title), tokenize(description))


def hash_texts(texts: Sequence[str], view: View = "text") -> sp.csr_matrix:
    """Hashed feature counts of ``texts`` in one view, sub-linear tf, one row per text."""
    return _hash([_features(t, view) for t in texts])


def _hash(rows: Sequence[list[int]]) -> sp.csr_matrix:
    """The rows' columns counted, ``1 + log(count)``: what FeatureHasher's transform of their
    feature strings, summed and sub-linear, gives (its indices sorted in each row)."""
    from scipy.sparse import csr_matrix

    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, rows), np.int64, count=len(rows)), out=indptr[1:])
    indices = np.fromiter(itertools.chain.from_iterable(rows), np.int32, count=int(indptr[-1]))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), N_FEATURES))
    x.sum_duplicates()
    x.data = 1.0 + np.log(x.data)  # sub-linear tf
    return x


def hash_views(
    texts: Sequence[str],
    words: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    fields: Sequence[tuple[str, str]] | None = None,
) -> dict[View, sp.csr_matrix]:
    """:func:`hash_texts` of ``texts`` in both views at once: ``{"title": …, "text": …}``.

    Each distinct title is segmented and hashed once for the title view (a board repeats its
    titles: 保洁员, 普工), and each text once for both views. ``words`` may give each text's
    ``(title words, description words)`` as :func:`~matching.understand.text.tokenize` cuts
    them, when the caller has segmented them already, and ``fields`` each text's title and
    description as ``normalize_text`` makes them. Equal to ``hash_texts(texts, view)`` row
    for row.
    """
    parts = [split_title(t) for t in texts]
    if words is None:
        words = [(tokenize(title), tokenize(description)) for title, description in parts]
    first: dict[str, int] = {}  # each distinct title → the first row it is on
    for i, (title, _) in enumerate(parts):
        first.setdefault(title, i)
    titles = _hash(
        [
            _title_features(title, words[i][0], None if fields is None else fields[i][0])
            for title, i in first.items()
        ]
    )
    number = {title: n for n, title in enumerate(first)}
    rows = np.fromiter((number[title] for title, _ in parts), np.int64, count=len(parts))
    norms: Sequence[tuple[str, str] | None] = [None] * len(parts) if fields is None else fields
    text = _hash(
        [
            _text_features(title, description, t_words, d_words, norm)
            for (title, description), (t_words, d_words), norm in zip(
                parts, words, norms, strict=True
            )
        ]
    )
    return {"title": titles[rows], "text": text}


# A hashed text without scipy: its sorted distinct columns and their sub-linear tf.
Row = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


def _row(columns: Sequence[int]) -> Row:
    """One text's row as :func:`_hash` makes it: its distinct columns, sorted, and
    ``1 + log(count)`` of each."""
    counts = Counter(columns)
    ordered = sorted(counts)
    tf = np.array([counts[c] for c in ordered], dtype=np.float64)
    return np.array(ordered, dtype=np.int64), 1.0 + np.log(tf)


def hash_few(
    texts: Sequence[str], words: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None
) -> dict[View, list[Row]]:
    """:func:`hash_views` of a few texts (a person's positions and skills) as :data:`Row` s.

    The same columns and values as the rows of :func:`hash_views`, without the fixed cost of
    scipy for each call (about 0.3 ms for a person, against a few µs a text here); many texts
    hash faster in :func:`hash_views`.
    """
    out: dict[View, list[Row]] = {"title": [], "text": []}
    for i, text in enumerate(texts):
        title, description = split_title(text)
        t_words, d_words = (tokenize(title), tokenize(description)) if words is None else words[i]
        out["title"].append(_row(_title_features(title, t_words)))
        out["text"].append(_row(_text_features(title, description, t_words, d_words)))
    return out


def weigh(x: sp.csr_matrix, idf: npt.NDArray[np.float64]) -> sp.csr_matrix:
    """Rows of ``x`` times ``idf``, L2-normalised.

    The same numbers, bit for bit, as ``normalize(x.multiply(idf[np.newaxis, :]))``, without
    the dense ``(rows, 262,144)`` operand that broadcast made and ``normalize``'s per-call
    checks (scikit-learn's own row normalisation does the work): one person's text took about
    5 ms that way, 0.2 ms this way.
    """
    from scipy.sparse import csr_matrix
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    out = csr_matrix(x, dtype=np.float64, copy=True)
    out.sum_duplicates()
    out.data *= idf[out.indices]
    inplace_csr_row_normalize_l2(out)
    return out
