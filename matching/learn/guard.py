"""Guardrails of the learned ranker: promote only a better model, roll back in one step.

The ``ranker_promotions`` ledger is a history of what served. Every row names the model that
serves after it (NULL: the hand weights of ``MatchingConfig``): a promote row the promoted
model, a rollback row the model it went back to. Replaying the rows gives the stack of
promotions still in force (:func:`promotion_stack`): a rollback pops the newest, so two
rollbacks after promoting A then B serve A, then the hand weights.

:func:`promote` writes a promote row only when the candidate's lower confidence bound of the
doubly robust estimate (of the chosen outcome) is above the point estimate of what serves now,
both estimated on the same push log; otherwise it raises :class:`PromotionRefusedError` and
writes nothing. There is no way to force it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matching.exceptions import PromotionRefusedError
from matching.learn.estimators import PolicyEstimate
from matching.learn.offline import LogData, evaluate_policy, policy_named
from matching.learn.ranker import LearnedPolicy
from matching.learn.simulator import Outcome
from matching.rank.learned import LearnedRanker
from matching.store.nightly_tables import RankerPromotionRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Served:
    """One promotion in force: the model's id, file and SHA-256."""

    model_id: str
    model_path: str
    model_sha256: str


def ledger_rows(session: Session) -> list[RankerPromotionRow]:
    """Every row of the ledger, oldest first."""
    from sqlalchemy import select

    return list(session.scalars(select(RankerPromotionRow).order_by(RankerPromotionRow.id)))


def promotion_stack(rows: list[RankerPromotionRow]) -> list[Served]:
    """The promotions still in force after ``rows`` (oldest first); empty = hand weights."""
    stack: list[Served] = []
    for row in rows:
        if row.action == "promote":
            stack.append(Served(row.model_id or "", row.model_path or "", row.model_sha256 or ""))
        elif stack:
            stack.pop()
    return stack


@dataclass(frozen=True, slots=True)
class Decision:
    """The comparison :func:`promote` decides on."""

    outcome: Outcome
    candidate_id: str
    candidate: PolicyEstimate
    current_id: str
    current: PolicyEstimate

    @property
    def accepted(self) -> bool:
        return self.candidate.dr.low > self.current.dr.value

    def to_json(self) -> dict[str, Any]:
        c, s = self.candidate, self.current
        return {
            "outcome": self.outcome,
            "candidate": {"id": self.candidate_id, "dr": c.dr.value, "dr_low": c.dr.low,
                          "dr_high": c.dr.high, "snips": c.snips.value, "ips": c.ips.value,
                          "ess": c.effective_sample_size, "pushes": c.n_pushes},
            "current": {"id": self.current_id, "dr": s.dr.value, "dr_low": s.dr.low,
                        "dr_high": s.dr.high},
        }  # fmt: skip

    def message(self) -> str:
        c, s, o = self.candidate.dr, self.current.dr.value, self.outcome
        if self.accepted:
            return (
                f"已上线 {self.candidate_id}：{o} 双稳健估计下限 {c.low:.4f} 高于现行 "
                f"{self.current_id} 的 {s:.4f} / promoted: the DR lower bound of {o} "
                f"{c.low:.4f} is above the current policy's {s:.4f}"
            )
        return (
            f"拒绝上线 {self.candidate_id}：{o} 双稳健估计下限 {c.low:.4f} 不高于现行 "
            f"{self.current_id} 的估计 {s:.4f}，仍使用现行排序 / refused: the DR lower bound of "
            f"{o} {c.low:.4f} (estimate {c.value:.4f}) is not above the current policy's {s:.4f}"
        )


def judge(
    session: Session,
    log: LogData,
    model_path: Path,
    *,
    outcome: Outcome = "contact",
    k: int | None = None,
    n_boot: int = 500,
) -> tuple[Decision, LearnedRanker]:
    """Estimate the candidate and what serves now on the same log (no write)."""
    ranker = LearnedRanker.load(model_path)
    current_id, current = policy_named("current", session)
    cand = evaluate_policy(log, LearnedPolicy(ranker), k=k, outcomes=[outcome], n_boot=n_boot)
    now = evaluate_policy(log, current, k=k, outcomes=[outcome], n_boot=n_boot)
    return Decision(outcome, ranker.model_id, cand[outcome], current_id, now[outcome]), ranker


def promote(
    session: Session,
    log: LogData,
    model_path: Path,
    *,
    by: str,
    outcome: Outcome = "contact",
    k: int | None = None,
    n_boot: int = 500,
    note: str = "",
) -> Decision:
    """Write a promote row when the candidate's DR lower bound beats what serves.

    Raises
    ------
    PromotionRefusedError
        The candidate is not shown better (nothing is written), or ``by`` is empty.
    """
    if not by.strip():
        raise PromotionRefusedError("请用 --by 写明操作人 / say who promotes (--by NAME)")
    decision, ranker = judge(session, log, model_path, outcome=outcome, k=k, n_boot=n_boot)
    if not decision.accepted:
        raise PromotionRefusedError(decision.message())
    estimate = decision.to_json() | {"log": log.source}
    session.add(RankerPromotionRow(
        action="promote", model_id=ranker.model_id, model_path=str(model_path.resolve()),
        model_sha256=ranker.sha256, estimate=estimate, by_key=by, note=note,
    ))  # fmt: skip
    session.flush()
    return decision


def rollback(session: Session, *, by: str, note: str = "") -> Served | None:
    """Go back one promotion: to the previous promoted model, or to the hand weights.

    Returns what serves afterwards (None: the hand weights).

    Raises
    ------
    PromotionRefusedError
        Nothing is promoted (the hand weights already serve), or ``by`` is empty.
    """
    if not by.strip():
        raise PromotionRefusedError("请用 --by 写明操作人 / say who rolls back (--by NAME)")
    stack = promotion_stack(ledger_rows(session))
    if not stack:
        raise PromotionRefusedError(
            "当前使用的是人工权重，无可回退 / the hand weights already serve: nothing to roll back"
        )
    undone = stack.pop()
    after = stack[-1] if stack else None
    session.add(RankerPromotionRow(
        action="rollback", model_id=after and after.model_id, model_path=after and after.model_path,
        model_sha256=after and after.model_sha256, by_key=by,
        estimate={"rolled_back": undone.model_id}, note=note,
    ))  # fmt: skip
    session.flush()
    return after
