"""Billing e-mails: an invoice issued, a payment received (the receipt), payment reminders,
and disputes opened or closed (to staff).

They go to the organization's owners, its billing contacts and the profile's billing
e-mail (each address once), after the caller's transaction commits. The receipt is written
to the outbox in the caller's transaction (``receipts``): it survives the process stopping,
and a Stripe webhook is answered without waiting for the mail server.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.billing import BillingContact, Invoice
from fluxent.routes import ADMIN_BILLING, portal_invoice
from fluxent.services.auth.emails import _deliver, compose, url
from fluxent.services.billing import receipts
from fluxent.services.billing.money import format_money
from fluxent.services.marketing.emails import staff_inbox


def billing_people(session: Session, organization_id: int) -> list[User]:
    """The organization's owners and billing contacts: the people who see and pay its invoices."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .outerjoin(
                BillingContact,
                (BillingContact.user_id == Membership.user_id)
                & (BillingContact.organization_id == Membership.organization_id),
            )
            .where(
                Membership.organization_id == organization_id,
                (Membership.role == OrgRole.OWNER) | (BillingContact.id.is_not(None)),
                User.is_active.is_(True),
                User.erased_at.is_(None),
            )
            .order_by(User.id)
        )
    )


def recipients(session: Session, invoice: Invoice) -> list[str]:
    found = dict.fromkeys(person.email.lower() for person in billing_people(session, invoice.organization_id))
    if invoice.bill_to_email:
        found.setdefault(invoice.bill_to_email.lower())
    return list(found)


def _send(
    session: Session, invoice: Invoice, subject: str, paragraphs: list[str], label: str, wanting_mail: list[User]
) -> int:
    """To the invoice's addresses, less those of billing people who chose not to get this e-mail now."""
    muted = {person.email.lower() for person in billing_people(session, invoice.organization_id)}
    muted -= {person.email.lower() for person in wanting_mail}
    addresses = [address for address in recipients(session, invoice) if address not in muted]
    link = (url(portal_invoice(invoice.id)), label)
    for address in addresses:
        _deliver(address, subject, paragraphs, link=link, session=session)
    return len(addresses)


def invoice_issued(session: Session, invoice: Invoice, wanting_mail: list[User]) -> int:
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
        wanting_mail,
    )


def payment_received(session: Session, invoice: Invoice) -> int:
    amount = format_money(invoice.amount_paid_minor, invoice.currency)
    link = (url(portal_invoice(invoice.id)), "View the invoice")
    paragraphs = [
        f"Thank you: we received {amount} for invoice {invoice.number}.",
        "The invoice in the portal now shows it as paid; keep this e-mail as your receipt.",
    ]
    subject = f"Receipt: invoice {invoice.number} paid"
    addresses = recipients(session, invoice)
    receipts.queue(session, invoice.id, [compose(to, subject, paragraphs, link=link) for to in addresses])
    return len(addresses)


REMINDER_WORDING = {
    "before": "is due in 3 days, on {due}",
    "due": "is due today, {due}",
    "after": "was due on {due} and is now 7 days overdue",
}


def payment_reminder(session: Session, invoice: Invoice, stage: str, wanting_mail: list[User]) -> int:
    amount = format_money(invoice.total_minor - invoice.amount_paid_minor, invoice.currency)
    when = REMINDER_WORDING[stage].format(due=f"{invoice.due_date:%B %-d, %Y}")
    subject = f"Reminder: invoice {invoice.number} " + ("is overdue" if stage == "after" else "is due")
    return _send(
        session,
        invoice,
        subject,
        [f"Invoice {invoice.number} for {amount} {when}.", "You can pay it by card in the portal."],
        "Pay the invoice",
        wanting_mail,
    )


DISPUTE_REASONS = {
    "fraudulent": "the cardholder says they did not authorize it",
    "product_not_received": "the cardholder says the service was not delivered",
    "product_unacceptable": "the cardholder says the service was not as described",
    "duplicate": "the cardholder says they were charged twice",
    "subscription_canceled": "the cardholder says they had cancelled",
    "credit_not_processed": "the cardholder says a promised refund never came",
    "unrecognized": "the cardholder does not recognize the charge",
}


def dispute_reason(reason: str) -> str:
    """Stripe's reason code in words for finance staff and clients."""
    return DISPUTE_REASONS.get(reason, reason.replace("_", " ") or "no reason given")


def dispute_opened(session: Session, invoice: Invoice) -> None:
    """Tell staff (the team inbox) at once: evidence is due by a date Stripe sets."""
    amount = format_money(invoice.dispute_amount_minor, invoice.currency)
    due = (
        f"Evidence is due by {invoice.dispute_evidence_due_at:%B %-d, %Y %H:%M} UTC; submit it in the Stripe Dashboard."
        if invoice.dispute_evidence_due_at
        else "Submit evidence in the Stripe Dashboard."
    )
    _deliver(
        staff_inbox(),
        f"Dispute opened: invoice {invoice.number}, {amount}",
        [
            f"The card payment of invoice {invoice.number} ({invoice.bill_to_name}) is disputed for {amount}: "
            f"{dispute_reason(invoice.dispute_reason)}.",
            due,
            "Stripe holds the disputed amount until the dispute closes.",
        ],
        link=(url(ADMIN_BILLING), "Open billing"),
        session=session,
    )


def dispute_closed(session: Session, invoice: Invoice) -> None:
    amount = format_money(invoice.dispute_amount_minor, invoice.currency)
    outcome = {
        "won": f"won: the {amount} stay paid",
        "lost": f"lost: the {amount} went back to the cardholder and are taken off the paid amount",
    }.get(invoice.dispute_status, f"closed ({invoice.dispute_status.replace('_', ' ')})")
    _deliver(
        staff_inbox(),
        f"Dispute {invoice.dispute_status.replace('_', ' ')}: invoice {invoice.number}",
        [f"The dispute of invoice {invoice.number} ({invoice.bill_to_name}) is {outcome}."],
        link=(url(ADMIN_BILLING), "Open billing"),
        session=session,
    )
