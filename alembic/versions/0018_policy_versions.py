"""policies: announced versions of the legal documents, their notices and acknowledgements

Revision ID: 0018_policy_versions
Revises: 0017_privacy_requests
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_policy_versions"
down_revision = "0017_privacy_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_announcement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document", "version", name="uq_policy_announcement_version"),
    )
    op.create_table(
        "policy_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "announcement_id",
            sa.Integer(),
            sa.ForeignKey("policy_announcement.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("announcement_id", "email", name="uq_policy_notice_recipient"),
    )
    op.create_index("ix_policy_notice_announcement_id", "policy_notice", ["announcement_id"])
    op.create_index("ix_policy_notice_email", "policy_notice", ["email"])
    op.create_table(
        "policy_acknowledgement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "announcement_id",
            sa.Integer(),
            sa.ForeignKey("policy_announcement.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "announcement_id", name="uq_policy_acknowledgement"),
    )
    op.create_index("ix_policy_acknowledgement_user_id", "policy_acknowledgement", ["user_id"])
    op.create_index("ix_policy_acknowledgement_announcement_id", "policy_acknowledgement", ["announcement_id"])


def downgrade() -> None:
    op.drop_table("policy_acknowledgement")
    op.drop_table("policy_notice")
    op.drop_table("policy_announcement")
