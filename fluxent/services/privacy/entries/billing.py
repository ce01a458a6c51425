"""Privacy registrations for billing: profiles, billing contacts and invoices (imported from
``privacy.entries``, which holds the registry).

Invoices and payments are tax records: kept 7 years after the end of their fiscal year
(``services.billing.retention``), also after the person's account is erased (legal hold).
What the law does not require goes at erasure: the billing-contact role, and the person's
e-mail as a profile's current billing e-mail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from fluxent.models.accounts import Membership, Organization, OrgRole
from fluxent.models.billing import BillingContact, BillingProfile, Invoice, InvoiceStatus, ReceiptOutbox
from fluxent.services.privacy.policy import BILLING, RETENTION_BILLING, LegalBasis
from fluxent.services.privacy.registry import Anonymize, Delete, ExportContext, Registry, Retain, Section
from fluxent.services.privacy.sections import INTEGER, OPTIONAL_STRING, STRING, closed_object, list_of

LEGAL_HOLD = "Invoices are tax records: US federal and state rules require keeping them 7 years."


def _billing_profiles(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(Organization.name, BillingProfile)
        .join(Organization, Organization.id == BillingProfile.organization_id)
        .where(BillingProfile.billing_email == ctx.user.email)
        .order_by(BillingProfile.id)
    )
    return [
        {
            "organization": name,
            "billing_email": profile.billing_email,
            "legal_name": profile.legal_name,
            "address": profile.address,
            "tax_id": profile.tax_id,
        }
        for name, profile in rows
    ]


BILLING_PROFILES = Section(
    "billing_profiles",
    list_of(
        closed_object(
            {"organization": STRING, "billing_email": STRING, "legal_name": STRING, "address": STRING, "tax_id": STRING}
        )
    ),
    _billing_profiles,
)


def _billing_contact_of(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(Organization.name)
        .join(BillingContact, BillingContact.organization_id == Organization.id)
        .where(BillingContact.user_id == ctx.user.id)
        .order_by(Organization.name)
    )
    return [{"organization": name} for (name,) in rows]


BILLING_CONTACT_OF = Section(
    "billing_contact_of", list_of(closed_object({"organization": STRING})), _billing_contact_of
)


def _invoices(ctx: ExportContext) -> list[dict[str, Any]]:
    """Issued invoices addressed to the person's e-mail, or of organizations they own or pay for."""
    payer_of = select(Membership.organization_id).where(
        Membership.user_id == ctx.user.id, Membership.role == OrgRole.OWNER
    )
    contact_of = select(BillingContact.organization_id).where(BillingContact.user_id == ctx.user.id)
    rows = ctx.session.execute(
        select(Organization.name, Invoice)
        .join(Organization, Organization.id == Invoice.organization_id)
        .where(
            Invoice.status != InvoiceStatus.DRAFT,
            or_(
                Invoice.bill_to_email == ctx.user.email,
                Invoice.organization_id.in_(payer_of),
                Invoice.organization_id.in_(contact_of),
            ),
        )
        .order_by(Invoice.issued_at, Invoice.id)
    )
    return [
        {
            "organization": name,
            "number": invoice.number,
            "status": str(invoice.status),
            "currency": invoice.currency,
            "total_minor": invoice.total_minor,
            "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
            "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
            "bill_to_name": invoice.bill_to_name,
            "bill_to_email": invoice.bill_to_email,
        }
        for name, invoice in rows
    ]


INVOICES = Section(
    "invoices",
    list_of(
        closed_object(
            {
                "organization": STRING,
                "number": STRING,
                "status": STRING,
                "currency": STRING,
                "total_minor": INTEGER,
                "issue_date": OPTIONAL_STRING,
                "due_date": OPTIONAL_STRING,
                "bill_to_name": STRING,
                "bill_to_email": STRING,
            }
        )
    ),
    _invoices,
)


def _receipts(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(Invoice.number, ReceiptOutbox)
        .join(Invoice, Invoice.id == ReceiptOutbox.invoice_id)
        .where(ReceiptOutbox.recipient == ctx.user.email)
        .order_by(ReceiptOutbox.id)
    )
    return [
        {
            "invoice": number,
            "to": row.recipient,
            "subject": row.subject,
            "queued_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for number, row in rows
    ]


RECEIPTS = Section(
    "payment_receipts",
    list_of(
        closed_object(
            {
                "invoice": OPTIONAL_STRING,
                "to": STRING,
                "subject": STRING,
                "queued_at": STRING,
                "sent_at": OPTIONAL_STRING,
            }
        )
    ),
    _receipts,
)


def register_billing(registry: Registry) -> None:
    registry.register(
        table="billing_profile",
        description="Billing details of an organization whose invoices go to your e-mail, and its Stripe customer id",
        personal=("billing_email", "legal_name", "address", "tax_id", "stripe_customer_id"),
        categories=(BILLING,),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=RETENTION_BILLING,
        retention_detail="a profile addressed to your e-mail is emptied when you erase your account (a sole "
        "trader's name and address are personal too); issued invoices keep the details they were issued with",
        export=BILLING_PROFILES,
        erase=Anonymize(
            {"billing_email": "", "legal_name": "", "address": "", "tax_id": "", "stripe_customer_id": None}
        ),
        owner=(),
        owner_email=("billing_email",),
    )
    registry.register(
        table="billing_contact",
        description="Organizations whose invoices you see and pay as a billing contact",
        personal=("user_id",),
        categories=(BILLING,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_BILLING,
        retention_detail="the role ends with your membership or your account",
        export=BILLING_CONTACT_OF,
        erase=Delete(),
    )
    registry.register(
        table="billing_invoice",
        description="Invoices of the organizations you pay for, with the bill-to details they were issued with",
        personal=("bill_to_name", "bill_to_email", "bill_to_address", "bill_to_tax_id", "created_by_id"),
        categories=(BILLING,),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=RETENTION_BILLING,
        retention_detail="kept 7 years after the end of the fiscal year of issue, also after account erasure",
        export=INVOICES,
        erase=Retain(LEGAL_HOLD),
        owner=("created_by_id",),
        owner_email=("bill_to_email",),
    )
    registry.register(
        table="billing_receipt_outbox",
        description="Payment receipts e-mailed to you, as sent (address, subject and text)",
        personal=("recipient", "body_text", "body_html"),
        categories=(BILLING,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_BILLING,
        retention_detail="kept with the invoice they belong to; deleted when you erase your account (the "
        "invoice itself stays under legal hold)",
        export=RECEIPTS,
        erase=Delete(),
        owner=(),
        owner_email=("recipient",),
    )
    registry.exempt(
        table="billing_payment",
        reason="Payments, refunds and disputes hold Stripe object ids and amounts of an organization's "
        "invoice, nothing about a person; they are kept with the invoice as tax records.",
    )
