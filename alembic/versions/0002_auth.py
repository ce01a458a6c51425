"""auth: sessions and one-time tokens (hashed only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def user_fk(*, nullable: bool) -> sa.Column:
    return sa.Column(
        "user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        user_fk(nullable=False),
        sa.Column("ip", sa.String(45), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        utc("created_at"),
        utc("last_seen_at"),
        utc("expires_at"),
        utc("revoked_at", nullable=True),
    )
    op.create_index("ix_auth_session_key_hash", "auth_session", ["key_hash"], unique=True)
    op.create_index("ix_auth_session_user_id", "auth_session", ["user_id"])

    op.create_table(
        "auth_one_time_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        user_fk(nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("account_organization.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("payload", sa.String(4000), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        utc("created_at"),
        utc("expires_at"),
        utc("used_at", nullable=True),
        utc("revoked_at", nullable=True),
    )
    op.create_index("ix_auth_one_time_token_token_hash", "auth_one_time_token", ["token_hash"], unique=True)
    op.create_index("ix_auth_one_time_token_purpose", "auth_one_time_token", ["purpose"])
    op.create_index("ix_auth_one_time_token_user_id", "auth_one_time_token", ["user_id"])
    op.create_index("ix_auth_one_time_token_email", "auth_one_time_token", ["email"])


def downgrade() -> None:
    op.drop_table("auth_one_time_token")
    op.drop_table("auth_session")
