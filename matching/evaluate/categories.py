"""Category section of the report: cross-validated top-1/top-3/macro-F1 and confusion
matrices of the job classifier on real texts (when ../shared is present) and generated postings,
and the shipped model's top-1 on judged-dev's labelled postings (measured, never trained on).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.schemas import Posting

__all__ = [
    "evaluate_categories",
    "judged_dev_markdown",
]


def evaluate_categories(
    shared: Path | None,
    generated: Sequence[Posting] = (),
    *,
    n_splits: int = 5,
    seed: int = 0,
    max_folds: int | None = None,
) -> dict[str, Any]:
    """Cross-validated top-1/top-3/macro-F1 and confusion matrices of the classifier.

    Occupations (dev labels joined with the 2022 occupation texts) and real 1dagong postings
    (board categories mapped to A–R) are scored out of fold with the classifier module's own
    examples and fold rule (``build_examples``, ``JobClassifier``, ``predict_combined``);
    generated postings are scored with :func:`matching.understand.classifier.classify_job` (the shipped
    model). ``max_folds`` runs only the first folds (quick runs).
    """
    from matching.understand import classifier as clf

    out: dict[str, Any] = {}
    if shared is not None and (shared / "labels").is_dir():
        examples = clf.build_examples(shared, seed=seed)
        fold = clf.assign_folds(examples, n_splits, seed)  # the module's own grouping of folds
        weights = clf.sample_weights(examples)
        texts = [e.text for e in examples]
        preds: dict[int, list[float]] = {}
        for k in range(n_splits if max_folds is None else min(max_folds, n_splits)):
            train = np.flatnonzero(fold != k)
            test = np.flatnonzero(fold == k)
            model = clf.JobClassifier().fit(
                [texts[i] for i in train],
                [examples[i].label for i in train],
                weights[train],
                groups=[examples[i].group for i in train],
            )
            for i, p in zip(
                test, clf.predict_combined(model, [texts[i] for i in test]), strict=True
            ):
                preds[int(i)] = [p.probabilities[c] for c in Category]
        for src, key in (("occupation", "occupations"), ("posting", "postings_1dagong")):
            rows = [i for i in sorted(preds) if examples[i].source == src]
            out[key] = _class_metrics(
                [examples[i].label for i in rows], np.array([preds[i] for i in rows])
            )
    else:
        out["skipped_shared"] = (
            "needs ../shared/data/labels and occupations-2022 (set SONGGANG_SHARED_DATA)"
        )
    if shared is not None and (judged := clf.score_judged(clf.default_model(), shared)):
        out["judged_dev"] = judged
    if generated:
        labelled = [p for p in generated if p.category is not None]
        predictions = [clf.classify_job(p.title, p.description) for p in labelled]
        proba = np.array([[pr.probabilities[c] for c in Category] for pr in predictions])
        out["generated"] = _class_metrics([p.category for p in labelled], proba)  # type: ignore[misc]
    return out


def _class_metrics(labels: Sequence[Category], proba: npt.NDArray[np.float64]) -> dict[str, Any]:
    from sklearn.metrics import confusion_matrix, f1_score

    classes = list(Category)
    if len(labels) == 0:
        return {"n": 0}
    y = np.array([classes.index(c) for c in labels])
    order = np.argsort(-proba, axis=1, kind="stable")
    pred = order[:, 0]
    present = sorted(set(y.tolist()))
    cm = confusion_matrix(y, pred, labels=list(range(len(classes))))
    pairs = [
        {"true": classes[i].value, "predicted": classes[j].value, "count": int(cm[i, j]),
         "share_of_true": round(float(cm[i, j] / cm[i].sum()), 3)}
        for i in range(len(classes)) for j in range(len(classes)) if i != j and cm[i, j] > 0
    ]  # fmt: skip
    pairs.sort(key=lambda d: -d["count"])
    return {
        "n": int(y.size),
        "top1": round(float(np.mean(pred == y)), 4),
        "top3": round(float(np.mean(np.any(order[:, :3] == y[:, None], axis=1))), 4),
        "macro_f1": round(float(f1_score(y, pred, labels=present, average="macro")), 4),
        "confusion": cm.tolist(),
        "classes": [c.value for c in classes],
        "top_confusions": pairs[:10],
    }


def judged_dev_markdown(m: dict[str, Any] | None) -> list[str]:
    """The report's lines for the shipped model on judged-dev: top-1 and a per-category table."""
    if not m:
        return []
    lines = [
        "### judged-dev postings, shipped model (never trained on)",
        "",
        f"n {m['n']}: top-1 {m['top1']:.3f} (title alone {m['title_only_top1']:.3f}; "
        f"majority class {m['majority_baseline']:.3f}), macro-F1 {m['macro_f1']:.3f}.",
        "",
        "| category | n | top-1 |",
        "|---|---|---|",
    ]
    lines += [f"| {c} | {v['n']} | {v['top1']:.3f} |" for c, v in m["per_category"].items()]
    return [*lines, ""]
