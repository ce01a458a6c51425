"""accounts: users, organizations, memberships, staff profiles

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "account_organization",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        utc("created_at"),
    )
    op.create_index("ix_account_organization_slug", "account_organization", ["slug"], unique=True)

    op.create_table(
        "account_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(128), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        utc("email_verified_at", nullable=True),
        utc("last_login_at", nullable=True),
        utc("erased_at", nullable=True),
        utc("created_at"),
        utc("updated_at"),
        sa.CheckConstraint("role IN ('client', 'staff', 'admin')", name="ck_account_user_role"),
        sa.CheckConstraint("email = lower(email)", name="ck_account_user_email_lower"),
        sa.CheckConstraint("username = lower(username)", name="ck_account_user_username_lower"),
    )
    op.create_index("ix_account_user_email", "account_user", ["email"], unique=True)
    op.create_index("ix_account_user_username", "account_user", ["username"], unique=True)

    op.create_table(
        "account_membership",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "organization_id",
            sa.Integer(),
            sa.ForeignKey("account_organization.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        utc("created_at"),
        sa.UniqueConstraint("user_id", "organization_id", name="uq_membership_user_org"),
        sa.CheckConstraint("role IN ('owner', 'member')", name="ck_account_membership_role"),
    )
    op.create_index("ix_account_membership_user_id", "account_membership", ["user_id"])
    op.create_index("ix_account_membership_organization_id", "account_membership", ["organization_id"])

    op.create_table(
        "account_staff_profile",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("team", sa.String(120), nullable=False),
        sa.Column("listed_on_team_page", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("account_staff_profile")
    op.drop_table("account_membership")
    op.drop_table("account_user")
    op.drop_table("account_organization")
