"""Serving a learned ranker: its features, the model file, the re-ranking and its explanations.

A learned ranker (trained by :mod:`matching.learn.ranker` from the push log) only reorders the
postings that passed every hard filter for a person: the engine still retrieves, filters and
scores them, then :meth:`LearnedRanker.rerank` orders its top ``k · oversample`` by the
model's score and keeps ``k``. Each result keeps an explanation per term: LightGBM's
per-feature contributions (``pred_contrib``) become the terms' contributions, and the engine's
plain-Chinese reasons are listed most helpful term first.

The features (:data:`FEATURES`) are the engine's score terms, whether the posting's category is
one the person ticked, and the posting's history in the training window (its share of the
pushes, its smoothed contact rate). Never gender, age, disability or anything read from the ID
number: the push log holds none of them and no feature is built from them.

Which model serves is the newest row of the ``ranker_promotions`` ledger
(:func:`served_model`); :func:`apply_served_ranker` reads it when an engine is loaded (the API
does so at start-up and on every index refresh).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.exceptions import ModelFormatError
from matching.rank.persistence import sha256_of
from matching.rank.scoring import TERMS, Scored
from matching.schemas import Match, ScoreTerm

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

FEATURES = (*TERMS, "ticked", "posting_share", "posting_contact_rate")
# +1: the score may only rise with the feature; -1: only fall (penalties); 0: free.
MONOTONE = {
    "text": 1, "category": 1, "salary": 1, "location": 1, "freshness": 1, "area": -1,
    "schedule": -1, "ticked": 1, "posting_share": 0, "posting_contact_rate": 0,
}  # fmt: skip
# Which term explains a feature that is not a term itself (its contribution is added there).
PARENT_TERM = {"ticked": "category"}
HISTORY_PRIOR_PUSHES = 20.0  # the contact rate of a posting is shrunk towards the log's rate
FORMAT = "songgang-learned-ranker/1"


@dataclass(frozen=True, slots=True)
class PostingHistory:
    """Pushes and contacts of each posting in a training window (its popularity and record)."""

    pushes: Mapping[str, int] = field(default_factory=dict)
    contacts: Mapping[str, int] = field(default_factory=dict)
    total_pushes: int = 0
    contact_rate: float = 0.0

    def features(
        self, posting_ids: Sequence[str], *, own_contact: npt.ArrayLike | None = None
    ) -> npt.NDArray[np.float64]:
        """(n, 2): pushes per 1 000 pushes of the window, and the smoothed contact rate.

        ``own_contact`` (training only) leaves each push's own outcome out of its posting's
        rate, so the label never leaks into the feature.
        """
        n = len(posting_ids)
        pushes = np.array([self.pushes.get(p, 0) for p in posting_ids], np.float64)
        contacts = np.array([self.contacts.get(p, 0) for p in posting_ids], np.float64)
        if own_contact is not None:
            pushes = np.maximum(pushes - 1.0, 0.0)
            contacts = np.maximum(contacts - np.asarray(own_contact, np.float64), 0.0)
        share = 1000.0 * pushes / self.total_pushes if self.total_pushes else np.zeros(n)
        prior = HISTORY_PRIOR_PUSHES
        rate = (contacts + prior * self.contact_rate) / (pushes + prior)
        return np.column_stack([share, rate]).reshape(n, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "total_pushes": self.total_pushes,
            "contact_rate": self.contact_rate,
            "postings": {p: [n, self.contacts.get(p, 0)] for p, n in sorted(self.pushes.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PostingHistory:
        rows = data.get("postings", {})
        return cls(
            pushes={p: int(v[0]) for p, v in rows.items()},
            contacts={p: int(v[1]) for p, v in rows.items()},
            total_pushes=int(data.get("total_pushes", 0)),
            contact_rate=float(data.get("contact_rate", 0.0)),
        )


def feature_matrix(
    values: npt.NDArray[np.floating[Any]],
    posting_ids: Sequence[str],
    history: PostingHistory,
    config: MatchingConfig,
    *,
    own_contact: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """The :data:`FEATURES` of postings whose term values are ``values`` (rows × TERMS)."""
    v = np.asarray(values, np.float64).reshape(len(posting_ids), len(TERMS))
    ticked = (v[:, TERMS.index("category")] > config.category_inferred + 1e-6).astype(np.float64)
    hist = history.features(posting_ids, own_contact=own_contact)
    return np.column_stack([v, ticked, hist])


class LearnedRanker:
    """A trained LightGBM ranker with its sidecar (features, history, figures).

    Load with :meth:`load`; ``model_id`` and ``sha256`` name the file that serves.
    """

    def __init__(self, booster: Any, sidecar: dict[str, Any], *, path: Path | None = None) -> None:
        if list(sidecar.get("features", [])) != list(FEATURES):
            raise ModelFormatError(
                f"模型特征与本版本不符 / the model's features {sidecar.get('features')} are not "
                f"{list(FEATURES)}: retrain it (songgang learn train)"
            )
        self.booster = booster
        self.sidecar = sidecar
        self.path = path
        self.model_id: str = sidecar.get("model_id", "")
        self.sha256: str = sidecar.get("sha256", "")
        self.history = PostingHistory.from_json(sidecar.get("posting_history", {}))
        self.config = MatchingConfig()

    @classmethod
    def load(cls, path: Path, *, sha256: str | None = None) -> LearnedRanker:
        """Load ``path`` (LightGBM text model) and its ``.json`` sidecar; checks the SHA-256
        the sidecar (and the ledger, when ``sha256`` is given) records."""
        import lightgbm as lgb

        sidecar_path = path.with_suffix(".json")
        try:
            sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFormatError(f"无法读取模型说明 / cannot read {sidecar_path}: {exc}") from exc
        if sidecar.get("format") != FORMAT:
            raise ModelFormatError(f"{sidecar_path}: format {sidecar.get('format')!r} ≠ {FORMAT}")
        digest = sha256_of(path) if path.exists() else "missing"
        for expected in (sidecar.get("sha256"), sha256):
            if expected is not None and digest != expected:
                raise ModelFormatError(
                    f"模型文件校验不符 / {path}: SHA-256 {digest[:12]}… is not the recorded "
                    f"{expected[:12]}… (the file was changed or replaced)"
                )
        return cls(lgb.Booster(model_file=str(path)), sidecar, path=path)

    # -- scoring -----------------------------------------------------------------------------
    def features(self, values: npt.NDArray[Any], posting_ids: Sequence[str]) -> npt.NDArray[Any]:
        return feature_matrix(values, posting_ids, self.history, self.config)

    def predict(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if x.shape[0] == 0:
            return np.zeros(0)
        return np.asarray(self.booster.predict(x, num_threads=1), np.float64)

    def contributions(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(n, len(FEATURES) + 1): each feature's contribution and the bias (last column);
        a row sums to the model's score."""
        if x.shape[0] == 0:
            return np.zeros((0, len(FEATURES) + 1))
        return np.asarray(self.booster.predict(x, pred_contrib=True, num_threads=1), np.float64)

    def rerank(self, scored: Scored, posting_ids: Sequence[str], k: int) -> Scored:
        """The ``k`` best of the engine's ``scored`` rows by the model (ties keep the engine's
        order); ``score`` becomes the model's score."""
        values = np.column_stack([scored.values[t] for t in TERMS])
        ids = [posting_ids[int(r)] for r in scored.rows]
        model = self.predict(self.features(values, ids))
        pick = np.argsort(-model, kind="stable")[:k]
        return replace(
            scored,
            keep=scored.keep[pick],
            values={t: v[pick] for t, v in scored.values.items()},
            score=model[pick].astype(np.float32),
            distance_km=scored.distance_km[pick],
        )

    def term_contributions(
        self, values: npt.NDArray[Any], posting_ids: Sequence[str]
    ) -> list[dict[str, float]]:
        """Each posting's contribution per term (``ticked`` counts under ``category``); the
        posting-history features and the bias stay out (they explain no term)."""
        contrib = self.contributions(self.features(values, posting_ids))
        out = []
        for row in contrib:
            by_term = dict.fromkeys(TERMS, 0.0)
            for name, c in zip(FEATURES, row, strict=False):
                term = PARENT_TERM.get(name, name)
                if term in by_term:
                    by_term[term] += float(c)
            out.append(by_term)
        return out

    def explain(self, matches: Sequence[Match], scored: Scored) -> list[Match]:
        """The engine's matches of ``scored`` with the model's score, its per-term
        contributions and the reasons listed most helpful term first."""
        values = np.column_stack([scored.values[t] for t in TERMS])
        per_term = self.term_contributions(values, [m.posting_id for m in matches])
        out = []
        for m, contrib, score in zip(matches, per_term, scored.score.tolist(), strict=True):
            terms = tuple(_term(t, contrib[t.name]) for t in m.terms)
            reasons = order_reasons(m.reasons, contrib)
            out.append(m.model_copy(update={"score": round(score, 4), "terms": terms,
                                            "reasons": tuple(reasons)}))  # fmt: skip
        return out

    def order_reason_lists(
        self, reasons: Sequence[list[str]], scored: Scored, posting_ids: Sequence[str]
    ) -> list[list[str]]:
        """:meth:`explain` for reason lists only (the nightly lists)."""
        values = np.column_stack([scored.values[t] for t in TERMS])
        ids = [posting_ids[int(r)] for r in scored.rows]
        per_term = self.term_contributions(values, ids)
        return [order_reasons(r, c) for r, c in zip(reasons, per_term, strict=True)]


def _term(term: ScoreTerm, contribution: float) -> ScoreTerm:
    """The term with the model's contribution; ``weight`` is the contribution per unit of the
    term's value (0 where the value is 0), so ``value · weight = contribution`` still holds."""
    weight = contribution / term.value if term.value else 0.0
    return term.model_copy(
        update={"weight": round(weight, 4), "contribution": round(contribution, 4)}
    )


_REASON_TERMS = (
    ("意向类别", "category"), ("岗位类别", "category"), ("与常住地", "location"),
    ("距常住地", "location"), ("工作地点", "location"), ("超出地点要求", "area"),
    ("符合地点要求", "area"), ("班次不符", "schedule"), ("工作时间不符", "schedule"),
    ("与技能/经历相关", "text"), ("今天发布", "freshness"), ("学历要求", ""),
)  # fmt: skip


def reason_term(reason: str) -> str:
    """The score term a reason of :mod:`matching.rank.reasons` explains ("" for none)."""
    for prefix, term in _REASON_TERMS:
        if reason.startswith(prefix):
            return term
    if reason.endswith("天前发布"):
        return "freshness"
    return "salary"  # the pay reason is the only one left: "薪资未注明", "4000-5000元，高于期望…"


def order_reasons(reasons: Sequence[str], contributions: Mapping[str, float]) -> list[str]:
    """The same reasons, the term that helped most first and penalties last (stable)."""
    key = [contributions.get(reason_term(r), 0.0) for r in reasons]
    order = sorted(range(len(reasons)), key=lambda i: -key[i])
    return [reasons[i] for i in order]


# -- the ledger ---------------------------------------------------------------------------------
def served_model(session: Session) -> tuple[str, str] | None:
    """(model path, SHA-256) of the model the newest ``ranker_promotions`` row serves, or None
    for the hand weights of ``MatchingConfig`` (no row, or a row that returned to them)."""
    from sqlalchemy import select

    from matching.store.nightly_tables import RankerPromotionRow

    row = session.scalars(
        select(RankerPromotionRow).order_by(RankerPromotionRow.id.desc()).limit(1)
    ).first()
    if row is None or not row.model_path:
        return None
    return row.model_path, row.model_sha256 or ""


def apply_served_ranker(engine: Any, session: Session) -> LearnedRanker | None:
    """Make ``engine`` serve what the ledger says: the promoted model, or the hand weights.

    Raises ModelFormatError when the promoted file is missing or differs from its SHA-256.
    """
    served = served_model(session)
    ranker = None
    if served is not None:
        path, digest = served
        ranker = LearnedRanker.load(Path(path), sha256=digest or None)
        ranker.config = engine.config_
    engine.set_reranker(ranker)
    return ranker
