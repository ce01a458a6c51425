"""notifications: the notification centre, e-mail preferences per category, reminders sent

Revision ID: 0016_notifications
Revises: 0015_messages
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_notifications"
down_revision = "0015_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_due", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"])
    op.create_index("ix_notification_digest_due", "notification", ["digest_due"])
    op.create_table(
        "notification_preference",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("category", sa.String(24), primary_key=True),
        sa.Column("delivery", sa.String(16), nullable=False),
    )
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.String(24), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(24), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("subject", "subject_id", "stage", name="uq_reminder_sent"),
    )


def downgrade() -> None:
    op.drop_table("reminder_sent")
    op.drop_table("notification_preference")
    op.drop_index("ix_notification_digest_due", table_name="notification")
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.drop_table("notification")
