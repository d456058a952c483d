"""The estimator of the job classifier: :class:`JobClassifier` (two views + lexicon, calibrated).

:class:`LinearView` is a one-vs-rest logistic regression fitted by SGD over the hashed features
of one view (:mod:`matching.understand.classifier.features`): the title alone, or title and
description. :class:`JobClassifier` fits one per view and combines them with the keyword
lexicon by :mod:`matching.understand.classifier.calibration`, the weights learnt on
out-of-fold predictions of an inner cross-validation (grouped by employer when groups are
given). Coefficients are rounded to float16 at fit time, so the model in memory and the model
on disk (:mod:`matching.understand.classifier.files`) give identical probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.exceptions import InputError, NotFittedError
from matching.understand.classifier.calibration import apply_combiner, fit_combiner, log_views
from matching.understand.classifier.features import (
    CLASSES,
    COMBINED_VIEWS,
    N_FEATURES,
    VIEWS,
    Row,
    View,
    hash_few,
    hash_views,
    weigh,
)
from matching.understand.classifier.lexicon import lexicon_view

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

__all__ = ["CLASSES", "COMBINED_VIEWS", "FEW_TEXTS", "JobClassifier", "LinearView"]

# up to this many texts, view_probas hashes and weighs them without scipy (a person's texts, a
# single posting); more are hashed into one sparse matrix, one sparse product (an import's batch)
FEW_TEXTS = 16


class LinearView:
    """One view's logistic regression (one-vs-rest, SGD) over hashed, tf-idf-weighted features.

    Attributes
    ----------
    classes_ : tuple of Category
    idf_, coef_, intercept_ : ndarray
        Learned state (dense over the hashed columns; coef_ has one row per class).
    """

    def __init__(self, view: View, alpha: float = 1e-5, max_iter: int = 30) -> None:
        self.view = view
        self.alpha = alpha
        self.max_iter = max_iter

    def fit_hashed(
        self, x: sp.csr_matrix, y: npt.NDArray[np.str_], sample_weight: npt.NDArray[np.float64]
    ) -> Self:
        from sklearn.linear_model import SGDClassifier

        df = np.bincount(x.indices, minlength=N_FEATURES)
        idf = np.log((1.0 + x.shape[0]) / (1.0 + df)) + 1.0
        # SGD, not LogisticRegression(lbfgs): same accuracy in cross-validation, 15× faster;
        # tol=None runs all epochs, so the result is reproducible.
        lr = SGDClassifier(
            loss="log_loss", alpha=self.alpha, max_iter=self.max_iter, tol=None, random_state=0
        )
        lr.fit(weigh(x, idf), y, sample_weight=sample_weight)
        coef = lr.coef_.astype(np.float16).astype(np.float64)
        intercept = lr.intercept_.astype(np.float32).astype(np.float64)
        if coef.shape[0] == 1:  # binary: sklearn keeps one row; make it two mirrored rows
            coef, intercept = np.vstack([-coef, coef]), np.array([-intercept[0], intercept[0]])
        self.set_state(
            tuple(Category(c) for c in lr.classes_),
            np.where(df > 0, idf, 0.0).astype(np.float32).astype(np.float64),
            coef,
            intercept,
        )
        return self

    def set_state(
        self,
        classes: tuple[Category, ...],
        idf: npt.NDArray[np.float64],
        coef: npt.NDArray[np.float64],
        intercept: npt.NDArray[np.float64],
    ) -> None:
        self.classes_, self.idf_, self.coef_, self.intercept_ = classes, idf, coef, intercept
        # sparse @ dense needs a C-contiguous right side, or scipy copies it on every call
        self._coef_t = np.ascontiguousarray(coef.T)
        self._cols = [CLASSES.index(c) for c in classes]

    def proba_hashed(self, x: sp.csr_matrix) -> npt.NDArray[np.float64]:
        """Probabilities ``(n, 18)`` of texts hashed in this view (0 for unseen classes)."""
        return self._proba(np.asarray(weigh(x, self.idf_) @ self._coef_t))

    def proba_rows(self, rows: Sequence[Row]) -> npt.NDArray[np.float64]:
        """:meth:`proba_hashed` of texts hashed by :func:`~.features.hash_few`, bit for bit.

        Each step in the order scipy and scikit-learn take it: the squares summed one by one
        (``inplace_csr_row_normalize_l2``), each column's products summed in column order
        (scipy's sparse × dense product).
        """
        products = np.zeros((len(rows), self._coef_t.shape[1]))
        for i, (columns, tf) in enumerate(rows):
            v = tf * self.idf_[columns]
            squares = 0.0
            for a in v.tolist():
                squares += a * a
            if squares != 0.0:
                v /= math.sqrt(squares)
            if len(columns):
                products[i] = np.add.reduce(v[:, np.newaxis] * self._coef_t[columns], axis=0)
        return self._proba(products)

    def _proba(self, products: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        scores = products + self.intercept_
        # one-vs-rest logistic: sigmoid per class, normalised (as sklearn's SGD predict_proba)
        p = 1.0 / (1.0 + np.exp(-np.clip(scores, -50, 50)))
        p /= p.sum(axis=1, keepdims=True)
        full = np.zeros((products.shape[0], len(CLASSES)))
        full[:, self._cols] = p
        return full


class JobClassifier:
    """Text → category A–R, scikit-learn style: a title model and a text model, calibrated.

    Parameters
    ----------
    alpha : float
        L2 regularisation of each view's SGD logistic regression.
    max_iter : int
        Epochs over the training data.
    inner_splits : int
        Folds of the inner cross-validation whose out-of-fold predictions fit the combiner.

    Attributes
    ----------
    classes_ : tuple of Category
        The categories seen in fit.
    views_ : dict of str to LinearView
        ``"title"`` and ``"text"``.
    weights_, bias_ : ndarray
        The combiner (:mod:`~matching.understand.classifier.calibration`): one weight per
        entry of :data:`COMBINED_VIEWS`, one bias per category.
    """

    def __init__(self, alpha: float = 1e-5, max_iter: int = 30, inner_splits: int = 3) -> None:
        self.alpha = alpha
        self.max_iter = max_iter
        self.inner_splits = inner_splits

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Category | str],
        sample_weight: Sequence[float] | npt.NDArray[np.float64] | None = None,
        groups: Sequence[str] | None = None,
    ) -> Self:
        """Fit on texts (first line = title) and their categories. Returns self.

        ``groups`` (an employer per text) keeps one group's texts on one side of the inner
        cross-validation that learns the combiner; without it every text is its own group.
        """
        if len(texts) == 0 or len(texts) != len(labels):
            raise InputError(
                f"需要等长且非空的文本和标签 / texts and labels must be non-empty and of equal "
                f"length (got {len(texts)} and {len(labels)})"
            )
        y = np.array([Category(lab).value for lab in labels])
        if len(set(y)) < 2:
            raise InputError("至少需要两个类别 / fit() needs at least two categories")
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        xs = hash_views(texts)
        lex = np.array([lexicon_view(t) for t in texts])
        oof = {v: np.zeros((len(y), len(CLASSES))) for v in VIEWS}
        for train, test in _inner_folds(y, groups, self.inner_splits):
            for v in VIEWS:
                view = self._view(v).fit_hashed(xs[v][train], y[train], w[train])
                oof[v][test] = view.proba_hashed(xs[v][test])
        yi = np.array([CLASSES.index(Category(c)) for c in y])
        logs = log_views([*(oof[v] for v in VIEWS), lex])
        self.weights_, self.bias_ = fit_combiner(logs, yi, w)
        self.views_ = {v: self._view(v).fit_hashed(xs[v], y, w) for v in VIEWS}
        self.classes_ = tuple(c for c in CLASSES if c.value in set(y))
        return self

    def _view(self, v: View) -> LinearView:
        return LinearView(v, alpha=self.alpha, max_iter=self.max_iter)

    def _check_fitted(self) -> None:
        if not hasattr(self, "weights_"):
            raise NotFittedError("JobClassifier is not fitted yet. Call fit() or load() first.")

    def view_probas(
        self,
        texts: Sequence[str],
        words: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
        fields: Sequence[tuple[str, str]] | None = None,
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Each entry of :data:`COMBINED_VIEWS` → its distribution ``(n_texts, 18)``.

        ``words``: each text's ``(title words, description words)`` when already segmented,
        ``fields`` its title and description already normalised (see
        :func:`~matching.understand.classifier.features.hash_views`).
        """
        self._check_fitted()
        if len(texts) <= FEW_TEXTS:
            few = hash_few(texts, words)
            out = {v: self.views_[v].proba_rows(few[v]) for v in VIEWS}
        else:
            hashed = hash_views(texts, words, fields)
            out = {v: self.views_[v].proba_hashed(hashed[v]) for v in VIEWS}
        norms = [None] * len(texts) if fields is None else fields
        lexicon = [lexicon_view(t, f) for t, f in zip(texts, norms, strict=True)]
        out["lexicon"] = np.array(lexicon).reshape(len(texts), -1)
        return out

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Calibrated probabilities ``(n_texts, 18)``, columns in the order of :class:`Category`."""
        return self.combine(self.view_probas(texts))

    def combine(self, views: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
        """The calibrated distribution from :meth:`view_probas`."""
        return apply_combiner(
            log_views([views[v] for v in COMBINED_VIEWS]), self.weights_, self.bias_
        )

    def predict(self, texts: Sequence[str]) -> list[Category]:
        """The most probable category of each text."""
        return [CLASSES[i] for i in np.argmax(self.predict_proba(texts), axis=1)]

    def save(self, directory: Path | str, *, extra: dict[str, object] | None = None) -> Path:
        """Write ``model.npz`` and ``manifest.json`` into ``directory``; returns the directory."""
        from matching.understand.classifier.files import save_model

        self._check_fitted()
        return save_model(self, Path(directory), extra or {})

    @classmethod
    def load(cls, directory: Path | str) -> JobClassifier:
        """Load a model written by :meth:`save` (see :func:`~.files.load_model`).

        Raises
        ------
        ModelFormatError
            Missing files, unknown format version, checksum mismatch or inconsistent arrays.
        """
        from matching.understand.classifier.files import load_model

        return load_model(cls, Path(directory))


def _inner_folds(
    y: npt.NDArray[np.str_], groups: Sequence[str] | None, n_splits: int
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    g = np.arange(len(y)) if groups is None else np.asarray(groups)
    n_splits = max(2, min(n_splits, len(set(g.tolist()))))
    with warnings.catch_warnings():  # rare classes: fewer members than folds
        warnings.simplefilter("ignore", UserWarning)
        splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=0)
        return list(splitter.split(np.zeros(len(y)), y, g))
