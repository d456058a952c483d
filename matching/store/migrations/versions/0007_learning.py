"""learning: how each push was placed, and which learned ranker serves

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Issue 19 (learn from what happened). On ``pushes``: ``placed_by`` (the policy that filled the
slot: ``engine`` or ``explore``), ``propensity`` (the exact probability that this posting was
among the person's pushes that night, under the logging policy) and ``terms`` (the engine's term
values of the pair, {term: value in [0, 1]}), so outcomes can be joined to what was shown and
counterfactual estimates computed. Rows written before this revision have ``placed_by`` =
``engine`` and NULL propensity and terms; the estimators leave them out.

``ranker_promotions`` is the ledger of the served ranking: one row per promote or rollback, with
the model file's SHA-256, who did it and when, and the estimate that allowed it. The newest row
says what serves; no row means the hand weights of ``MatchingConfig``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pushes") as batch:
        batch.add_column(
            sa.Column("placed_by", sa.String(8), nullable=False, server_default="engine")
        )
        batch.add_column(sa.Column("propensity", sa.Float, nullable=True))
        batch.add_column(sa.Column("terms", sa.JSON, nullable=True))
    op.create_table(
        "ranker_promotions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("model_id", sa.String(64), nullable=True),
        sa.Column("model_path", sa.Text, nullable=True),
        sa.Column("model_sha256", sa.String(64), nullable=True),
        sa.Column("estimate", sa.JSON, nullable=True),
        sa.Column("by_key", sa.String(64), nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_ranker_promotions_at", "ranker_promotions", ["at"])


def downgrade() -> None:
    op.drop_index("ix_ranker_promotions_at", table_name="ranker_promotions")
    op.drop_table("ranker_promotions")
    with op.batch_alter_table("pushes") as batch:
        batch.drop_column("terms")
        batch.drop_column("propensity")
        batch.drop_column("placed_by")
