"""two-step sign-in: passkeys (WebAuthn credentials: public keys, counters, names)

Revision ID: 0023_passkeys
Revises: 0022_webhook_queue
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_passkeys"
down_revision = "0022_webhook_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_passkey",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("credential_id", sa.String(1400), nullable=False, unique=True),
        sa.Column("public_key", sa.String(2000), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("transports", sa.String(100), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_auth_passkey_user_id", "auth_passkey", ["user_id"])


def downgrade() -> None:
    op.drop_table("auth_passkey")
