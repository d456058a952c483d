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
from matching.understand.classifier.card import VARIANTS, model_card
from matching.understand.classifier.examples import Example, build_examples, judged_postings
from matching.understand.classifier.features import CLASSES, hash_texts, one_line, split_title
from matching.understand.classifier.lexicon import lexicon_only, lexicon_proba
from matching.understand.classifier.model import COMBINED_VIEWS, JobClassifier

__all__ = [
    "assign_folds",
    "cross_validate",
    "previous_rule",
    "sample_weights",
    "score_judged",
    "train",
]

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
    """top-1, top-3, macro-F1, the majority-class baseline, and calibration (log-loss, ECE)."""
    from sklearn.metrics import f1_score

    y = np.array([CLASSES.index(c) for c in labels])
    if len(y) == 0:
        return {"n": 0}
    order = np.argsort(-proba, axis=1, kind="stable")
    top1 = order[:, 0]
    present = sorted(set(y.tolist()))
    conf = proba[np.arange(len(y)), top1] / proba.sum(axis=1)
    hit = (top1 == y).astype(float)
    bins = np.minimum((conf * 10).astype(int), 9)  # expected calibration error, 10 bins
    ece = sum(abs(hit[bins == b].mean() - conf[bins == b].mean()) * np.mean(bins == b)
              for b in range(10) if np.any(bins == b))  # fmt: skip
    p_true = np.clip(proba[np.arange(len(y)), y] / proba.sum(axis=1), 1e-6, 1)
    return {
        "n": len(y),
        "top1": round(float(np.mean(top1 == y)), 4),
        "top3": round(float(np.mean(np.any(order[:, :3] == y[:, None], axis=1))), 4),
        "macro_f1": round(float(f1_score(y, top1, labels=present, average="macro")), 4),
        "majority_baseline": round(float(np.bincount(y).max() / len(y)), 4),
        "log_loss": round(float(-np.mean(np.log(p_true))), 4),
        "ece": round(float(ece), 4),
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


# The previous design, measured next to the new one: the text view alone, averaged half and half
# with the lexicon when its top probability is below 0.65.
_PREVIOUS_THRESHOLD, _PREVIOUS_LEXICON_WEIGHT = 0.65, 0.5


def previous_rule(p_text: npt.NDArray[np.float64], text: str) -> npt.NDArray[np.float64]:
    """The previous model's distribution from its text-view probabilities (for comparison)."""
    if p_text.max() >= _PREVIOUS_THRESHOLD or (p_lex := lexicon_proba(text)) is None:
        return p_text
    return (1 - _PREVIOUS_LEXICON_WEIGHT) * p_text + _PREVIOUS_LEXICON_WEIGHT * p_lex


# variants scored in the same cross-validation: key suffix → what the card calls it


def _oof(model: JobClassifier, texts: list[str]) -> dict[str, npt.NDArray[np.float64]]:
    """Each variant's distributions for ``texts`` from a fitted ``model``."""
    titles = [f"{split_title(t)[0]}\n" for t in texts]
    prev = model.views_["text"]
    return {
        "": model.predict_proba(texts),
        "_title_only": model.predict_proba(titles),
        "_previous": np.array([previous_rule(p, t) for p, t in
                               zip(prev.proba_hashed(hash_texts(texts)), texts, strict=True)]),
        "_previous_title_only": np.array([previous_rule(p, t) for p, t in
                                          zip(prev.proba_hashed(hash_texts(titles)), titles,
                                              strict=True)]),
        "_lexicon_only": np.array([lexicon_only(t) for t in texts]),
    }  # fmt: skip


def cross_validate(
    examples: Sequence[Example], *, n_splits: int = 5, seed: int = 0, folds: Sequence[int] = ()
) -> dict[str, Any]:
    """Out-of-fold metrics on occupations and real postings (see :func:`assign_folds`).

    ``folds`` limits the run to some fold numbers (the test suite runs fold 0 only).
    Returns ``{"occupations": …, "postings": …}`` for the new model and the same keys with
    each suffix of :data:`VARIANTS` (title alone, the previous model, …), plus ``"per_fold"``,
    ``"confusions_postings"``, ``"confusions_occupations"`` and ``"combiner"`` (the weights of
    each fold's model).
    """
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    groups = [e.group for e in examples]
    w = sample_weights(examples)
    fold = assign_folds(examples, n_splits, seed)
    run = sorted(set(folds)) if folds else list(range(n_splits))
    pooled = {v: np.zeros((len(examples), len(CLASSES))) for v in VARIANTS}
    per_fold, weights = [], []
    for k in run:
        train_rows = np.flatnonzero(fold != k)
        test_rows = np.flatnonzero(fold == k)
        model = JobClassifier().fit(
            [texts[i] for i in train_rows],
            [labels[i] for i in train_rows],
            w[train_rows],
            groups=[groups[i] for i in train_rows],
        )
        weights.append(dict(zip(COMBINED_VIEWS, model.weights_.round(3).tolist(), strict=True)))
        for v, p in _oof(model, [texts[i] for i in test_rows]).items():
            pooled[v][test_rows] = p
        per_fold.append(
            {
                "fold": k,
                **{
                    src: _metrics(pooled[""][rows], [labels[i] for i in rows])
                    for src in ("occupation", "posting")
                    if len(rows := test_rows[[examples[i].source == src for i in test_rows]])
                },
            }
        )
    tested = np.isin(fold, run)
    result: dict[str, Any] = {
        "n_splits": n_splits, "seed": seed, "per_fold": per_fold, "combiner": weights,
    }  # fmt: skip
    for src, key in (("occupation", "occupations"), ("posting", "postings")):
        rows = np.flatnonzero(tested & np.array([e.source == src for e in examples]))
        for v in VARIANTS:
            result[f"{key}{v}"] = _metrics(pooled[v][rows], [labels[i] for i in rows])
        if src == "posting":  # the board's own labels, uncorrected (see examples._read_postings)
            board = [examples[i].board or labels[i] for i in rows]
            for v in ("", "_previous", "_title_only", "_previous_title_only"):
                result[f"postings_board{v}"] = _metrics(pooled[v][rows], board)
        result[f"confusions_{key}"] = _confusions(pooled[""][rows], [labels[i] for i in rows])
    return result


def score_judged(model: JobClassifier | None, shared_dir: Path) -> dict[str, Any] | None:
    """Top-1 (title + description, and title alone), macro-F1, the majority baseline and a
    per-category top-1 of ``model`` on judged-dev's labelled postings; None when absent."""
    from matching.understand.classifier.predict import predict_combined

    rows = judged_postings(Path(shared_dir))
    if not rows:
        return None
    texts = [f"{one_line(r['title'])}\n{one_line(r.get('description', ''))}" for r in rows]
    labels = [Category(r["category"]) for r in rows]
    full = np.array([[p.probabilities[c] for c in CLASSES] for p in predict_combined(model, texts)])
    titles = [f"{one_line(r['title'])}\n" for r in rows]
    alone = np.array(
        [[p.probabilities[c] for c in CLASSES] for p in predict_combined(model, titles)]
    )
    hit = np.argmax(full, axis=1) == np.array([CLASSES.index(c) for c in labels])
    per_category = {
        c.value: {"n": int(mask.sum()), "top1": round(float(hit[mask].mean()), 4)}
        for c in CLASSES
        if (mask := np.array([lab is c for lab in labels])).any()
    }
    return {
        **_metrics(full, labels),
        "title_only_top1": _metrics(alone, labels)["top1"],
        "per_category": per_category,
        "misses": [
            {"id": r.get("id", ""), "title": r["title"], "expected": lab.value,
             "got": CLASSES[int(np.argmax(p))].value}
            for r, lab, p, h in zip(rows, labels, full, hit, strict=True) if not h
        ],
    }  # fmt: skip


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
        [e.text for e in examples],
        [e.label for e in examples],
        sample_weights(examples),
        groups=[e.group for e in examples],
    )
    counts = {s: sum(e.source == s for e in examples) for s in _SOURCE_WEIGHT}
    model_dir = model.save(out_dir / "classifier", extra={"training_counts": counts, "seed": seed})
    (model_dir / "metrics.json").write_text(
        json.dumps(cv, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    seconds = round(time.perf_counter() - started, 1)
    judged = score_judged(model, shared_dir)
    weights = dict(zip(COMBINED_VIEWS, model.weights_.round(3).tolist(), strict=True))
    (out_dir / "MODEL_CARD.md").write_text(
        model_card(cv, counts, seconds=seconds, seed=seed, weights=weights, judged=judged),
        encoding="utf-8",
    )
    return {
        "postings_top1": cv["postings"]["top1"],
        "postings_top3": cv["postings"]["top3"],
        "postings_macro_f1": cv["postings"]["macro_f1"],
        "postings_n": cv["postings"]["n"],
        "occupations_top1": cv["occupations"]["top1"],
        "occupations_top3": cv["occupations"]["top3"],
        "occupations_n": cv["occupations"]["n"],
        "postings_board_top1": cv["postings_board"]["top1"],
        "postings_previous_top1": cv["postings_previous"]["top1"],
        "postings_previous_title_only_top1": cv["postings_previous_title_only"]["top1"],
        "judged_dev_top1": judged["top1"] if judged else None,
        "training_examples": len(examples),
        "seconds": seconds,
        "model_dir": str(model_dir),
    }
