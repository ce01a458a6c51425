"""Billing e-mails: an invoice issued, a payment received (the receipt), payment reminders.

They go to the organization's owners, its billing contacts and the profile's billing
e-mail (each address once), after the caller's transaction commits. The receipt goes
from the sending thread, so a Stripe webhook is answered without waiting for the mail server.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.billing import BillingContact, Invoice
from fluxent.routes import portal_invoice
from fluxent.services.auth.emails import _deliver, url
from fluxent.services.billing.money import format_money


def recipients(session: Session, invoice: Invoice) -> list[str]:
    owners_and_contacts = session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(
            BillingContact,
            (BillingContact.user_id == Membership.user_id)
            & (BillingContact.organization_id == Membership.organization_id),
        )
        .where(
            Membership.organization_id == invoice.organization_id,
            (Membership.role == OrgRole.OWNER) | (BillingContact.id.is_not(None)),
            User.is_active.is_(True),
            User.erased_at.is_(None),
        )
    )
    found = dict.fromkeys(address.lower() for address in owners_and_contacts)
    if invoice.bill_to_email:
        found.setdefault(invoice.bill_to_email.lower())
    return list(found)


def _send(
    session: Session, invoice: Invoice, subject: str, paragraphs: list[str], label: str, *, in_background=False
) -> int:
    addresses = recipients(session, invoice)
    link = (url(portal_invoice(invoice.id)), label)
    for address in addresses:
        _deliver(address, subject, paragraphs, link=link, session=session, in_background=in_background)
    return len(addresses)


def invoice_issued(session: Session, invoice: Invoice) -> int:
    amount = format_money(invoice.total_minor, invoice.currency)
    return _send(
        session,
        invoice,
        f"Invoice {invoice.number} from Fluxent: {amount}",
        [
            f"Fluxent has issued invoice {invoice.number} for {amount}, due on {invoice.due_date:%B %-d, %Y}.",
            "Open it in the portal to download the PDF or pay by card.",
        ],
        "View and pay the invoice",
    )


def payment_received(session: Session, invoice: Invoice) -> int:
    amount = format_money(invoice.amount_paid_minor, invoice.currency)
    return _send(
        session,
        invoice,
        f"Receipt: invoice {invoice.number} paid",
        [
            f"Thank you: we received {amount} for invoice {invoice.number}.",
            "The invoice in the portal now shows it as paid; keep this e-mail as your receipt.",
        ],
        "View the invoice",
        in_background=True,
    )


REMINDER_WORDING = {
    "before": "is due in 3 days, on {due}",
    "due": "is due today, {due}",
    "after": "was due on {due} and is now 7 days overdue",
}


def payment_reminder(session: Session, invoice: Invoice, stage: str) -> int:
    amount = format_money(invoice.total_minor - invoice.amount_paid_minor, invoice.currency)
    when = REMINDER_WORDING[stage].format(due=f"{invoice.due_date:%B %-d, %Y}")
    subject = f"Reminder: invoice {invoice.number} " + ("is overdue" if stage == "after" else "is due")
    return _send(
        session,
        invoice,
        subject,
        [f"Invoice {invoice.number} for {amount} {when}.", "You can pay it by card in the portal."],
        "Pay the invoice",
    )
