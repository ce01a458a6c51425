"""sessions: the organization an administrator views through the API

Revision ID: 0021_session_view_as
Revises: 0020_staff_profiles
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0021_session_view_as"
down_revision = "0020_staff_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_session") as table:
        table.add_column(sa.Column("viewing_as_organization_id", sa.Integer(), nullable=True))
        table.create_foreign_key(
            "fk_auth_session_viewing_as_organization",
            "account_organization",
            ["viewing_as_organization_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("auth_session") as table:
        table.drop_constraint("fk_auth_session_viewing_as_organization", type_="foreignkey")
        table.drop_column("viewing_as_organization_id")
