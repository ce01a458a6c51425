"""Paying an invoice by card on Stripe's hosted Checkout page, and what Stripe reports back.

``start_checkout`` gives the payer a Checkout Session's URL (no card field and no Stripe
script on our pages). Whatever tells us a payment moved (a webhook, reconciliation), the
PaymentIntent is fetched afresh from Stripe and :func:`apply_state` makes the invoice agree
with it: paid only when the intent succeeded for the whole amount in the invoice's currency;
refunds and disputes recorded once each. Applying the same state twice changes nothing,
so redeliveries and events in any order end in the same place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import Conflict, NotFound
from fluxent.models.accounts import Organization, User
from fluxent.models.billing import DISPUTE_CLOSED, BillingProfile, Invoice, InvoiceStatus, Payment, PaymentKind
from fluxent.routes import PORTAL_PAYMENT_CANCELLED, PORTAL_PAYMENT_SUCCESS
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.auth.emails import url
from fluxent.services.billing import access, emails, invoices, stripe_gateway
from fluxent.services.billing.profiles import profile_of
from fluxent.services.billing.stripe_gateway import DisputeState, PaymentState

S = InvoiceStatus
PAYABLE = (S.OPEN, S.UNCOLLECTIBLE)


@dataclass(frozen=True)
class Change:
    invoice_id: int
    number: str | None
    what: str


def start_checkout(*, actor_id: int, invoice_id: int) -> str:
    """The hosted payment page's URL for an open invoice (owners and billing contacts).

    It reads, asks Stripe, then writes briefly in units of its own: no database lock is
    held while Stripe answers.
    """
    with read_scope() as session:
        actor = session.get(User, actor_id)
        invoice = invoices.get_invoice(session, actor=actor, invoice_id=invoice_id)
        access.require_payer(session, actor, invoice.organization_id)
        if invoice.status not in PAYABLE:
            raise Conflict(f"This invoice is {invoice.status}: there is nothing to pay.")
        profile = profile_of(session, invoice.organization_id)
        if profile is None or not profile.billing_email:
            raise Conflict("The organization has no billing e-mail yet: its owners set it on the billing page.")
        name = profile.legal_name or session.get(Organization, invoice.organization_id).name
    api = stripe_gateway.client()
    if invoice.stripe_checkout_session_id:
        previous = stripe_gateway.checkout_session(api, invoice.stripe_checkout_session_id)
        if previous.get("status") == "open" and previous.get("url"):
            return previous["url"]
    customer = customer_for(api, profile, name)
    params = {
        "mode": "payment",
        "customer": customer,
        "client_reference_id": str(invoice.id),
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": invoice.currency.lower(),
                    "unit_amount": invoice.total_minor,
                    "product_data": {"name": f"Fluxent invoice {invoice.number}"},
                },
            }
        ],
        "metadata": {"invoice_id": str(invoice.id), "invoice_number": invoice.number},
        "payment_intent_data": {"metadata": {"invoice_id": str(invoice.id), "invoice_number": invoice.number}},
        "success_url": f"{url(PORTAL_PAYMENT_SUCCESS)}?invoice={invoice.id}",
        "cancel_url": f"{url(PORTAL_PAYMENT_CANCELLED)}?invoice={invoice.id}",
    }
    after = invoice.stripe_checkout_session_id or "none"
    created = stripe_gateway.create_checkout_session(api, params, key=f"invoice-{invoice.id}-checkout-after-{after}")
    with session_scope() as session:
        stored = session.get(BillingProfile, profile.id)
        if stored is not None and not stored.stripe_customer_id:
            stored.stripe_customer_id = customer
        session.execute(
            update(Invoice).where(Invoice.id == invoice.id).values(stripe_checkout_session_id=created["id"])
        )
    return created["url"]


def customer_for(api, profile: BillingProfile, name: str) -> str:
    """The organization's Stripe customer: the stored one, or one created now. The
    Idempotency-Key makes a retried or concurrent first payment create it once."""
    if profile.stripe_customer_id:
        return profile.stripe_customer_id
    return stripe_gateway.create_customer(
        api,
        organization_id=profile.organization_id,
        email=profile.billing_email,
        name=name,
        key=f"organization-{profile.organization_id}-profile-{profile.id}-customer",
    )


def record_bank_transfer(session: Session, *, actor: User, invoice_id: int, clock: Clock = now) -> Invoice:
    """Staff record an open invoice as paid in full by bank transfer (no card involved)."""
    authz.require_staff(actor)
    invoice = session.scalars(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).first()
    if invoice is None:
        raise NotFound("No such invoice.")
    if invoice.status not in PAYABLE:
        raise Conflict(f"This invoice is {invoice.status}: there is nothing to pay.")
    _mark_paid(session, invoice, invoice.total_minor, method="bank_transfer", actor=actor, clock=clock)
    session.add(invoice)
    session.flush()
    return invoice


def _mark_paid(session: Session, invoice: Invoice, amount: int, *, method: str, actor: User | None, clock: Clock):
    invoice.status, invoice.paid_at = S.PAID, clock()
    invoice.amount_paid_minor, invoice.updated_at = amount, invoice.paid_at
    _audit(
        session,
        "billing.invoice_paid",
        invoice,
        clock,
        actor=actor,
        amount_minor=amount,
        currency=invoice.currency,
        method=method,
    )
    emails.payment_received(session, invoice)


def _audit(session: Session, action: str, invoice: Invoice, clock: Clock, *, actor: User | None = None, **meta) -> None:
    trail.record(
        session,
        action,
        actor=actor,
        target=invoice,
        organization=invoice.organization_id,
        meta={"number": invoice.number, **meta},
        clock=clock,
    )


def invoice_for(session: Session, state: PaymentState) -> Invoice | None:
    """The invoice a PaymentIntent pays: by the id we put in its metadata, else by the intent id."""
    statement = select(Invoice).with_for_update()
    if state.invoice_id is not None:
        statement = statement.where(Invoice.id == state.invoice_id)
    else:
        statement = statement.where(Invoice.stripe_payment_intent_id == state.payment_intent_id)
    return session.scalars(statement).first()


def apply_state(session: Session, state: PaymentState, *, clock: Clock = now) -> list[Change]:
    """Make the invoice agree with Stripe's current state of the payment; returns what changed."""
    invoice = invoice_for(session, state)
    if invoice is None:
        return []
    changes: list[Change] = []
    moment = clock()
    if state.charge_id and state.charge_status in ("succeeded", "failed"):
        _record(
            session,
            invoice,
            PaymentKind.PAYMENT,
            state.charge_id,
            state.charge_status,
            state.charge_amount,
            state.failure_message if state.charge_status == "failed" else "",
            moment,
        )
        if state.charge_status == "failed" and invoice.status in PAYABLE:
            changes.append(Change(invoice.id, invoice.number, "payment failed"))
    if _settles(invoice, state) and invoice.status in PAYABLE:
        invoice.stripe_payment_intent_id = state.payment_intent_id
        _mark_paid(session, invoice, state.amount_received, method="card", actor=None, clock=clock)
        changes.append(Change(invoice.id, invoice.number, "paid"))
    for refund_id, status, amount in state.refunds:
        _record(session, invoice, PaymentKind.REFUND, refund_id, status, amount, "", moment)
    refunded = sum(amount for _, status, amount in state.refunds if status in ("succeeded", "pending"))
    if refunded != invoice.amount_refunded_minor:
        full = refunded >= invoice.amount_paid_minor > 0
        _audit(session, "billing.invoice_refunded", invoice, clock, refunded_minor=refunded, full=full)
        invoice.amount_refunded_minor = refunded
        changes.append(Change(invoice.id, invoice.number, "fully refunded" if full else f"refunded {refunded}"))
    for dispute in state.disputes:
        changes.extend(_apply_dispute(session, invoice, dispute, clock, moment))
    if changes:
        invoice.updated_at = moment
    session.add(invoice)
    session.flush()
    return changes


def _apply_dispute(session: Session, invoice: Invoice, dispute: DisputeState, clock: Clock, moment) -> list[Change]:
    """Record the dispute on the invoice: opened (audited, staff told), then won or lost (audited;
    a lost dispute's amount comes off what the ledger counts as paid)."""
    changes = []
    was_closed = invoice.dispute_status in DISPUTE_CLOSED
    if _record(session, invoice, PaymentKind.DISPUTE, dispute.id, dispute.status, dispute.amount, "", moment):
        was_closed = False
        due = dispute.evidence_due_by.isoformat() if dispute.evidence_due_by else None
        _audit(
            session,
            "billing.dispute_opened",
            invoice,
            clock,
            amount_minor=dispute.amount,
            dispute=dispute.id,
            reason=dispute.reason,
            evidence_due_by=due,
        )
        changes.append(Change(invoice.id, invoice.number, "disputed"))
    invoice.dispute_status, invoice.dispute_amount_minor = dispute.status, dispute.amount
    invoice.dispute_reason, invoice.dispute_evidence_due_at = dispute.reason, dispute.evidence_due_by
    closed = dispute.status in DISPUTE_CLOSED
    invoice.disputed = not closed
    if changes:
        emails.dispute_opened(session, invoice)
    if closed and not was_closed:
        outcome = dispute.status if dispute.status in ("won", "lost") else "closed"
        _audit(session, f"billing.dispute_{outcome}", invoice, clock, amount_minor=dispute.amount, dispute=dispute.id)
        changes.append(Change(invoice.id, invoice.number, f"dispute {outcome}"))
        emails.dispute_closed(session, invoice)
    return changes


def _settles(invoice: Invoice, state: PaymentState) -> bool:
    """Only a succeeded intent for the whole amount, in the invoice's currency, pays it."""
    return (
        state.status == "succeeded"
        and state.currency == invoice.currency
        and state.amount_received >= invoice.total_minor
    )


def _record(
    session: Session,
    invoice: Invoice,
    kind: PaymentKind,
    stripe_id: str,
    status: str,
    amount: int,
    failure: str,
    moment,
) -> bool:
    """Insert or update the row of one Stripe object; True when it is new."""
    row = session.scalars(select(Payment).where(Payment.kind == kind, Payment.stripe_id == stripe_id)).first()
    if row is None:
        session.add(
            Payment(
                invoice_id=invoice.id,
                kind=kind,
                stripe_id=stripe_id,
                status=status,
                amount_minor=amount,
                currency=invoice.currency,
                failure_message=failure,
                created_at=moment,
                updated_at=moment,
            )
        )
        return True
    if (row.status, row.amount_minor) != (status, amount):
        row.status, row.amount_minor, row.updated_at = status, amount, moment
        session.add(row)
    return False


def payments_of(session: Session, invoice_id: int) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.id)))
