"""marketing: leads, consent records, newsletter subscriptions and suppressions

Revision ID: 0005_marketing
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_marketing"
down_revision = "0004"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "marketing_lead",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("country", sa.String(80), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(1000), nullable=False),
        sa.Column("timeline", sa.String(40), nullable=False),
        sa.Column("budget", sa.String(40), nullable=False),
        utc("created_at"),
        utc("last_activity_at"),
    )
    op.create_index("ix_marketing_lead_status", "marketing_lead", ["status"])
    op.create_index("ix_marketing_lead_email", "marketing_lead", ["email"])
    op.create_index("ix_marketing_lead_last_activity_at", "marketing_lead", ["last_activity_at"])

    op.create_table(
        "marketing_newsletter_subscription",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("confirm_token_hash", sa.String(64), nullable=True, unique=True),
        utc("confirm_expires_at", nullable=True),
        utc("requested_at"),
        utc("confirmed_at", nullable=True),
    )
    op.create_index(
        "ix_marketing_newsletter_subscription_email", "marketing_newsletter_subscription", ["email"], unique=True
    )

    op.create_table(
        "marketing_consent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(32), nullable=False),
        sa.Column("statement", sa.String(1000), nullable=False),
        sa.Column("policy_version", sa.String(20), nullable=False),
        utc("agreed_at"),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("marketing_lead.id", ondelete="CASCADE"), nullable=True),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("marketing_newsletter_subscription.id", ondelete="CASCADE"),
            nullable=True,
        ),
    )
    op.create_index("ix_marketing_consent_email", "marketing_consent", ["email"])

    op.create_table(
        "marketing_newsletter_suppression",
        sa.Column("email_hash", sa.String(64), primary_key=True),
        utc("created_at"),
    )


def downgrade() -> None:
    op.drop_table("marketing_newsletter_suppression")
    op.drop_table("marketing_consent")
    op.drop_table("marketing_newsletter_subscription")
    op.drop_table("marketing_lead")
