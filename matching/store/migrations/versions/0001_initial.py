"""create persons, postings, import runs, outcomes, audit log

Revision ID: 0001
Revises:
Create Date: 2024-10-21

Everything the first issues need: persons, postings (+ posting_aliases), import_runs,
and, for the next issues, outcomes and audit_log.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("person_id_number", sa.String(length=18), nullable=True),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(
        op.f("ix_audit_log_person_id_number"), "audit_log", ["person_id_number"], unique=False
    )

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("gender", sa.String(length=4), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("education", sa.Integer(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("unemployed_since", sa.Date(), nullable=True),
        sa.Column("household_address", sa.Text(), nullable=False),
        sa.Column("residential_address", sa.Text(), nullable=False),
        sa.Column("residence_city", sa.String(length=32), nullable=True),
        sa.Column("residence_district", sa.String(length=16), nullable=True),
        sa.Column("residence_district_code", sa.String(length=6), nullable=True),
        sa.Column("residence_street", sa.String(length=64), nullable=True),
        sa.Column("residence_lat", sa.Float(), nullable=True),
        sa.Column("residence_lon", sa.Float(), nullable=True),
        sa.Column("residence_precision", sa.String(length=8), nullable=True),
        sa.Column("work_forms", sa.JSON(), nullable=False),
        sa.Column("wanted_categories", sa.JSON(), nullable=False),
        sa.Column("expected_pay_text", sa.Text(), nullable=False),
        sa.Column("expected_pay_min_yuan", sa.Integer(), nullable=True),
        sa.Column("expected_pay_max_yuan", sa.Integer(), nullable=True),
        sa.Column("expected_pay_months", sa.Integer(), nullable=True),
        sa.Column("expected_pay_negotiable", sa.Boolean(), nullable=True),
        sa.Column("expected_pay_commission", sa.Boolean(), nullable=True),
        sa.Column("location_requirement", sa.Text(), nullable=False),
        sa.Column("other_needs", sa.JSON(), nullable=False),
        sa.Column("work_history", sa.JSON(), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deregistration_reason", sa.Integer(), nullable=True),
        sa.Column("accepts_messages", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("id_number", name=op.f("uq_persons_id_number")),
    )
    op.create_index(op.f("ix_persons_district"), "persons", ["district"], unique=False)
    op.create_index(op.f("ix_persons_status"), "persons", ["status"], unique=False)

    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=128), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("dedup_key", sa.String(length=64), nullable=True),
        sa.Column("duplicates_merged", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=True),
        sa.Column("location_city", sa.String(length=32), nullable=True),
        sa.Column("location_district", sa.String(length=16), nullable=True),
        sa.Column("location_district_code", sa.String(length=6), nullable=True),
        sa.Column("location_street", sa.String(length=64), nullable=True),
        sa.Column("location_lat", sa.Float(), nullable=True),
        sa.Column("location_lon", sa.Float(), nullable=True),
        sa.Column("location_precision", sa.String(length=8), nullable=True),
        sa.Column("salary_text", sa.Text(), nullable=False),
        sa.Column("salary_min_yuan", sa.Integer(), nullable=True),
        sa.Column("salary_max_yuan", sa.Integer(), nullable=True),
        sa.Column("salary_months", sa.Integer(), nullable=True),
        sa.Column("salary_negotiable", sa.Boolean(), nullable=True),
        sa.Column("salary_commission", sa.Boolean(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("education_min", sa.Integer(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("experience_years", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=2), nullable=True),
        sa.Column("category_inferred", sa.Boolean(), nullable=False),
        sa.Column("category_confidence", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("filled", sa.Boolean(), nullable=False),
        sa.Column("contact_phone", sa.String(length=32), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_postings_fingerprint")),
    )
    op.create_index(op.f("ix_postings_category"), "postings", ["category"], unique=False)
    op.create_index(op.f("ix_postings_dedup_key"), "postings", ["dedup_key"], unique=False)
    op.create_index(op.f("ix_postings_district"), "postings", ["district"], unique=False)
    op.create_index("ix_postings_valid", "postings", ["valid_from", "valid_until"], unique=False)
    op.create_index(
        "uq_postings_source_source_id",
        "postings",
        ["source", "source_id"],
        unique=True,
        sqlite_where=sa.text("source_id <> ''"),
        postgresql_where=sa.text("source_id <> ''"),
    )

    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("by_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_outcomes_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_outcomes_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    )
    op.create_index(
        "ix_outcomes_person_posting", "outcomes", ["person_id", "posting_id"], unique=False
    )
    op.create_index(op.f("ix_outcomes_posting_id"), "outcomes", ["posting_id"], unique=False)

    op.create_table(
        "posting_aliases",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_posting_aliases_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_posting_aliases")),
    )
    op.create_index(
        op.f("ix_posting_aliases_posting_id"), "posting_aliases", ["posting_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_posting_aliases_posting_id"), table_name="posting_aliases")

    op.drop_table("posting_aliases")
    op.drop_index(op.f("ix_outcomes_posting_id"), table_name="outcomes")
    op.drop_index("ix_outcomes_person_posting", table_name="outcomes")

    op.drop_table("outcomes")
    op.drop_index(
        "uq_postings_source_source_id",
        table_name="postings",
        sqlite_where=sa.text("source_id <> ''"),
        postgresql_where=sa.text("source_id <> ''"),
    )
    op.drop_index("ix_postings_valid", table_name="postings")
    op.drop_index(op.f("ix_postings_district"), table_name="postings")
    op.drop_index(op.f("ix_postings_dedup_key"), table_name="postings")
    op.drop_index(op.f("ix_postings_category"), table_name="postings")

    op.drop_table("postings")
    op.drop_index(op.f("ix_persons_status"), table_name="persons")
    op.drop_index(op.f("ix_persons_district"), table_name="persons")

    op.drop_table("persons")
    op.drop_table("import_runs")
    op.drop_index(op.f("ix_audit_log_person_id_number"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")

    op.drop_table("audit_log")
