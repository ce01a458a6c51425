"""staff profiles: a short bio, links and a photo for the Team page

Revision ID: 0020_staff_profiles
Revises: 0019_milestone_details
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_staff_profiles"
down_revision = "0019_milestone_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_staff_profile") as table:
        table.add_column(sa.Column("bio", sa.String(400), nullable=False, server_default=""))
        table.add_column(sa.Column("links", sa.String(1000), nullable=False, server_default=""))
        table.add_column(sa.Column("photo_key", sa.String(200), nullable=True))
        table.add_column(sa.Column("photo_updated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account_staff_profile") as table:
        table.drop_column("photo_updated_at")
        table.drop_column("photo_key")
        table.drop_column("links")
        table.drop_column("bio")
