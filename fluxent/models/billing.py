"""Billing: each organization's billing profile and contacts, invoices and their lines,
payments (with refunds and disputes) reported by Stripe, and the Stripe events received (a queue until processed).

Money is integer minor units (cents) with an ISO 4217 currency code; a tax rate is in
basis points (825 = 8.25 %). An invoice's number, bill-to details and amounts are fixed when
it is issued (``services.billing.invoices``): a mistake is corrected by voiding and reissuing.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"
    DISPUTE = "dispute"


# Stripe's dispute statuses once a dispute is over; in any other, Stripe holds the money back.
DISPUTE_CLOSED = ("won", "lost", "warning_closed", "charge_refunded")


class BillingProfile(SQLModel, table=True):
    """Who invoices are addressed to, and the organization's Stripe customer once one exists."""

    __tablename__ = "billing_profile"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", unique=True, ondelete="CASCADE")
    billing_email: str = Field(default="", max_length=254)
    legal_name: str = Field(default="", max_length=200)
    address: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tax_id: str = Field(default="", max_length=64)
    stripe_customer_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)


class BillingContact(SQLModel, table=True):
    """A member (not an owner) whom an owner allowed to see and pay the organization's invoices."""

    __tablename__ = "billing_contact"
    __table_args__ = (UniqueConstraint("organization_id", "user_id", name="uq_billing_contact"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = utc_column(default_now=True)


class InvoiceCounter(SQLModel, table=True):
    """The last invoice number given out in a year: numbers are gapless per year."""

    __tablename__ = "billing_invoice_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_number: int = 0


class Invoice(SQLModel, table=True):
    __tablename__ = "billing_invoice"
    __table_args__ = (
        Index("ix_billing_invoice_org_status", "organization_id", "status"),
        # An organization's invoices, newest first (the invoice list).
        Index("ix_billing_invoice_org_created", "organization_id", "created_at", "id"),
        Index("ix_billing_invoice_status_due", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", ondelete="CASCADE")
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id", index=True, ondelete="SET NULL")
    milestone_id: int | None = Field(
        default=None, foreign_key="engagement_milestone.id", index=True, ondelete="SET NULL"
    )
    number: str | None = Field(default=None, max_length=32, unique=True)
    status: InvoiceStatus = Field(default=InvoiceStatus.DRAFT, sa_type=String(16))
    currency: str = Field(max_length=3)
    tax_rate_bp: int = 0
    subtotal_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    tax_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    total_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    amount_paid_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    amount_refunded_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    # True while a dispute of the card payment is open; the latest dispute's details stay after it closes.
    disputed: bool = False
    dispute_status: str = Field(default="", max_length=32)  # Stripe's: needs_response, under_review, won, lost, ...
    dispute_amount_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    dispute_reason: str = Field(default="", max_length=64)
    dispute_evidence_due_at: datetime | None = utc_column(nullable=True)
    memo: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Bill-to details, copied from the billing profile at issue.
    bill_to_name: str = Field(default="", max_length=200)
    bill_to_email: str = Field(default="", max_length=254)
    bill_to_address: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    bill_to_tax_id: str = Field(default="", max_length=64)
    issue_date: date | None = None
    due_date: date | None = None
    # The fiscal (calendar) year the invoice belongs to; retention counts from its end.
    fiscal_year: int | None = None
    stripe_checkout_session_id: str | None = Field(default=None, max_length=255, index=True)
    stripe_payment_intent_id: str | None = Field(default=None, max_length=255, index=True)
    # The last reminder stage sent ("before", "due", "after"), so each goes once.
    reminder_stage: str = Field(default="", max_length=16)
    created_by_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)
    issued_at: datetime | None = utc_column(nullable=True)
    paid_at: datetime | None = utc_column(nullable=True)
    voided_at: datetime | None = utc_column(nullable=True)


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "billing_invoice_line"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="billing_invoice.id", index=True, ondelete="CASCADE")
    position: int = 0
    description: str = Field(max_length=500)
    quantity: int = 1
    unit_amount_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    amount_minor: int = Field(sa_column=Column(BigInteger, nullable=False))


class Payment(SQLModel, table=True):
    """A payment attempt, refund or dispute, as Stripe reported it (one row per Stripe object)."""

    __tablename__ = "billing_payment"
    __table_args__ = (UniqueConstraint("kind", "stripe_id", name="uq_billing_payment_stripe"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="billing_invoice.id", index=True, ondelete="CASCADE")
    kind: PaymentKind = Field(sa_type=String(16))
    stripe_id: str = Field(max_length=255)
    status: str = Field(max_length=32)
    amount_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(max_length=3)
    failure_message: str = Field(default="", max_length=500)
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)


class ReceiptOutbox(SQLModel, table=True):
    """A receipt e-mail to send, written in the transaction that records the payment, so it
    survives the process stopping; ``services.billing.receipts`` sends it and retries."""

    __tablename__ = "billing_receipt_outbox"
    __table_args__ = (Index("ix_billing_receipt_outbox_due", "sent_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="billing_invoice.id", index=True, ondelete="CASCADE")
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = utc_column(default_now=True)
    next_attempt_at: datetime = utc_column(default_now=True)
    # A sender holds the row until then: two senders never send the same receipt at once.
    claimed_until: datetime | None = utc_column(nullable=True)
    sent_at: datetime | None = utc_column(nullable=True)


class StripeEvent(SQLModel, table=True):
    """A Stripe event, stored once per event id when it arrives, then processed from this queue
    (``services.billing.webhook_queue``): a redelivery finds its row and changes nothing.

    Only what processing needs is kept (the type, the object's id, its PaymentIntent id), never
    the body: nothing in a row is about a person.
    """

    __tablename__ = "billing_stripe_event"
    __table_args__ = (Index("ix_billing_stripe_event_pending", "processed_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=255, unique=True)
    type: str = Field(max_length=100)
    received_at: datetime = utc_column(default_now=True, index=True)
    object_id: str | None = Field(default=None, max_length=255)
    payment_intent_id: str | None = Field(default=None, max_length=255)
    # NULL while waiting; events of types billing does not act on are stored processed.
    processed_at: datetime | None = utc_column(nullable=True)
    attempts: int = 0
    next_attempt_at: datetime | None = utc_column(nullable=True)
    # A drainer holds the row until then: two drainers never process the same event at once.
    claimed_until: datetime | None = utc_column(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=100)
    last_error: str = Field(default="", max_length=500)
