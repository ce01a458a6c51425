"""auth: sign-in throttles shared by every worker process

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

One row per throttled key (a scope plus a keyed hash of a login string or an IP
address): failures in the current window and, once past the free allowance, the
time until which further attempts are refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "auth_throttle",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        utc("window_started_at"),
        utc("locked_until", nullable=True),
    )
    op.create_index("ix_auth_throttle_window_started_at", "auth_throttle", ["window_started_at"])


def downgrade() -> None:
    op.drop_table("auth_throttle")
