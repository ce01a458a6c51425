"""The Stripe API as billing uses it, over HTTP with the stripe library.

``FLUXENT_STRIPE_API_BASE`` points the client at Stripe, or at a stand-in server in tests
and local demos. Every call that creates something sends an ``Idempotency-Key``, so a retried
request (ours or the library's) never creates a second customer or Checkout Session.
Stripe's own failures become :class:`PaymentsUnavailable` with a message for people.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe

from fluxent.core.errors import Conflict
from fluxent.core.settings import get_settings

NOT_CONFIGURED = (
    "Card payments are not configured on this server yet (FLUXENT_STRIPE_SECRET_KEY is not set). "
    "Please pay by bank transfer, or write to support@fluxent.tech."
)


class PaymentsUnavailable(Conflict):
    code = "payments_unavailable"


@dataclass(frozen=True)
class DisputeState:
    """A card issuer's dispute of the payment, as Stripe reports it."""

    id: str
    status: str  # needs_response, under_review, won, lost, warning_* ...
    amount: int
    reason: str
    evidence_due_by: datetime | None


@dataclass(frozen=True)
class PaymentState:
    """What Stripe says now about one PaymentIntent: its status, charge, refunds and disputes."""

    payment_intent_id: str
    status: str
    amount_received: int
    currency: str
    invoice_id: int | None
    charge_id: str | None
    charge_status: str | None
    charge_amount: int
    failure_message: str
    refunds: tuple[tuple[str, str, int], ...]  # (id, status, amount)
    disputes: tuple[DisputeState, ...]


def configured() -> bool:
    return bool(get_settings().stripe_secret_key)


def client() -> stripe.StripeClient:
    settings = get_settings()
    if not settings.stripe_secret_key:
        raise PaymentsUnavailable(NOT_CONFIGURED)
    return _client(settings.stripe_secret_key, settings.stripe_api_base)


@functools.lru_cache(maxsize=4)
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    """One client (and its pool of HTTP connections) per key and address; it holds no data.

    Over httpx rather than the library's default, requests: requests reads the proxy
    variables of the whole environment again on every request (a quarter of the client's CPU
    per Stripe read, measured in ``bench/billing.py``); httpx reads them once, here.
    """
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base},
        http_client=stripe.HTTPXClient(allow_sync_methods=True),
        max_network_retries=2,
    )


def call(action: Callable[[], Any]) -> dict[str, Any]:
    """Run one Stripe request and give its object as plain data; a failure is PaymentsUnavailable."""
    try:
        return action().to_dict()
    except stripe.StripeError as error:
        raise PaymentsUnavailable(
            "The card payment service could not be reached or refused the request; please try again shortly."
        ) from error


def create_customer(api: stripe.StripeClient, *, organization_id: int, email: str, name: str, key: str) -> str:
    customer = call(
        lambda: api.v1.customers.create(
            params={"email": email, "name": name, "metadata": {"organization_id": str(organization_id)}},
            options={"idempotency_key": key},
        )
    )
    return customer["id"]


def create_checkout_session(api: stripe.StripeClient, params: dict[str, Any], *, key: str) -> dict[str, Any]:
    return call(lambda: api.v1.checkout.sessions.create(params=params, options={"idempotency_key": key}))  # type: ignore[arg-type]


def checkout_session(api: stripe.StripeClient, session_id: str) -> dict[str, Any]:
    return call(lambda: api.v1.checkout.sessions.retrieve(session_id))


# What the payment's state needs, expanded into one response: the latest charge, its refunds, its dispute.
INTENT_EXPAND = ("latest_charge.refunds", "latest_charge.dispute")


def payment_state_of(api: stripe.StripeClient, object_type: str, object_id: str) -> PaymentState | None:
    """Stripe's current state of the payment behind a Checkout Session, PaymentIntent, charge,
    dispute or refund, fetched afresh (one request for a session or an intent, two otherwise);
    None when there is no payment behind it yet."""
    if object_type == "checkout.session":
        expand = [f"payment_intent.{path}" for path in INTENT_EXPAND]
        checkout = call(lambda: api.v1.checkout.sessions.retrieve(object_id, params={"expand": expand}))
        intent = checkout.get("payment_intent")
        return _state(intent) if isinstance(intent, dict) else None
    if object_type == "payment_intent":
        intent_id: str | None = object_id
    elif object_type == "charge":
        intent_id = _id(call(lambda: api.v1.charges.retrieve(object_id)).get("payment_intent"))
    elif object_type == "dispute":
        intent_id = _id(call(lambda: api.v1.disputes.retrieve(object_id)).get("payment_intent"))
    elif object_type == "refund":
        intent_id = _id(call(lambda: api.v1.refunds.retrieve(object_id)).get("payment_intent"))
    else:
        return None
    if not intent_id:
        return None
    return _state(call(lambda: api.v1.payment_intents.retrieve(intent_id, params={"expand": list(INTENT_EXPAND)})))


def _state(intent: dict[str, Any]) -> PaymentState:
    charge = intent.get("latest_charge") if isinstance(intent.get("latest_charge"), dict) else {}
    refunds = (charge.get("refunds") or {}).get("data") or []
    dispute = charge.get("dispute") if isinstance(charge.get("dispute"), dict) else None
    error = intent.get("last_payment_error") or {}
    invoice_id = str((intent.get("metadata") or {}).get("invoice_id") or "")
    return PaymentState(
        payment_intent_id=intent["id"],
        status=intent.get("status") or "",
        amount_received=int(intent.get("amount_received") or 0),
        currency=(intent.get("currency") or "").upper(),
        invoice_id=int(invoice_id) if invoice_id.isdigit() else None,
        charge_id=charge.get("id"),
        charge_status=charge.get("status"),
        charge_amount=int(charge.get("amount") or 0),
        failure_message=str(error.get("message") or charge.get("failure_message") or "")[:500],
        refunds=tuple((r["id"], r.get("status") or "", int(r.get("amount") or 0)) for r in refunds),
        disputes=(_dispute(dispute),) if dispute else (),
    )


def _dispute(dispute: dict[str, Any]) -> DisputeState:
    due = (dispute.get("evidence_details") or {}).get("due_by")
    return DisputeState(
        id=dispute["id"],
        status=str(dispute.get("status") or ""),
        amount=int(dispute.get("amount") or 0),
        reason=str(dispute.get("reason") or "")[:64],
        evidence_due_by=datetime.fromtimestamp(int(due), UTC) if isinstance(due, int) else None,
    )


def _id(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.get("id")
