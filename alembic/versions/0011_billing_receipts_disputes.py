"""billing: the receipt outbox, and each invoice's dispute (amount, reason, evidence due date, outcome)

Revision ID: 0011_billing_receipts_disputes
Revises: 0010_vault
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_billing_receipts_disputes"
down_revision = "0010_vault"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "billing_receipt_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "invoice_id", sa.Integer(), sa.ForeignKey("billing_invoice.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        utc("created_at"),
        utc("next_attempt_at"),
        utc("claimed_until", nullable=True),
        utc("sent_at", nullable=True),
    )
    op.create_index("ix_billing_receipt_outbox_invoice_id", "billing_receipt_outbox", ["invoice_id"])
    op.create_index("ix_billing_receipt_outbox_due", "billing_receipt_outbox", ["sent_at", "next_attempt_at"])
    with op.batch_alter_table("billing_invoice") as table:
        table.add_column(sa.Column("dispute_status", sa.String(32), nullable=False, server_default=""))
        table.add_column(sa.Column("dispute_amount_minor", sa.BigInteger(), nullable=False, server_default="0"))
        table.add_column(sa.Column("dispute_reason", sa.String(64), nullable=False, server_default=""))
        table.add_column(utc("dispute_evidence_due_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("billing_invoice") as table:
        table.drop_column("dispute_evidence_due_at")
        table.drop_column("dispute_reason")
        table.drop_column("dispute_amount_minor")
        table.drop_column("dispute_status")
    op.drop_table("billing_receipt_outbox")
