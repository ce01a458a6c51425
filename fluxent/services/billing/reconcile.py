"""Reconciliation: re-fetch payments from Stripe, for webhooks that never came.

It asks about every open or uncollectible invoice with a Checkout Session or payment (was it
paid?) and every invoice paid by card in the last ``PAID_LOOKBACK_DAYS`` days (was it refunded
or disputed since?). ``python -m fluxent billing reconcile`` runs it and prints each change.
Stripe is asked outside any transaction; each invoice is then updated in a short write of its own.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.services.billing import payments, stripe_gateway

PAID_LOOKBACK_DAYS = 120


def reconcile(*, clock: Clock = now) -> list[payments.Change]:
    since = clock() - timedelta(days=PAID_LOOKBACK_DAYS)
    with read_scope() as session:
        pending = session.execute(
            select(Invoice.id, Invoice.stripe_checkout_session_id, Invoice.stripe_payment_intent_id)
            .where(
                or_(
                    and_(
                        Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)),
                        Invoice.stripe_checkout_session_id.is_not(None) | Invoice.stripe_payment_intent_id.is_not(None),
                    ),
                    and_(
                        Invoice.status == InvoiceStatus.PAID,
                        Invoice.stripe_payment_intent_id.is_not(None),
                        Invoice.paid_at >= since,
                    ),
                )
            )
            .order_by(Invoice.id)
        ).all()
    if not pending:
        return []
    api = stripe_gateway.client()
    changes: list[payments.Change] = []
    for _invoice_id, checkout_id, intent_id in pending:
        if intent_id:
            state = stripe_gateway.payment_state_of(api, "payment_intent", intent_id)
        else:
            state = stripe_gateway.payment_state_of(api, "checkout.session", checkout_id)
        if state is None:
            continue  # the payer has not paid or tried yet
        with session_scope() as session:
            changes += payments.apply_state(session, state, clock=clock)
    return changes
