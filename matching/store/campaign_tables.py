"""Tables of the campaign workflow (issue 5), on the same declarative ``Base`` as tables.py.

Tables::

    campaign_batches   one row per person handed by the city to a district: batch, district, date
    contacts           the 联系服务记录 of 附件2: date, method, content, caseworker, result, needs
    status_events      employment registrations and deregistrations (and their undo), the
                       history behind ``persons.status``
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.tables import Base

CONTACT_METHODS = ("电话", "短信", "微信", "上门", "其他")
EVENT_KINDS = ("employment", "deregistration")
EMPLOYMENT_FORMS = ("单位就业", "自主创业", "灵活就业", "个体经营")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CampaignBatchRow(Base):
    """A person handed to a district. A person is handed once: ``person_id`` is unique."""

    __tablename__ = "campaign_batches"
    __table_args__ = (Index("ix_campaign_batches_district_issued", "district", "issued_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), unique=True
    )
    district: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )


class ContactRow(Base):
    """One contact attempt; ``reached`` True counts the person as 联系服务."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_person_on", "person_id", "contacted_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    contacted_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(8))
    content: Mapped[str] = mapped_column(Text, default="")
    caseworker: Mapped[str] = mapped_column(String(50), default="")
    reached: Mapped[bool] = mapped_column(Boolean, default=True)
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )


class StatusEventRow(Base):
    """An employment registration or a deregistration; ``undone_at`` set when taken back."""

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_person_on", "person_id", "effective_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # employment | deregistration
    effective_on: Mapped[dt.date] = mapped_column(Date)
    employment_form: Mapped[str | None] = mapped_column(String(8))
    employer: Mapped[str] = mapped_column(Text, default="")
    reason_code: Mapped[int | None] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcomes.id", ondelete="SET NULL"), nullable=True
    )
    posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(64))
    undo_note: Mapped[str | None] = mapped_column(Text)
