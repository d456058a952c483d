"""campaign: batches handed to districts, contact log, status events

Revision ID: 0004
Revises: 0001
Create Date: 2024-11-20

Tables of matching/store/campaign_tables.py (issue 5).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "campaign_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_campaign_batches_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_batches")),
        sa.UniqueConstraint("person_id", name=op.f("uq_campaign_batches_person_id")),
    )
    op.create_index(op.f("ix_campaign_batches_batch"), "campaign_batches", ["batch"])
    op.create_index(
        "ix_campaign_batches_district_issued", "campaign_batches", ["district", "issued_on"]
    )

    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("caseworker", sa.String(length=50), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_contacts_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index("ix_contacts_person_on", "contacts", ["person_id", "contacted_on"])

    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("employment_form", sa.String(length=8), nullable=True),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("reason_code", sa.Integer(), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("posting_id", sa.Integer(), nullable=True),
        _created_at(),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=64), nullable=True),
        sa.Column("undo_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_status_events_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcomes.id"],
            name=op.f("fk_status_events_outcome_id_outcomes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_events")),
    )
    op.create_index("ix_status_events_person_on", "status_events", ["person_id", "effective_on"])


def downgrade() -> None:
    op.drop_index("ix_status_events_person_on", table_name="status_events")
    op.drop_table("status_events")
    op.drop_index("ix_contacts_person_on", table_name="contacts")
    op.drop_table("contacts")
    op.drop_index("ix_campaign_batches_district_issued", table_name="campaign_batches")
    op.drop_index(op.f("ix_campaign_batches_batch"), table_name="campaign_batches")
    op.drop_table("campaign_batches")
