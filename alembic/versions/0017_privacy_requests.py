"""privacy: rights requests with their clocks, and restrictions of processing

Revision ID: 0017_privacy_requests
Revises: 0016_notifications
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_privacy_requests"
down_revision = "0016_notifications"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "privacy_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("subject_email", sa.String(254), nullable=False),
        sa.Column("subject_name", sa.String(200), nullable=False),
        fk("user_id", "account_user.id", ondelete="SET NULL"),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("child", sa.Boolean(), nullable=False),
        sa.Column("agent_name", sa.String(200), nullable=False),
        sa.Column("agent_email", sa.String(254), nullable=False),
        sa.Column("agent_authority", sa.Text(), nullable=False),
        fk("created_by_id", "account_user.id", ondelete="SET NULL"),
        utc("received_at"),
        utc("requester_verified_at", nullable=True),
        utc("subject_verified_at", nullable=True),
        utc("due_at"),
        utc("extended_at", nullable=True),
        sa.Column("extension_reason", sa.String(1000), nullable=False),
        sa.Column("staff_note", sa.Text(), nullable=False),
        fk("appeal_of_id", "privacy_request.id", ondelete="SET NULL"),
        utc("closed_at", nullable=True),
        sa.Column("outcome", sa.String(24), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        fk("decided_by_id", "account_user.id", ondelete="SET NULL"),
    )
    for column in ("kind", "status", "subject_email", "user_id", "due_at", "appeal_of_id"):
        op.create_index(f"ix_privacy_request_{column}", "privacy_request", [column])

    op.create_table(
        "privacy_restriction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        fk("request_id", "privacy_request.id", ondelete="SET NULL"),
        utc("created_at"),
        utc("lifted_at", nullable=True),
    )
    op.create_index("ix_privacy_restriction_email", "privacy_restriction", ["email"])


def downgrade() -> None:
    op.drop_index("ix_privacy_restriction_email", table_name="privacy_restriction")
    op.drop_table("privacy_restriction")
    for column in ("kind", "status", "subject_email", "user_id", "due_at", "appeal_of_id"):
        op.drop_index(f"ix_privacy_request_{column}", table_name="privacy_request")
    op.drop_table("privacy_request")
