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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.understand.text import char_ngrams, tokenize

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

View = Literal["title", "text"]

__all__ = [
    "CLASSES",
    "COMBINED_VIEWS",
    "N_FEATURES",
    "VIEWS",
    "hash_texts",
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


def _features(text: str, view: View) -> list[str]:
    title, description = split_title(text)
    t_words = tokenize(title)
    if view == "title":
        core = "".join(char_ngrams(title, (1, 1)))
        feats = [f"t:{w}" for w in t_words] + [f"tc:{g}" for g in char_ngrams(title, (1, 3))]
        return feats + ([f"end:{core[-2:]}", f"end:{core[-1:]}"] if core else [])
    feats = [f"t:{w}" for w in t_words]
    feats += [f"w:{w}" for w in t_words + tokenize(description)]
    feats += [f"tc:{g}" for g in char_ngrams(title, (2, 3))]
    feats += [f"dc:{g}" for g in char_ngrams(description, (2, 3))]
    return feats


@functools.cache
def _hasher():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def hash_texts(texts: Sequence[str], view: View = "text") -> sp.csr_matrix:
    """Hashed feature counts of ``texts`` in one view, sub-linear tf, one row per text."""
    x = _hasher().transform(_features(t, view) for t in texts).tocsr()
    x.sum_duplicates()
    x.data = 1.0 + np.log(x.data)  # sub-linear tf
    return x


def weigh(x: sp.csr_matrix, idf: npt.NDArray[np.float64]) -> sp.csr_matrix:
    """Rows of ``x`` times ``idf``, L2-normalised."""
    from sklearn.preprocessing import normalize

    x = x.multiply(idf[np.newaxis, :]).tocsr()
    return normalize(x, norm="l2", copy=False)
