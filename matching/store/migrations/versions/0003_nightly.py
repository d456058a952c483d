"""nightly: runs and pushes of the nightly push lists

Revision ID: 0003
Revises: 0004
Create Date: 2024-11-28

Tables of matching/store/nightly_tables.py (issue 4). Numbered 0003 but chained after 0004
(the newest revision when it was written).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nightly_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=64), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("index_version", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nightly_runs")),
        sa.UniqueConstraint("run_key", name=op.f("uq_nightly_runs_run_key")),
    )
    op.create_index(op.f("ix_nightly_runs_run_date"), "nightly_runs", ["run_date"])
    op.create_table(
        "pushes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("pushed_on", sa.Date(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["nightly_runs.id"],
            name=op.f("fk_pushes_run_id_nightly_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_pushes_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_pushes_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pushes")),
    )
    op.create_index(op.f("ix_pushes_run_id"), "pushes", ["run_id"])
    op.create_index(op.f("ix_pushes_posting_id"), "pushes", ["posting_id"])
    op.create_index("ix_pushes_person_pushed", "pushes", ["person_id", "pushed_on"])


def downgrade() -> None:
    op.drop_table("pushes")
    op.drop_index(op.f("ix_nightly_runs_run_date"), table_name="nightly_runs")
    op.drop_table("nightly_runs")
