"""Billing test data built through the services (an accepted milestone, a billing profile, a
drafted and an issued invoice of the portal ``world``), the Stripe stand-in fixture, and
webhook deliveries signed as Stripe signs them."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import stripe
from fastapi.testclient import TestClient
from sqlmodel import Session

from fluxent.core.settings import reset_settings
from fluxent.models.billing import Invoice
from fluxent.services.billing import invoices, webhook_queue
from fluxent.services.billing.profiles import ProfileInput, update_profile
from fluxent.services.portal import milestones
from tests.support.processes import free_port
from tests.support.stripe_standin import StripeStandIn

BILLING_EMAIL = "ap@northwind.test"


def accept_first_milestone(session: Session, world) -> None:
    milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
    )


def save_profile(session: Session, world, *, contacts: tuple[int, ...] = ()) -> None:
    update_profile(
        session,
        actor=world.owner_a,
        organization_id=world.org_a,
        details=ProfileInput(
            billing_email=BILLING_EMAIL,
            legal_name="Northwind Robotics, Inc.",
            address="1 Harbor Way\nSeattle, WA 98101",
            tax_id="US-12-3456789",
            billing_contact_ids=contacts,
        ),
    )


def drafted_invoice(session: Session, world, **kwargs) -> Invoice:
    """The first milestone accepted and drafted as an invoice."""
    accept_first_milestone(session, world)
    invoice = invoices.draft_from_milestone(session, actor=world.staff, milestone_id=world.milestones_a[0].id, **kwargs)
    session.commit()
    return invoice


def issued_invoice(session: Session, world, **kwargs) -> Invoice:
    """The first milestone accepted, drafted and issued (with the billing profile saved)."""
    save_profile(session, world)
    invoice = drafted_invoice(session, world, **kwargs)
    invoices.issue(session, actor=world.staff, invoice_id=invoice.id)
    session.commit()
    return invoice


STRIPE_KEY = "sk_test_fluxent_tests"
WEBHOOK_SECRET = "whsec_fluxent_tests"
WEBHOOK_PATH = "/api/v1/webhooks/stripe/"


@pytest.fixture
def stripe_standin(monkeypatch) -> Iterator[StripeStandIn]:
    """The Stripe stand-in on a free port, and the app's settings pointing at it."""
    standin = StripeStandIn(api_key=STRIPE_KEY).start()
    monkeypatch.setenv("FLUXENT_STRIPE_API_BASE", standin.url)
    monkeypatch.setenv("FLUXENT_STRIPE_SECRET_KEY", STRIPE_KEY)
    monkeypatch.setenv("FLUXENT_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    reset_settings()
    yield standin
    standin.stop()


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[str, dict[str, str]]:
    """The body and headers Stripe would send, signed with the stripe library's own helper."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return payload, {"Stripe-Signature": header, "Content-Type": "application/json"}


def post_event(client: TestClient, event: dict, *, drain: bool = True, **signing):
    """Deliver ``event`` as Stripe would, then (``drain``) process what the intake stored, as the
    server's drainer thread does right after: the caller sees the delivery's effect."""
    payload, headers = signed(event, **signing)
    response = client.post(WEBHOOK_PATH, content=payload, headers=headers)
    if drain:
        webhook_queue.process_pending()
    return response


@pytest.fixture
def localstripe(monkeypatch) -> Iterator[str]:
    """localstripe (PyPI) as a subprocess on a free port, the app's settings pointing at it.

    It covers customers; Checkout Sessions and disputes need ``stripe_standin`` instead.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("localstripe did not start")
            time.sleep(0.1)
    monkeypatch.setenv("FLUXENT_STRIPE_API_BASE", url)
    monkeypatch.setenv("FLUXENT_STRIPE_SECRET_KEY", STRIPE_KEY)
    reset_settings()
    yield url
    process.terminate()
    process.wait(timeout=10)
