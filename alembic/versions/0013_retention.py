"""retention: account archival dates and the lease that lets one process run retention at a time

Revision ID: 0013_retention
Revises: 0012_two_step
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_retention"
down_revision = "0012_two_step"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_user") as batch:
        batch.add_column(sa.Column("archive_notice_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "maintenance_lease",
        sa.Column("job", sa.String(40), primary_key=True),
        sa.Column("holder", sa.String(80), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("maintenance_lease")
    with op.batch_alter_table("account_user") as batch:
        batch.drop_column("archived_at")
        batch.drop_column("archive_notice_sent_at")
