"""Stripe's webhooks: signed, stored once per event id, acted on from Stripe's current state.

1. The ``Stripe-Signature`` header is checked over the raw body by the stripe library
   (300 s tolerance; any ``v1`` signature made with any configured secret, so secrets rotate).
   A bad or stale signature, or a body that is not an event, is :class:`BadWebhook` (400).
2. An event id already stored is answered at once and changes nothing.
3. The object behind the event is fetched afresh from Stripe (never trusted from the body),
   then, in one short write transaction, the event id is stored (unique: a concurrent
   redelivery fails there and rolls back) and ``payments.apply_state`` brings the invoice
   up to date. No database lock is held while Stripe is asked.

The body's object is never trusted, even with a valid signature: a leaked webhook secret
must not be enough to mark an invoice paid. The one fetch that is skipped is the one that
cannot change anything: a success event of a payment that already paid its invoice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import DomainError
from fluxent.core.settings import get_settings
from fluxent.models.billing import Invoice, InvoiceStatus, StripeEvent
from fluxent.services.billing import payments, stripe_gateway

TOLERANCE_SECONDS = 300
# Event types whose object leads to a payment; any other verified event is stored and ignored.
HANDLED_OBJECTS = {
    "checkout.session": (
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
    ),
    "payment_intent": ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"),
    "charge": ("charge.succeeded", "charge.failed", "charge.refunded", "charge.refund.updated"),
    "dispute": ("charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"),
    "refund": ("refund.created", "refund.updated"),
}
OBJECT_OF_TYPE = {event_type: kind for kind, types in HANDLED_OBJECTS.items() for event_type in types}
# Stripe sends three of these for one card payment. Once one of them has paid the invoice
# (from Stripe's fetched state), the others can teach nothing new: refunds and disputes come
# with events of their own. They are stored without asking Stripe again.
SUCCESS_TYPES = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "payment_intent.succeeded",
    "charge.succeeded",
}


class BadWebhook(DomainError):
    """Not a genuine, fresh Stripe event (answered 400; nothing is stored)."""

    code = "bad_webhook"


@dataclass(frozen=True)
class Outcome:
    event_id: str
    duplicate: bool
    changes: tuple[payments.Change, ...] = ()


def verify(payload: bytes, signature: str | None) -> dict[str, Any]:
    secrets = get_settings().stripe_webhook_secrets
    if not secrets:
        raise BadWebhook("Stripe webhooks are not configured (FLUXENT_STRIPE_WEBHOOK_SECRET).")
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=TOLERANCE_SECONDS)
            break
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            continue
    else:
        raise BadWebhook("The Stripe-Signature header does not match this body, or it is too old.")
    try:
        event = json.loads(payload)
    except ValueError:
        raise BadWebhook("The body is not JSON.") from None
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance((event.get("data") or {}).get("object"), dict)
        and isinstance(event["data"]["object"].get("id"), str)
    ):
        raise BadWebhook("The body is not a Stripe event.")
    return event


def handle(payload: bytes, signature: str | None, *, clock: Clock = now) -> Outcome:
    event = verify(payload, signature)
    event_id, event_type = event["id"], event["type"][:100]
    kind = OBJECT_OF_TYPE.get(event_type)
    with read_scope() as session:
        if _seen(session, event_id):
            return Outcome(event_id, duplicate=True)
        settled = event_type in SUCCESS_TYPES and _paid_by(session, _intent_of(kind, event["data"]["object"]))
    state = None
    if kind is not None and not settled:
        state = stripe_gateway.payment_state_of(stripe_gateway.client(), kind, event["data"]["object"]["id"])
    try:
        with session_scope() as session:
            session.add(StripeEvent(event_id=event_id, type=event_type, received_at=clock()))
            session.flush()
            changes = payments.apply_state(session, state, clock=clock) if state else []
    except IntegrityError:
        return Outcome(event_id, duplicate=True)  # the same event, stored by a concurrent delivery
    return Outcome(event_id, duplicate=False, changes=tuple(changes))


def _intent_of(kind: str | None, obj: dict[str, Any]) -> str | None:
    intent = obj["id"] if kind == "payment_intent" else obj.get("payment_intent")
    return intent if isinstance(intent, str) else None


def _paid_by(session, intent_id: str | None) -> bool:
    """An invoice is already paid by this PaymentIntent (which recorded its charge when it paid)."""
    if not intent_id:
        return False
    paid = select(Invoice.id).where(Invoice.stripe_payment_intent_id == intent_id, Invoice.status == InvoiceStatus.PAID)
    return session.scalars(paid).first() is not None


def _seen(session, event_id: str) -> bool:
    return session.scalars(select(StripeEvent.id).where(StripeEvent.event_id == event_id)).first() is not None
