"""nightly files: each run's output folder and the files it wrote there

Revision ID: 0005
Revises: 0003
Create Date: 2024-12-02

Two nullable columns on nightly_runs (issue 7: downloading the nightly lists). Runs recorded
before this revision keep NULL: the service lists them without files.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nightly_runs") as batch:
        batch.add_column(sa.Column("out_dir", sa.Text(), nullable=True))
        batch.add_column(sa.Column("files", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nightly_runs") as batch:
        batch.drop_column("files")
        batch.drop_column("out_dir")
