"""The learner: a LightGBM lambdarank model trained on the push log, and its policy.

Each person's logged pushes of a night form one query group. A push's label is how far along
the funnel it went (:data:`GRADES`: hire 4 > interview 3 > interest 2 > contact 1 > none 0),
read ``horizon_days`` after the push. Most pushes were placed by the engine, a few by
exploration; each push is weighted by ``1 / propensity`` (capped at :data:`MAX_WEIGHT`), so the
rarely shown explored postings count for the many like them that were not shown, and the model
learns what people answer rather than what the engine happened to push. The cap trades a little
bias for much less variance (an explored push with propensity 0.005 would otherwise outweigh
two hundred engine pushes).

The features are :data:`~matching.rank.learned.FEATURES` with the monotone constraints of
:data:`~matching.rank.learned.MONOTONE`. The model is saved as LightGBM's text format (no
pickle) with a JSON sidecar: features, constraints, parameters, training window, figures,
posting history and the SHA-256 of the model file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.learn.policy import Context, FloatArray, Push, top_k
from matching.learn.simulator import OUTCOMES, Response
from matching.rank.learned import (
    FEATURES,
    FORMAT,
    MONOTONE,
    LearnedRanker,
    PostingHistory,
    feature_matrix,
)
from matching.rank.persistence import sha256_of

GRADES = {"none": 0, "contact": 1, "interest": 2, "interview": 3, "hire": 4}
MAX_WEIGHT = 20.0
PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 50,
    "n_estimators": 200,
    "lambdarank_truncation_level": 10,
    "label_gain": [0, 1, 3, 7, 15],
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 1.0,
    "reg_lambda": 1.0,
    "n_jobs": 1,
    "verbose": -1,
}


def grades(responses: Sequence[Response], horizon_days: int | None = None) -> npt.NDArray[np.int64]:
    """The graded label of each push: the furthest funnel stage reached by ``horizon_days``."""
    out = np.zeros(len(responses), np.int64)
    for j, r in enumerate(responses):
        for o in OUTCOMES:
            if r.reached(o, horizon_days):
                out[j] = GRADES[o]
    return out


def posting_history(pushes: Sequence[Push], contacted: npt.ArrayLike) -> PostingHistory:
    """Pushes and contacts per posting of a log."""
    c = np.asarray(contacted, np.float64)
    pushed = Counter(p.posting_id for p in pushes)
    contacts: Counter[str] = Counter()
    for p, hit in zip(pushes, c, strict=True):
        if hit:
            contacts[p.posting_id] += 1
    return PostingHistory(
        pushes=dict(pushed), contacts=dict(contacts), total_pushes=len(pushes),
        contact_rate=float(c.mean()) if c.size else 0.0,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Rows are pushes, sorted by person (one query group each)."""

    x: npt.NDArray[np.float64]
    label: npt.NDArray[np.int64]
    weight: FloatArray
    group: npt.NDArray[np.int64]
    history: PostingHistory


def training_set(
    contexts: Sequence[Context],
    responses: Sequence[Response],
    *,
    horizon_days: int | None = None,
    config: MatchingConfig | None = None,
) -> TrainingSet:
    """Features, graded labels, ``1/propensity`` weights and groups of a push log."""
    config = config or MatchingConfig()
    if not responses:
        raise ValueError("训练需要推送记录 / the push log is empty: nothing to learn from.")
    pushes = [r.push for r in responses]
    label = grades(responses, horizon_days)
    contacted = (label >= GRADES["contact"]).astype(np.float64)
    history = posting_history(pushes, contacted)
    by_person = {c.person_id: c for c in contexts}
    order = sorted(range(len(pushes)), key=lambda j: (pushes[j].person_id, pushes[j].position))
    values = np.stack([by_person[pushes[j].person_id].values[pushes[j].row] for j in order])
    ids = [pushes[j].posting_id for j in order]
    x = feature_matrix(values, ids, history, config, own_contact=contacted[order])
    weight = np.minimum(1.0 / np.array([pushes[j].propensity for j in order]), MAX_WEIGHT)
    counts = Counter(pushes[j].person_id for j in order)
    group = np.array([counts[p] for p in dict.fromkeys(pushes[j].person_id for j in order)])
    return TrainingSet(x, label[order], weight, group, history)


@dataclass(slots=True)
class TrainedModel:
    """A trained model, where it was saved and what its sidecar says."""

    ranker: LearnedRanker
    path: Path
    sidecar: dict[str, Any] = field(default_factory=dict)


def train_ranker(
    contexts: Sequence[Context],
    responses: Sequence[Response],
    out_dir: Path,
    *,
    window: Mapping[str, Any],
    horizon_days: int | None = None,
    seed: int = 0,
    config: MatchingConfig | None = None,
) -> TrainedModel:
    """Train the lambdarank model on a push log and save it in ``out_dir`` with its sidecar.

    Parameters
    ----------
    window : mapping
        What the log is (dates or the simulation), recorded in the sidecar.
    """
    import lightgbm as lgb

    data = training_set(contexts, responses, horizon_days=horizon_days, config=config)
    if data.label.max() == 0:
        raise ValueError(
            "推送记录中没有任何回应 / no push in the log was answered: nothing to learn."
        )
    params = {**PARAMS, "random_state": seed}
    model = lgb.LGBMRanker(monotone_constraints=[MONOTONE[f] for f in FEATURES], **params)
    model.fit(data.x, data.label, sample_weight=data.weight, group=data.group)
    importance = model.booster_.feature_importance(importance_type="gain")
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC)
    tmp = out_dir / f".training-{stamp:%Y%m%dT%H%M%S%f}.txt"
    model.booster_.save_model(str(tmp))
    digest = sha256_of(tmp)
    model_id = f"ltr-{stamp:%Y%m%dT%H%M%S}-{digest[:8]}"
    path = out_dir / f"{model_id}.txt"
    tmp.replace(path)
    sidecar = {
        "format": FORMAT,
        "model_id": model_id,
        "sha256": digest,
        "created_at": stamp.isoformat(timespec="seconds"),
        "features": list(FEATURES),
        "monotone_constraints": [MONOTONE[f] for f in FEATURES],
        "params": params,
        "labels": GRADES,
        "weights": f"1/propensity, capped at {MAX_WEIGHT:g}",
        "horizon_days": horizon_days,
        "window": dict(window),
        "figures": {
            "pushes": int(data.label.size),
            "persons": int(data.group.size),
            "labelled": {g: int((data.label == v).sum()) for g, v in GRADES.items()},
            "gain_importance": {
                f: round(float(v), 3) for f, v in zip(FEATURES, importance, strict=True)
            },  # fmt: skip
        },
        "posting_history": data.history.to_json(),
    }
    path.with_suffix(".json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return TrainedModel(LearnedRanker.load(path), path, sidecar)


class LearnedPolicy:
    """The :class:`~matching.learn.policy.Policy` of a learned ranker: it pushes its top ``k``.

    Scores are cached per person (``prime`` scores many contexts in one call).
    """

    def __init__(self, ranker: LearnedRanker) -> None:
        self.ranker = ranker
        self._scores: dict[tuple[str, tuple[str, ...]], FloatArray] = {}

    def prime(self, contexts: Sequence[Context]) -> LearnedPolicy:
        todo = [c for c in contexts if (c.person_id, c.posting_ids) not in self._scores]
        if todo:
            x = np.concatenate([self.ranker.features(c.values, c.posting_ids) for c in todo])
            scores = self.ranker.predict(x)
            bounds = np.cumsum([0] + [c.size for c in todo])
            for c, lo, hi in zip(todo, bounds[:-1], bounds[1:], strict=True):
                self._scores[c.person_id, c.posting_ids] = scores[lo:hi]
        return self

    def scores(self, context: Context) -> FloatArray:
        key = (context.person_id, context.posting_ids)
        if key not in self._scores:
            self.prime([context])
        return self._scores[key]

    def inclusion(self, context: Context, k: int) -> FloatArray:
        out = np.zeros(context.size)
        out[top_k(self.scores(context), k)] = 1.0
        return out
