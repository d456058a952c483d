"""Training the job classifier: sample weights, cross-validation and ``songgang train``.

:func:`train` cross-validates on the examples of
:mod:`matching.understand.classifier.examples`, fits on all of them, and writes
``models/classifier/`` and ``models/MODEL_CARD.md``. Occupations are folded stratified by
label, real postings stratified and grouped by employer (:func:`assign_folds`); the phrasebook
and the generated sample are always in training.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.understand.classifier.card import model_card
from matching.understand.classifier.examples import Example, build_examples
from matching.understand.classifier.features import hash_texts
from matching.understand.classifier.lexicon import lexicon_only
from matching.understand.classifier.model import CLASSES, JobClassifier
from matching.understand.classifier.predict import combine

__all__ = ["assign_folds", "cross_validate", "sample_weights", "train"]

# Relative weight of one example of each source in the fit (chosen by cross-validation): the
# phrasebook is short and clean, occupation descriptions long and formal.
_SOURCE_WEIGHT = {"occupation": 1.0, "posting": 1.0, "phrase": 2.0, "generated": 0.5}


def sample_weights(examples: Sequence[Example]) -> npt.NDArray[np.float64]:
    """Source weight × a per-class balance so F (two thirds of the postings) cannot swamp the rest."""
    w = np.array([_SOURCE_WEIGHT[e.source] for e in examples])
    labels = np.array([e.label.value for e in examples])
    for lab in set(labels):
        mask = labels == lab
        w[mask] *= (w.sum() / len(set(labels))) / w[mask].sum() if mask.any() else 1.0
    return np.sqrt(w / w.mean())  # square root: balance half-way, keep the priors' signal


def _metrics(proba: npt.NDArray[np.float64], labels: Sequence[Category]) -> dict[str, float | int]:
    from sklearn.metrics import f1_score

    y = np.array([CLASSES.index(c) for c in labels])
    order = np.argsort(-proba, axis=1, kind="stable")
    top1 = order[:, 0]
    present = sorted(set(y.tolist()))
    majority = np.bincount(y).max() / len(y) if len(y) else 0.0
    return {
        "n": len(y),
        "top1": round(float(np.mean(top1 == y)), 4),
        "top3": round(float(np.mean(np.any(order[:, :3] == y[:, None], axis=1))), 4),
        "macro_f1": round(float(f1_score(y, top1, labels=present, average="macro")), 4),
        "majority_baseline": round(float(majority), 4),
    }


def _confusions(
    proba: npt.NDArray[np.float64], labels: Sequence[Category], k: int = 8
) -> list[dict[str, Any]]:
    from collections import Counter

    pairs = Counter(
        (t.value, CLASSES[int(i)].value)
        for t, i in zip(labels, np.argmax(proba, axis=1), strict=True)
        if t is not CLASSES[int(i)]
    )
    return [{"true": t, "predicted": p, "count": n} for (t, p), n in pairs.most_common(k)]


def assign_folds(examples: Sequence[Example], n_splits: int, seed: int) -> npt.NDArray[np.int64]:
    """Fold number per example; -1 = always in training (phrasebook, generated).

    Occupations: stratified by label. Postings: stratified and grouped by employer, so one
    employer's (near-identical) postings never sit on both sides.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    fold = np.full(len(examples), -1)
    for source, splitter in (
        ("occupation", StratifiedKFold(n_splits, shuffle=True, random_state=seed)),
        ("posting", StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed)),
    ):
        idx = np.array([i for i, e in enumerate(examples) if e.source == source])
        if len(idx) == 0:
            continue
        y = [examples[i].label.value for i in idx]
        groups = [examples[i].group for i in idx]
        import warnings

        with warnings.catch_warnings():  # rare classes: fewer members than folds
            warnings.simplefilter("ignore", UserWarning)
            for k, (_, test) in enumerate(splitter.split(idx, y, groups)):
                fold[idx[test]] = k
    return fold


def cross_validate(
    examples: Sequence[Example], *, n_splits: int = 5, seed: int = 0, folds: Sequence[int] = ()
) -> dict[str, Any]:
    """Out-of-fold metrics on occupations and real postings (see :func:`assign_folds`).

    ``folds`` limits the run to some fold numbers (the test suite runs fold 0 only).
    Returns ``{"occupations": …, "postings": …, "postings_model_only": …, "postings_lexicon_only":
    …, "per_fold": […], "confusions_postings": […], "confusions_occupations": […]}``.
    """
    texts = [e.text for e in examples]
    x = hash_texts(texts)
    w = sample_weights(examples)
    fold = assign_folds(examples, n_splits, seed)
    run = sorted(set(folds)) if folds else list(range(n_splits))
    combined = np.zeros((len(examples), len(CLASSES)))
    model_only = np.zeros_like(combined)
    per_fold = []
    for k in run:
        train_rows = np.flatnonzero(fold != k)
        test_rows = np.flatnonzero(fold == k)
        model = JobClassifier().fit_hashed(
            x[train_rows], [examples[i].label for i in train_rows], w[train_rows]
        )
        p = model.proba_hashed(x[test_rows])
        model_only[test_rows] = p
        for r, pr in zip(test_rows, p, strict=True):
            combined[r] = combine(pr, texts[r])[0]
        per_fold.append(
            {
                "fold": k,
                **{
                    src: _metrics(combined[rows], [examples[i].label for i in rows])
                    for src in ("occupation", "posting")
                    if len(rows := test_rows[[examples[i].source == src for i in test_rows]])
                },
            }
        )
    tested = np.isin(fold, run)
    result: dict[str, Any] = {"n_splits": n_splits, "seed": seed, "per_fold": per_fold}
    for src, key in (("occupation", "occupations"), ("posting", "postings")):
        rows = np.flatnonzero(tested & np.array([e.source == src for e in examples]))
        labels = [examples[i].label for i in rows]
        result[key] = _metrics(combined[rows], labels)
        result[f"{key}_model_only"] = _metrics(model_only[rows], labels)
        lex = np.array([lexicon_only(texts[i]) for i in rows])
        result[f"{key}_lexicon_only"] = _metrics(lex, labels)
        result[f"confusions_{key}"] = _confusions(combined[rows], labels)
    return result


def train(shared_dir: Path, out_dir: Path, seed: int = 0) -> dict[str, Any]:
    """Cross-validate, fit on everything, write ``out_dir/classifier/`` and ``out_dir/MODEL_CARD.md``.

    Prints nothing (the CLI prints the returned metrics).

    Parameters
    ----------
    shared_dir : Path
        The shared data folder (``../shared/data``).
    out_dir : Path
        Usually ``models/``.
    seed : int
        Seed of the fold assignment (the fit itself is deterministic).

    Returns
    -------
    dict
        Flat metrics: ``postings_top1``, ``postings_top3``, ``postings_macro_f1``,
        ``occupations_top1``, ``occupations_top3``, counts, and the path of the model.
    """
    import time

    started = time.perf_counter()
    shared_dir, out_dir = Path(shared_dir), Path(out_dir)
    examples = build_examples(shared_dir, seed=seed)
    cv = cross_validate(examples, seed=seed)
    model = JobClassifier().fit(
        [e.text for e in examples], [e.label for e in examples], sample_weights(examples)
    )
    counts = {s: sum(e.source == s for e in examples) for s in _SOURCE_WEIGHT}
    model_dir = model.save(out_dir / "classifier", extra={"training_counts": counts, "seed": seed})
    (model_dir / "metrics.json").write_text(
        json.dumps(cv, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    seconds = round(time.perf_counter() - started, 1)
    (out_dir / "MODEL_CARD.md").write_text(
        model_card(cv, counts, seconds=seconds, seed=seed), encoding="utf-8"
    )
    return {
        "postings_top1": cv["postings"]["top1"],
        "postings_top3": cv["postings"]["top3"],
        "postings_macro_f1": cv["postings"]["macro_f1"],
        "postings_n": cv["postings"]["n"],
        "occupations_top1": cv["occupations"]["top1"],
        "occupations_top3": cv["occupations"]["top3"],
        "occupations_n": cv["occupations"]["n"],
        "training_examples": len(examples),
        "seconds": seconds,
        "model_dir": str(model_dir),
    }
