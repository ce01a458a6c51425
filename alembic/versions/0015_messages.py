"""messages: each engagement's conversation and each person's read marker

Revision ID: 0015_messages
Revises: 0014_audit_person_indexes
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_messages"
down_revision = "0014_audit_person_indexes"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "engagement_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        fk("author_id", "account_user.id", ondelete="SET NULL", nullable=True),
        sa.Column("author_is_staff", sa.Boolean(), nullable=False),
        fk("parent_id", "engagement_message.id", ondelete="SET NULL", nullable=True),
        fk("document_id", "document.id", ondelete="SET NULL", nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        utc("created_at"),
    )
    op.create_index("ix_engagement_message_thread", "engagement_message", ["engagement_id", "id"])
    op.create_index("ix_engagement_message_author_id", "engagement_message", ["author_id"])

    op.create_table(
        "engagement_message_read",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        fk("user_id", "account_user.id", ondelete="CASCADE"),
        sa.Column("last_read_message_id", sa.Integer(), nullable=False),
        utc("seen_at"),
        sa.UniqueConstraint("engagement_id", "user_id", name="uq_engagement_message_read"),
    )
    op.create_index("ix_engagement_message_read_user_id", "engagement_message_read", ["user_id"])


def downgrade() -> None:
    op.drop_table("engagement_message_read")
    op.drop_table("engagement_message")
