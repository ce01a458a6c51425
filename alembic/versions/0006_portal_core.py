"""portal core: engagements, milestones, assigned staff, documents and their versions

Revision ID: 0006_portal_core
Revises: 0005_marketing
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_portal_core"
down_revision = "0005_marketing"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "engagement",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("scope_summary", sa.Text(), nullable=False),
        sa.Column("fixed_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        utc("created_at"),
        utc("updated_at"),
        utc("closed_at", nullable=True),
    )
    op.create_index("ix_engagement_org_status", "engagement", ["organization_id", "status"])

    op.create_table(
        "engagement_staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        fk("user_id", "account_user.id", ondelete="CASCADE"),
        utc("created_at"),
        sa.UniqueConstraint("engagement_id", "user_id", name="uq_engagement_staff"),
    )
    op.create_index("ix_engagement_staff_engagement_id", "engagement_staff", ["engagement_id"])
    op.create_index("ix_engagement_staff_user_id", "engagement_staff", ["user_id"])

    op.create_table(
        "engagement_milestone",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("client_note", sa.Text(), nullable=False),
        utc("submitted_at", nullable=True),
        fk("submitted_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        utc("decided_at", nullable=True),
        fk("decided_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        utc("created_at"),
        utc("updated_at"),
    )
    op.create_index("ix_engagement_milestone_engagement_id", "engagement_milestone", ["engagement_id"])

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("engagement_id", "engagement.id", ondelete="SET NULL", nullable=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        utc("created_at"),
        utc("updated_at"),
        utc("deleted_at", nullable=True),
    )
    op.create_index("ix_document_org_listing", "document", ["organization_id", "deleted_at", "updated_at"])
    op.create_index("ix_document_engagement_id", "document", ["engagement_id"])

    op.create_table(
        "document_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("document_id", "document.id", ondelete="CASCADE"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("storage_key", sa.String(300), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        fk("uploaded_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        sa.Column("uploaded_by_staff", sa.Boolean(), nullable=False),
        utc("created_at"),
        sa.UniqueConstraint("document_id", "version", name="uq_document_version"),
    )
    op.create_index("ix_document_version_document_id", "document_version", ["document_id"])
    op.create_index("ix_document_version_uploaded_by_id", "document_version", ["uploaded_by_id"])


def downgrade() -> None:
    op.drop_table("document_version")
    op.drop_table("document")
    op.drop_table("engagement_milestone")
    op.drop_table("engagement_staff")
    op.drop_table("engagement")
