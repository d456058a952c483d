"""The estimator of the job classifier: :class:`JobClassifier`, its fit, prediction and files.

A one-vs-rest logistic regression fitted by SGD over the hashed features of
:mod:`matching.understand.classifier.features`. Coefficients are rounded to float16 at fit time,
so the model in memory and the model on disk give identical probabilities. Saved as
``model.npz`` (sparse columns only) + ``manifest.json`` (format version, classes, settings,
SHA-256 of the npz); loaded with ``allow_pickle=False``. A model file is untrusted input:
anything unexpected raises :class:`~matching.exceptions.ModelFormatError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.exceptions import InputError, ModelFormatError, NotFittedError
from matching.understand.classifier.features import N_FEATURES, hash_texts, weigh

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

__all__ = ["CLASSES", "FORMAT_VERSION", "JobClassifier"]

FORMAT_VERSION = 1
# The columns of every probability array: the categories A–R in the order of Category.
CLASSES: tuple[Category, ...] = tuple(Category)


class JobClassifier:
    """Text → category A–R, scikit-learn style.

    Parameters
    ----------
    alpha : float
        L2 regularisation of the SGD logistic regression.
    max_iter : int
        Epochs over the training data.
    random_state : int
        Seed of SGD's shuffling (fixed: the same data gives the same model).

    Attributes
    ----------
    classes_ : tuple of Category
        The categories seen in fit (the columns the model scores).
    idf_, coef_, intercept_ : ndarray
        Learned state (dense over the hashed columns; coef_ has one row per class).
    """

    def __init__(self, alpha: float = 1e-5, max_iter: int = 30, random_state: int = 0) -> None:
        self.alpha = alpha
        self.max_iter = max_iter
        self.random_state = random_state

    # sklearn-like -------------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Category | str],
        sample_weight: Sequence[float] | npt.NDArray[np.float64] | None = None,
    ) -> Self:
        """Fit on texts (first line = title) and their categories. Returns self."""
        x = hash_texts(texts)
        return self.fit_hashed(x, labels, sample_weight)

    def fit_hashed(
        self,
        x: sp.csr_matrix,
        labels: Sequence[Category | str],
        sample_weight: Sequence[float] | npt.NDArray[np.float64] | None = None,
    ) -> Self:
        """:meth:`fit` on texts already hashed by :func:`hash_texts`. Returns self."""
        from sklearn.linear_model import SGDClassifier

        if x.shape[0] == 0 or x.shape[0] != len(labels):
            raise InputError(
                f"需要等长且非空的文本和标签 / texts and labels must be non-empty and of equal "
                f"length (got {x.shape[0]} and {len(labels)})"
            )
        y = np.array([Category(lab).value for lab in labels])
        if len(set(y)) < 2:
            raise InputError("至少需要两个类别 / fit() needs at least two categories")
        df = np.bincount(x.indices, minlength=N_FEATURES)
        n = x.shape[0]
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        xw = weigh(x, idf)
        # SGD, not LogisticRegression(lbfgs): same accuracy in cross-validation, 15× faster
        # (see models/MODEL_CARD.md); tol=None runs all epochs, so the result is reproducible.
        lr = SGDClassifier(
            loss="log_loss",
            alpha=self.alpha,
            max_iter=self.max_iter,
            tol=None,
            random_state=self.random_state,
        )
        lr.fit(xw, y, sample_weight=None if sample_weight is None else np.asarray(sample_weight))
        coef = lr.coef_.astype(np.float16).astype(np.float64)
        intercept = lr.intercept_.astype(np.float64)
        if coef.shape[0] == 1:  # binary: sklearn keeps one row; make it two mirrored rows
            coef, intercept = np.vstack([-coef, coef]), np.array([-intercept[0], intercept[0]])
        self.classes_ = tuple(Category(c) for c in lr.classes_)
        self.idf_ = np.where(df > 0, idf, 0.0).astype(np.float32).astype(np.float64)
        self.coef_ = coef
        self._coef_t = None
        self.intercept_ = intercept.astype(np.float32).astype(np.float64)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("JobClassifier is not fitted yet. Call fit() or load() first.")

    def proba_hashed(self, x: sp.csr_matrix) -> npt.NDArray[np.float64]:
        """:meth:`predict_proba` of texts already hashed by :func:`hash_texts`."""
        self._check_fitted()
        xw = weigh(x, self.idf_)
        # sparse @ dense needs a C-contiguous right side, or scipy copies it on every call
        # (18 × 2^20 floats per prediction); keep one contiguous transpose.
        coef_t = getattr(self, "_coef_t", None)
        if coef_t is None:
            coef_t = self._coef_t = np.ascontiguousarray(self.coef_.T)
        scores = np.asarray(xw @ coef_t) + self.intercept_
        # one-vs-rest logistic: sigmoid per class, normalised (as sklearn's SGD predict_proba)
        p = 1.0 / (1.0 + np.exp(-np.clip(scores, -50, 50)))
        p /= p.sum(axis=1, keepdims=True)
        full = np.zeros((x.shape[0], len(CLASSES)))
        cols = [CLASSES.index(c) for c in self.classes_]
        full[:, cols] = p
        return full

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities, shape ``(n_texts, 18)``, columns in the order of :class:`Category`."""
        return self.proba_hashed(hash_texts(texts))

    def predict(self, texts: Sequence[str]) -> list[Category]:
        """The most probable category of each text."""
        return [CLASSES[i] for i in np.argmax(self.predict_proba(texts), axis=1)]

    # persistence ----------------------------------------------------------------------------------
    def save(self, directory: Path | str, *, extra: dict[str, Any] | None = None) -> Path:
        """Write ``model.npz`` and ``manifest.json`` into ``directory``; returns the directory."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        cols = np.flatnonzero(np.any(self.coef_ != 0, axis=0) | (self.idf_ != 0)).astype(np.int32)
        npz = directory / "model.npz"
        with npz.open("wb") as f:
            np.savez_compressed(
                f,
                columns=cols,
                coef=self.coef_[:, cols].astype(np.float16),
                idf=self.idf_[cols].astype(np.float32),
                intercept=self.intercept_.astype(np.float32),
            )
        manifest = {
            "format": "songgang-job-classifier",
            "format_version": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "classes": [c.value for c in self.classes_],
            "n_features": N_FEATURES,
            "params": {
                "alpha": self.alpha,
                "max_iter": self.max_iter,
                "random_state": self.random_state,
            },
            "features": "t:title words, w:all words, tc:title char 2-3, dc:desc char 2-3",
            "files": {"model.npz": _sha256(npz)},
            **(extra or {}),
        }
        (directory / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return directory

    @classmethod
    def load(cls, directory: Path | str) -> JobClassifier:
        """Load a model written by :meth:`save`.

        Raises
        ------
        ModelFormatError
            Missing files, unknown format version, checksum mismatch or inconsistent arrays.
        """
        directory = Path(directory)
        manifest = _read_manifest(directory)
        npz = directory / "model.npz"
        if _sha256(npz) != manifest["files"].get("model.npz"):
            raise ModelFormatError(
                f"模型文件校验失败 / checksum mismatch for {npz}; retrain with `songgang train`."
            )
        try:
            with np.load(npz, allow_pickle=False) as z:
                cols, coef = z["columns"].astype(np.int64), z["coef"].astype(np.float64)
                idf, intercept = z["idf"].astype(np.float64), z["intercept"].astype(np.float64)
            classes = tuple(Category(c) for c in manifest["classes"])
        except (OSError, ValueError, KeyError) as exc:
            raise ModelFormatError(f"无法读取模型 / cannot read model {npz}: {exc}") from exc
        k = len(classes)
        if (
            coef.shape != (k, len(cols))
            or idf.shape != (len(cols),)
            or intercept.shape != (k,)
            or (len(cols) and (cols.min() < 0 or cols.max() >= N_FEATURES))
            or not np.all(np.isfinite(coef))
        ):
            raise ModelFormatError(f"模型数组不一致 / inconsistent arrays in {npz}")
        params = manifest.get("params", {})
        try:
            model = cls(
                alpha=float(params["alpha"]),
                max_iter=int(params["max_iter"]),
                random_state=int(params["random_state"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFormatError(f"模型参数无效 / bad params in {directory}") from exc
        model.classes_ = classes
        model.coef_ = np.zeros((k, N_FEATURES))
        model._coef_t = None
        model.coef_[:, cols] = coef
        model.idf_ = np.zeros(N_FEATURES)
        model.idf_[cols] = idf
        model.intercept_ = intercept
        return model


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelFormatError(f"缺少模型文件 / missing model file {path}") from exc


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFormatError(f"无法读取模型清单 / cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != "songgang-job-classifier":
        raise ModelFormatError(f"不是分类模型 / not a job-classifier manifest: {path}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"未知的模型版本 / unknown model format version {manifest.get('format_version')!r} "
            f"(this code reads {FORMAT_VERSION}); retrain with `songgang train`."
        )
    if manifest.get("n_features") != N_FEATURES or not isinstance(manifest.get("files"), dict):
        raise ModelFormatError(f"模型清单不完整 / incomplete manifest {path}")
    return manifest
