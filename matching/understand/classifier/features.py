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
import re
from collections import Counter
from collections.abc import Iterable, Sequence
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


def _grams(runs: Sequence[str], lo: int, hi: int, prefix: str) -> list[str]:
    """``prefix`` + each character n-gram of ``runs`` (as :func:`char_ngrams` cuts them)."""
    grams: list[str] = []
    for run in runs:
        grams.extend(_run_grams(run, lo, hi, prefix))
    return grams


@functools.lru_cache(maxsize=1 << 17)
def _run_grams(run: str, lo: int, hi: int, prefix: str) -> tuple[str, ...]:
    # a board's descriptions are made of the same short runs between punctuation marks
    # (包吃住, 按时发薪): each run's grams are made once (2.4× faster on 20,000 descriptions)
    return tuple(f"{prefix}{run[i : i + size]}" for size in range(lo, hi + 1)
                 for i in range(len(run) - size + 1))  # fmt: skip


def _title_features(title: str, t_words: Sequence[str], norm: str | None = None) -> list[str]:
    runs = char_runs(title) if norm is None else char_runs(norm, normalized=True)
    core = "".join(runs)
    feats = [f"t:{w}" for w in t_words] + _grams(runs, 1, 3, "tc:")
    return feats + ([f"end:{core[-2:]}", f"end:{core[-1:]}"] if core else [])


def _text_features(
    title: str,
    description: str,
    t_words: Sequence[str],
    d_words: Sequence[str],
    norms: tuple[str, str] | None = None,
) -> list[str]:
    feats = [f"t:{w}" for w in t_words]
    feats += [f"w:{w}" for w in t_words]
    feats += [f"w:{w}" for w in d_words]
    if norms is None:
        title_runs, description_runs = char_runs(title), char_runs(description)
    else:
        title_runs = char_runs(norms[0], normalized=True)
        description_runs = char_runs(norms[1], normalized=True)
    feats += _grams(title_runs, 2, 3, "tc:")
    feats += _grams(description_runs, 2, 3, "dc:")
    return feats


def _features(text: str, view: View) -> list[str]:
    title, description = split_title(text)
    if view == "title":
        return _title_features(title, tokenize(title))
    return _text_features(title, description, tokenize(title), tokenize(description))


@functools.cache
def _hasher():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def hash_texts(texts: Sequence[str], view: View = "text") -> sp.csr_matrix:
    """Hashed feature counts of ``texts`` in one view, sub-linear tf, one row per text."""
    return _hash(_features(t, view) for t in texts)


def _hash(features: Iterable[list[str]]) -> sp.csr_matrix:
    x = _hasher().transform(features).tocsr()
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
        _title_features(title, words[i][0], None if fields is None else fields[i][0])
        for title, i in first.items()
    )
    number = {title: n for n, title in enumerate(first)}
    rows = np.fromiter((number[title] for title, _ in parts), np.int64, count=len(parts))
    norms: Sequence[tuple[str, str] | None] = [None] * len(parts) if fields is None else fields
    text = _hash(
        _text_features(title, description, t_words, d_words, norm)
        for (title, description), (t_words, d_words), norm in zip(parts, words, norms, strict=True)
    )
    return {"title": titles[rows], "text": text}


# A hashed text without scipy: its sorted distinct columns and their sub-linear tf.
Row = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


def _row(features: Sequence[str]) -> Row:
    """One text's row as :func:`_hash` makes it: FeatureHasher's columns (murmurhash3 of the
    UTF-8 bytes, seed 0, ``abs(h) % N_FEATURES``), duplicates summed, ``1 + log(count)``."""
    from sklearn.utils import murmurhash3_32

    counts = Counter(abs(murmurhash3_32(f, 0)) % N_FEATURES for f in features)
    columns = sorted(counts)
    tf = np.array([counts[c] for c in columns], dtype=np.float64)
    return np.array(columns, dtype=np.int64), 1.0 + np.log(tf)


def hash_few(
    texts: Sequence[str], words: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None
) -> dict[View, list[Row]]:
    """:func:`hash_views` of a few texts (a person's positions and skills) as :data:`Row` s.

    The same columns and values as the rows of :func:`hash_views`, without the fixed cost of
    FeatureHasher and scipy for each call (about 0.3 ms for a person, against a few µs a text
    here); many texts hash faster in :func:`hash_views`.
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
