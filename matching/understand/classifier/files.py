"""The job classifier's files: ``model.npz`` (arrays) and ``manifest.json`` (format, classes,
settings, SHA-256 of the npz).

Each view keeps only its non-zero hashed columns (``{view}_columns``, ``{view}_coef`` as
float16, ``{view}_idf``, ``{view}_intercept``); the combiner is ``weights`` and ``bias``. Loaded
with ``allow_pickle=False``: a model file is untrusted input, and anything unexpected raises
:class:`~matching.exceptions.ModelFormatError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.domain.categories import Category
from matching.exceptions import ModelFormatError
from matching.understand.classifier.features import COMBINED_VIEWS, N_FEATURES, VIEWS

if TYPE_CHECKING:  # pragma: no cover
    from matching.understand.classifier.model import JobClassifier

__all__ = ["FORMAT_VERSION", "load_model", "save_model", "sha256"]

FORMAT_VERSION = 2  # 2: title view + text view + lexicon, calibrated combiner


def save_model(model: JobClassifier, directory: Path, extra: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "weights": model.weights_.astype(np.float64),
        "bias": model.bias_.astype(np.float64),
    }
    for v in VIEWS:
        view = model.views_[v]
        cols = np.flatnonzero(np.any(view.coef_ != 0, axis=0) | (view.idf_ != 0))
        arrays |= {
            f"{v}_columns": cols.astype(np.int32),
            f"{v}_coef": view.coef_[:, cols].astype(np.float16),
            f"{v}_idf": view.idf_[cols].astype(np.float32),
            f"{v}_intercept": view.intercept_.astype(np.float32),
        }
    npz = directory / "model.npz"
    with npz.open("wb") as f:
        np.savez_compressed(f, **arrays)
    manifest = {
        "format": "songgang-job-classifier",
        "format_version": FORMAT_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "classes": [c.value for c in model.views_["text"].classes_],
        "n_features": N_FEATURES,
        "params": {"alpha": model.alpha, "max_iter": model.max_iter,
                   "inner_splits": model.inner_splits},
        "features": "title view: t:title words, tc:title char 1-3, end:last chars; "
        "text view: t:title words, w:all words, tc:title char 2-3, dc:desc char 2-3",
        "combiner": dict(zip(COMBINED_VIEWS, (round(float(x), 4) for x in model.weights_),
                             strict=True)),
        "files": {"model.npz": sha256(npz)},
        **extra,
    }  # fmt: skip
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return directory


def load_model(cls: type[JobClassifier], directory: Path) -> JobClassifier:
    manifest = _read_manifest(directory)
    npz = directory / "model.npz"
    if sha256(npz) != manifest["files"].get("model.npz"):
        raise ModelFormatError(
            f"模型文件校验失败 / checksum mismatch for {npz}; retrain with `songgang train`."
        )
    try:
        with np.load(npz, allow_pickle=False) as z:
            arrays = {name: z[name].astype(np.float64) for name in z.files}
        classes = tuple(Category(c) for c in manifest["classes"])
        params = manifest["params"]
        model = cls(float(params["alpha"]), int(params["max_iter"]), int(params["inner_splits"]))
        weights, bias = arrays["weights"], arrays["bias"]
        k = len(classes)
        if weights.shape != (len(COMBINED_VIEWS),) or bias.shape != (len(Category),):
            raise ValueError("combiner arrays of the wrong shape")
        views = {}
        for v in VIEWS:
            cols = arrays[f"{v}_columns"].astype(np.int64)
            coef, idf = arrays[f"{v}_coef"], arrays[f"{v}_idf"]
            intercept = arrays[f"{v}_intercept"]
            if (
                coef.shape != (k, len(cols))
                or idf.shape != (len(cols),)
                or intercept.shape != (k,)
                or (len(cols) and (cols.min() < 0 or cols.max() >= N_FEATURES))
                or not np.all(np.isfinite(coef))
            ):
                raise ValueError(f"inconsistent arrays of the {v} view")
            full_coef, full_idf = np.zeros((k, N_FEATURES)), np.zeros(N_FEATURES)
            full_coef[:, cols], full_idf[cols] = coef, idf
            views[v] = model._view(v)
            views[v].set_state(classes, full_idf, full_coef, intercept)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFormatError(f"无法读取模型 / cannot read model {npz}: {exc}") from exc
    model.views_, model.weights_, model.bias_, model.classes_ = views, weights, bias, classes
    return model


def sha256(path: Path) -> str:
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
