"""two-step sign-in: second-step methods (sealed authenticator secrets) and recovery codes

Revision ID: 0012_two_step
Revises: 0011_billing_receipts_disputes
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_two_step"
down_revision = "0011_billing_receipts_disputes"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def user_fk() -> sa.Column:
    return sa.Column("user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "auth_two_step_method",
        sa.Column("id", sa.Integer(), primary_key=True),
        user_fk(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sealed_secret", sa.String(200), nullable=False),
        sa.Column("last_step", sa.Integer(), nullable=False),
        utc("created_at"),
        utc("confirmed_at", nullable=True),
        utc("last_used_at", nullable=True),
        sa.UniqueConstraint("user_id", "kind", name="uq_two_step_user_kind"),
    )
    op.create_index("ix_auth_two_step_method_user_id", "auth_two_step_method", ["user_id"])
    op.create_table(
        "auth_recovery_code",
        sa.Column("id", sa.Integer(), primary_key=True),
        user_fk(),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        utc("created_at"),
        utc("used_at", nullable=True),
    )
    op.create_index("ix_auth_recovery_code_user_id", "auth_recovery_code", ["user_id"])


def downgrade() -> None:
    op.drop_table("auth_recovery_code")
    op.drop_table("auth_two_step_method")
