"""e-signature: envelopes, their signers and the fields each signer fills

Revision ID: 0009_esign
Revises: 0007_lead_notes
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_esign"
down_revision = "0008_billing"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "esign_envelope",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("engagement_id", "engagement.id", ondelete="SET NULL", nullable=True),
        fk("document_id", "document.id", ondelete="RESTRICT"),
        sa.Column("document_version", sa.Integer(), nullable=False),
        text("purpose", 24),
        text("title", 200),
        text("message"),
        text("signing_order", 16),
        text("status", 16),
        sa.Column("page_count", sa.Integer(), nullable=False),
        text("original_sha256", 64),
        text("original_storage_key", 300),
        sa.Column("final_sha256", sa.String(64), nullable=True),
        sa.Column("final_storage_key", sa.String(300), nullable=True),
        sa.Column("final_size", sa.Integer(), nullable=False),
        fk("final_document_id", "document.id", ondelete="SET NULL", nullable=True),
        utc("expires_at"),
        sa.Column("remind_every_days", sa.Integer(), nullable=False),
        utc("last_reminded_at", nullable=True),
        fk("created_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        text("void_reason"),
        utc("created_at"),
        utc("updated_at"),
        utc("sent_at", nullable=True),
        utc("completed_at", nullable=True),
        utc("ended_at", nullable=True),
    )
    op.create_index("ix_esign_envelope_org_status", "esign_envelope", ["organization_id", "status"])
    op.create_index("ix_esign_envelope_engagement_id", "esign_envelope", ["engagement_id"])
    op.create_index("ix_esign_envelope_document_id", "esign_envelope", ["document_id"])
    op.create_index("ix_esign_envelope_final_sha256", "esign_envelope", ["final_sha256"])
    op.create_index("ix_esign_envelope_created_by_id", "esign_envelope", ["created_by_id"])

    op.create_table(
        "esign_signer",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("envelope_id", "esign_envelope.id", ondelete="CASCADE"),
        sa.Column("position", sa.Integer(), nullable=False),
        text("name", 200),
        text("email", 254),
        fk("user_id", "account_user.id", ondelete="SET NULL", nullable=True),
        sa.Column("countersigner", sa.Boolean(), nullable=False),
        text("status", 16),
        sa.Column("link_hash", sa.String(64), nullable=True),
        utc("invited_at", nullable=True),
        utc("viewed_at", nullable=True),
        text("verified_by", 32),
        text("consent_version", 16),
        utc("consented_at", nullable=True),
        text("consent_ip", 45),
        text("consent_user_agent", 300),
        text("signature_kind", 16),
        text("signature_text", 200),
        text("signature_image"),
        utc("signed_at", nullable=True),
        text("signed_ip", 45),
        text("signed_user_agent", 300),
        utc("declined_at", nullable=True),
        text("decline_reason"),
    )
    op.create_index("ix_esign_signer_envelope_id", "esign_signer", ["envelope_id"])
    op.create_index("ix_esign_signer_email", "esign_signer", ["email"])
    op.create_index("ix_esign_signer_user_id", "esign_signer", ["user_id"])
    op.create_index("ix_esign_signer_link_hash", "esign_signer", ["link_hash"], unique=True)

    op.create_table(
        "esign_field",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("envelope_id", "esign_envelope.id", ondelete="CASCADE"),
        fk("signer_id", "esign_signer.id", ondelete="CASCADE"),
        text("kind", 16),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        text("label", 100),
        text("value"),
        utc("filled_at", nullable=True),
    )
    op.create_index("ix_esign_field_envelope_id", "esign_field", ["envelope_id"])
    op.create_index("ix_esign_field_signer_id", "esign_field", ["signer_id"])


def downgrade() -> None:
    op.drop_table("esign_field")
    op.drop_table("esign_signer")
    op.drop_table("esign_envelope")
