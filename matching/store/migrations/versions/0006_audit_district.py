"""audit district: the district of the caller, next to their role, on every audit row

Revision ID: 0006
Revises: 0005
Create Date: 2024-12-10

A nullable column on audit_log (issue 15: every read and write of a person audited with the
true role and district). NULL for the city admin, the organiser, the command line, and rows
written before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("district", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("district")
