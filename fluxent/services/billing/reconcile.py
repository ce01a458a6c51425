"""Reconciliation: re-fetch every open invoice's payment from Stripe, for webhooks that never came.

``python -m fluxent billing reconcile`` runs it and prints each change. Stripe is asked
outside any transaction; each invoice is then updated in a short write of its own.
"""

from __future__ import annotations

from sqlalchemy import select

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.services.billing import payments, stripe_gateway


def reconcile(*, clock: Clock = now) -> list[payments.Change]:
    with read_scope() as session:
        pending = session.execute(
            select(Invoice.id, Invoice.stripe_checkout_session_id, Invoice.stripe_payment_intent_id).where(
                Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)),
                Invoice.stripe_checkout_session_id.is_not(None) | Invoice.stripe_payment_intent_id.is_not(None),
            )
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
