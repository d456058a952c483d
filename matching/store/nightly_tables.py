"""Tables of the nightly push lists (issue 4), on the same declarative ``Base`` as tables.py.

Tables::

    nightly_runs   one row per nightly run: date, index version, settings, counts, status,
                   the output folder and the files written there (path, size, SHA-256)
    pushes         one row per posting sent to a person in a run (who was sent what, by which
                   channel, with which reply code, placed by which policy with which propensity);
                   the 14-day rule reads it
    ranker_promotions  the ledger of promotes and rollbacks of the learned ranker
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.tables import Base

RUN_STATUSES = ("running", "succeeded")
CHANNELS = ("message", "call")  # message = SMS + WeChat; call = opted out of messages


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class NightlyRunRow(Base):
    """One nightly run. ``run_key`` identifies the run's inputs, so a restart finds its row."""

    __tablename__ = "nightly_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_key: Mapped[str] = mapped_column(String(64), unique=True)
    run_date: Mapped[dt.date] = mapped_column(Date, index=True)
    index_version: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Absolute output folder, and [{path, size_bytes, sha256}] of the files written there
    # (paths relative to out_dir); both None for runs before revision 0005.
    out_dir: Mapped[str | None] = mapped_column(Text)
    files: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class PushRow(Base):
    """One posting sent to one person in one run."""

    __tablename__ = "pushes"
    __table_args__ = (Index("ix_pushes_person_pushed", "person_id", "pushed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("nightly_runs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), index=True
    )
    pushed_on: Mapped[dt.date] = mapped_column(Date)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    channel: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(8))
    # Revision 0007 (issue 19): the policy that filled the slot ("engine" or "explore"), the
    # exact probability the posting was pushed that night, and the engine's term values.
    placed_by: Mapped[str] = mapped_column(String(8), default="engine", server_default="engine")
    propensity: Mapped[float | None] = mapped_column(Float)
    terms: Mapped[dict[str, float] | None] = mapped_column(JSON)


PROMOTION_ACTIONS = ("promote", "rollback")


class RankerPromotionRow(Base):
    """One promote or rollback of the served ranker; the newest row says what serves.

    ``model_id``/``model_path``/``model_sha256`` are NULL when the row returns to the hand
    weights of ``MatchingConfig``; ``estimate`` holds the counterfactual figures that allowed it.
    """

    __tablename__ = "ranker_promotions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    model_id: Mapped[str | None] = mapped_column(String(64))
    model_path: Mapped[str | None] = mapped_column(Text)
    model_sha256: Mapped[str | None] = mapped_column(String(64))
    estimate: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    by_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now(), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
