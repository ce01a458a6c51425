"""Stripe's webhooks: signed, stored once per event id, acknowledged at once, processed from a queue.

1. The ``Stripe-Signature`` header is checked over the raw body by the stripe library
   (300 s tolerance; any ``v1`` signature made with any configured secret, so secrets rotate).
   A bad or stale signature, or a body that is not an event, is :class:`BadWebhook` (400).
2. :func:`receive` stores the event in one short transaction: a single
   ``INSERT ... ON CONFLICT DO NOTHING`` on the unique event id, so a redelivery, even a
   concurrent one, inserts nothing and is answered as a duplicate. No read, no Stripe request:
   Stripe gets its 2xx in a few milliseconds, as it asks.
3. ``services.billing.webhook_queue`` processes the stored events afterwards: the object
   behind each is fetched afresh from Stripe (never trusted from the body) and
   ``payments.apply_state`` brings the invoice up to date.

Only what processing needs is stored (type, object id, PaymentIntent id); the body, which
may name the payer, is not kept. Events of types billing does not act on are stored as
already processed.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import stripe
from sqlalchemy import literal_column, select
from sqlalchemy.dialects import postgresql, sqlite

from fluxent.core.clock import Clock, now
from fluxent.core.db import after_commit, session_scope
from fluxent.core.errors import DomainError
from fluxent.core.settings import get_settings
from fluxent.models.billing import Invoice, InvoiceStatus, StripeEvent

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


# Set after each intake commit that stored an event to process: the drainer waits on it.
arrived = threading.Event()


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


def receive(payload: bytes, signature: str | None, *, clock: Clock = now) -> Outcome:
    """Verify and store the event for processing; ``duplicate`` when its id was stored before."""
    with _receiving():
        return _receive(payload, signature, clock)


def receiving_now(*, quiet: float) -> bool:
    """Whether this process is taking a delivery in, or finished one less than ``quiet`` seconds
    ago (deliveries of a burst follow each other closely): the drainer gives way to them."""
    return _in_flight[0] > 0 or time.monotonic() - _last_done[0] < quiet


@contextlib.contextmanager
def _receiving() -> Iterator[None]:
    with _in_flight_lock:
        _in_flight[0] += 1
    try:
        yield
    finally:
        with _in_flight_lock:
            _in_flight[0] -= 1
            _last_done[0] = time.monotonic()


_in_flight = [0]
_last_done = [0.0]
_in_flight_lock = threading.Lock()


def _receive(payload: bytes, signature: str | None, clock: Clock) -> Outcome:
    event = verify(payload, signature)
    event_id, event_type = event["id"], event["type"][:100]
    kind = OBJECT_OF_TYPE.get(event_type)
    obj = event["data"]["object"]
    moment = clock()
    row = {
        "event_id": event_id,
        "type": event_type,
        "received_at": moment,
        "object_id": obj["id"][:255] if kind else None,
        "payment_intent_id": (_intent_of(kind, obj) or "")[:255] or None,
        "processed_at": None if kind else moment,
        "attempts": 0,
        "next_attempt_at": moment,
        "last_error": "",
    }
    with session_scope() as session:
        connection = session.connection()
        stored = connection.execute(_insert_once(connection.dialect.name), row).first() is not None
        if stored and kind:
            after_commit(session, arrived.set)
    return Outcome(event_id, duplicate=not stored)


@functools.cache
def _insert_once(dialect_name: str):
    """``INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING 1``, built once per dialect: a
    redelivery, even a concurrent one, inserts nothing and returns no row."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(StripeEvent.__table__).on_conflict_do_nothing(index_elements=["event_id"])
    return statement.returning(literal_column("1"))


def _intent_of(kind: str | None, obj: dict[str, Any]) -> str | None:
    intent = obj["id"] if kind == "payment_intent" else obj.get("payment_intent")
    return intent if isinstance(intent, str) else None


def paid_by(session, intent_id: str | None) -> bool:
    """An invoice is already paid by this PaymentIntent (which recorded its charge when it paid)."""
    if not intent_id:
        return False
    paid = select(Invoice.id).where(Invoice.stripe_payment_intent_id == intent_id, Invoice.status == InvoiceStatus.PAID)
    return session.scalars(paid).first() is not None
