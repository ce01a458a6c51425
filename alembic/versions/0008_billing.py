"""billing: profiles and contacts, invoices and their lines, payments, handled Stripe events

Revision ID: 0008_billing
Revises: 0007_lead_notes
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_billing"
down_revision = "0007_lead_notes"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = False, unique: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, unique=unique)


def money(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "billing_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE", unique=True),
        sa.Column("billing_email", sa.String(254), nullable=False),
        sa.Column("legal_name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("tax_id", sa.String(64), nullable=False),
        sa.Column("stripe_customer_id", sa.String(255), nullable=True),
        utc("created_at"),
        utc("updated_at"),
    )

    op.create_table(
        "billing_contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("user_id", "account_user.id", ondelete="CASCADE"),
        utc("created_at"),
        sa.UniqueConstraint("organization_id", "user_id", name="uq_billing_contact"),
    )
    op.create_index("ix_billing_contact_organization_id", "billing_contact", ["organization_id"])
    op.create_index("ix_billing_contact_user_id", "billing_contact", ["user_id"])

    op.create_table(
        "billing_invoice_counter",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )

    op.create_table(
        "billing_invoice",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("engagement_id", "engagement.id", ondelete="SET NULL", nullable=True),
        fk("milestone_id", "engagement_milestone.id", ondelete="SET NULL", nullable=True),
        sa.Column("number", sa.String(32), nullable=True, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        money("subtotal_minor"),
        money("tax_minor"),
        money("total_minor"),
        money("amount_paid_minor"),
        money("amount_refunded_minor"),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("bill_to_name", sa.String(200), nullable=False),
        sa.Column("bill_to_email", sa.String(254), nullable=False),
        sa.Column("bill_to_address", sa.Text(), nullable=False),
        sa.Column("bill_to_tax_id", sa.String(64), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("stripe_checkout_session_id", sa.String(255), nullable=True),
        sa.Column("stripe_payment_intent_id", sa.String(255), nullable=True),
        sa.Column("reminder_stage", sa.String(16), nullable=False),
        fk("created_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        utc("created_at"),
        utc("updated_at"),
        utc("issued_at", nullable=True),
        utc("paid_at", nullable=True),
        utc("voided_at", nullable=True),
    )
    op.create_index("ix_billing_invoice_org_status", "billing_invoice", ["organization_id", "status"])
    op.create_index("ix_billing_invoice_org_created", "billing_invoice", ["organization_id", "created_at", "id"])
    op.create_index("ix_billing_invoice_status_due", "billing_invoice", ["status", "due_date"])
    op.create_index("ix_billing_invoice_engagement_id", "billing_invoice", ["engagement_id"])
    op.create_index("ix_billing_invoice_milestone_id", "billing_invoice", ["milestone_id"])
    op.create_index(
        "ix_billing_invoice_stripe_checkout_session_id", "billing_invoice", ["stripe_checkout_session_id"]
    )
    op.create_index("ix_billing_invoice_stripe_payment_intent_id", "billing_invoice", ["stripe_payment_intent_id"])

    op.create_table(
        "billing_invoice_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("invoice_id", "billing_invoice.id", ondelete="CASCADE"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        money("unit_amount_minor"),
        money("amount_minor"),
    )
    op.create_index("ix_billing_invoice_line_invoice_id", "billing_invoice_line", ["invoice_id"])

    op.create_table(
        "billing_payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("invoice_id", "billing_invoice.id", ondelete="CASCADE"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("stripe_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        money("amount_minor"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("failure_message", sa.String(500), nullable=False),
        utc("created_at"),
        utc("updated_at"),
        sa.UniqueConstraint("kind", "stripe_id", name="uq_billing_payment_stripe"),
    )
    op.create_index("ix_billing_payment_invoice_id", "billing_payment", ["invoice_id"])

    op.create_table(
        "billing_stripe_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(255), nullable=False, unique=True),
        sa.Column("type", sa.String(100), nullable=False),
        utc("received_at"),
    )
    op.create_index("ix_billing_stripe_event_received_at", "billing_stripe_event", ["received_at"])


def downgrade() -> None:
    op.drop_table("billing_stripe_event")
    op.drop_table("billing_payment")
    op.drop_table("billing_invoice_line")
    op.drop_table("billing_invoice")
    op.drop_table("billing_invoice_counter")
    op.drop_table("billing_contact")
    op.drop_table("billing_profile")
