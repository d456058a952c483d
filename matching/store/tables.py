"""The database tables (SQLAlchemy 2 declarative, typed ``Mapped[]``).

One row per person (keyed by ID number) and per posting; lists and small nested records
(wanted categories, work history…) are JSON columns, everything that is filtered or sorted on
has its own column. Portable between SQLite and PostgreSQL: no dialect-specific types.

Tables::

    persons          every field of Person; content_hash detects changes on re-import
    postings         every field of Posting; identity = (source, source_id) or a content
                     fingerprint; dedup_key groups the same job seen twice
    posting_aliases  identities (fingerprints) merged into another posting as duplicates
    import_runs      one row per import: counts and status
    outcomes         what happened after a posting was pushed to a person (next issues)
    audit_log        who read or changed what (next issues)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so later migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OUTCOME_KINDS = ("pushed", "contacted", "interested", "interviewed", "hired", "declined")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class _Stamped:
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )


class PersonRow(_Stamped, Base):
    """A registered unemployed person (附件2). ``residence_*`` is the parsed residential address."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(32))
    education: Mapped[int] = mapped_column(Integer, default=0)
    skills: Mapped[str] = mapped_column(Text, default="")
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    unemployed_since: Mapped[dt.date | None] = mapped_column(Date)
    household_address: Mapped[str] = mapped_column(Text, default="")
    residential_address: Mapped[str] = mapped_column(Text, default="")
    # residence: all NULL when not parsed; residence_city is set whenever it is.
    residence_city: Mapped[str | None] = mapped_column(String(32))
    residence_district: Mapped[str | None] = mapped_column(String(16))
    residence_district_code: Mapped[str | None] = mapped_column(String(6))
    residence_street: Mapped[str | None] = mapped_column(String(64))
    residence_lat: Mapped[float | None] = mapped_column(Float)
    residence_lon: Mapped[float | None] = mapped_column(Float)
    residence_precision: Mapped[str | None] = mapped_column(String(8))
    work_forms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    wanted_categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    expected_pay_text: Mapped[str] = mapped_column(Text, default="")
    # expected pay: all NULL when not parsed; expected_pay_months is set whenever it is.
    expected_pay_min_yuan: Mapped[int | None] = mapped_column(Integer)
    expected_pay_max_yuan: Mapped[int | None] = mapped_column(Integer)
    expected_pay_months: Mapped[int | None] = mapped_column(Integer)
    expected_pay_negotiable: Mapped[bool | None] = mapped_column(Boolean)
    expected_pay_commission: Mapped[bool | None] = mapped_column(Boolean)
    location_requirement: Mapped[str] = mapped_column(Text, default="")
    other_needs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    work_history: Mapped[list[Any]] = mapped_column(JSON, default=list)
    district: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="registered")
    deregistration_reason: Mapped[int | None] = mapped_column(Integer)
    accepts_messages: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))


class PostingRow(_Stamped, Base):
    """A job posting. ``fingerprint`` is its identity (see :mod:`matching.store.postings`)."""

    __tablename__ = "postings"
    __table_args__ = (
        # (source, source_id) identifies a posting, but only when the source gave an id.
        Index(
            "uq_postings_source_source_id",
            "source",
            "source_id",
            unique=True,
            sqlite_where=text("source_id <> ''"),
            postgresql_where=text("source_id <> ''"),
        ),
        Index("ix_postings_valid", "valid_from", "valid_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), default="")
    source_id: Mapped[str] = mapped_column(String(128), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    dedup_key: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicates_merged: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    employer: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    district: Mapped[str | None] = mapped_column(String(16), index=True)
    # location: all NULL when not parsed; location_city is set whenever it is.
    location_city: Mapped[str | None] = mapped_column(String(32))
    location_district: Mapped[str | None] = mapped_column(String(16))
    location_district_code: Mapped[str | None] = mapped_column(String(6))
    location_street: Mapped[str | None] = mapped_column(String(64))
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    location_precision: Mapped[str | None] = mapped_column(String(8))
    salary_text: Mapped[str] = mapped_column(Text, default="")
    # salary: all NULL when not parsed; salary_months is set whenever it is.
    salary_min_yuan: Mapped[int | None] = mapped_column(Integer)
    salary_max_yuan: Mapped[int | None] = mapped_column(Integer)
    salary_months: Mapped[int | None] = mapped_column(Integer)
    salary_negotiable: Mapped[bool | None] = mapped_column(Boolean)
    salary_commission: Mapped[bool | None] = mapped_column(Boolean)
    headcount: Mapped[int | None] = mapped_column(Integer)
    education_min: Mapped[int] = mapped_column(Integer, default=0)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    experience_years: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(2), index=True)
    category_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    category_confidence: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    filled: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))


class PostingAliasRow(Base):
    """An identity that was merged into another posting as a duplicate.

    Remembering it makes a re-import of the same file find the duplicate again instead of
    merging it a second time (so ``duplicates_merged`` does not grow on every import).
    """

    __tablename__ = "posting_aliases"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), index=True
    )


class ImportRunRow(Base):
    """One import of one file. ``status``: ``succeeded`` or ``failed``."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # persons | postings
    file_name: Mapped[str] = mapped_column(Text)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")


class OutcomeRow(Base):
    """What happened after a posting reached a person; ``kind`` is one of OUTCOME_KINDS."""

    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_person_posting", "person_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now()
    )
    by_key: Mapped[str] = mapped_column(String(64), default="")


class AuditLogRow(Base):
    """One access to personal data: who (key, role, district), whose (ID number), where, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_utcnow, server_default=func.now(), index=True
    )
    key_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(16))  # a caseworker's (revision 0006)
    person_id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    endpoint: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
