"""billing: Stripe events are acknowledged at once and processed from a queue

Revision ID: 0022_webhook_queue
Revises: 0021_session_view_as
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0022_webhook_queue"
down_revision = "0021_session_view_as"
branch_labels = None
depends_on = None


def utc(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("billing_stripe_event") as table:
        table.add_column(sa.Column("object_id", sa.String(255), nullable=True))
        table.add_column(sa.Column("payment_intent_id", sa.String(255), nullable=True))
        table.add_column(utc("processed_at"))
        table.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(utc("next_attempt_at"))
        table.add_column(utc("claimed_until"))
        table.add_column(sa.Column("claimed_by", sa.String(100), nullable=True))
        table.add_column(sa.Column("last_error", sa.String(500), nullable=False, server_default=""))
    # Events stored before the queue were handled as they arrived.
    op.execute("UPDATE billing_stripe_event SET processed_at = received_at")
    op.create_index("ix_billing_stripe_event_pending", "billing_stripe_event", ["processed_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_billing_stripe_event_pending", table_name="billing_stripe_event")
    with op.batch_alter_table("billing_stripe_event") as table:
        for column in (
            "last_error",
            "claimed_by",
            "claimed_until",
            "next_attempt_at",
            "attempts",
            "processed_at",
            "payment_intent_id",
            "object_id",
        ):
            table.drop_column(column)
