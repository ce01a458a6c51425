"""Stripe webhooks are stored and answered at once, then processed from the queue: pending rows,
a Stripe outage retried with backoff, redeliveries while waiting or after, two drainers at once,
and the command that drains what a stopped server left."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.cli import main as cli
from fluxent.core import db
from fluxent.core.clock import now
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.models.billing import Invoice, InvoiceStatus, Payment, StripeEvent
from fluxent.services.billing import webhook_queue, webhooks
from tests.support.billing import issued_invoice, post_event
from tests.support.portal import client_for
from tests.support.processes import free_port

S = InvoiceStatus


def _rows() -> list[StripeEvent]:
    with Session(db.get_engine()) as fresh:
        return list(fresh.scalars(select(StripeEvent).order_by(StripeEvent.id)))


def _status(invoice_id: int) -> InvoiceStatus:
    with Session(db.get_engine()) as fresh:
        return fresh.get(Invoice, invoice_id).status


def _audits(action: str) -> int:
    with Session(db.get_engine()) as fresh:
        return fresh.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.fixture
def paying(session, world, data_dir, stripe_standin):
    """An issued invoice, its Checkout Session, and an anonymous client for webhooks."""
    invoice = issued_invoice(session, world)
    response = client_for(session, world.owner_a).post(f"/api/v1/invoices/{invoice.id}/pay/")
    assert response.status_code == 200, response.text
    return invoice, response.json()["url"].rsplit("/", 1)[1], client_for(session, None)


def test_the_intake_answers_200_and_stores_the_event_waiting(paying, stripe_standin):
    invoice, checkout, hooks = paying
    (*_, completed) = stripe_standin.pay(checkout, succeed=True)
    response = post_event(hooks, completed, drain=False)
    assert response.status_code == 200 and response.json() == {"received": True, "duplicate": False}
    (row,) = _rows()
    assert (row.event_id, row.type, row.object_id) == (completed["id"], "checkout.session.completed", checkout)
    assert (row.processed_at, row.attempts, row.last_error) == (None, 0, "")
    assert _status(invoice.id) == S.OPEN  # nothing acted on yet
    summary = webhook_queue.process_pending()
    assert (summary.processed, summary.failed, summary.waiting) == (1, 0, 0)
    assert [(c.invoice_id, c.what) for c in summary.changes] == [(invoice.id, "paid")]
    assert _status(invoice.id) == S.PAID and _rows()[0].processed_at is not None


def test_an_event_type_billing_ignores_is_stored_processed(paying):
    _, _, hooks = paying
    event = {"id": "evt_customer", "type": "customer.updated", "data": {"object": {"id": "cus_1"}}}
    assert post_event(hooks, event, drain=False).json()["duplicate"] is False
    (row,) = _rows()
    assert row.processed_at is not None and row.object_id is None
    assert webhook_queue.process_pending().processed == 0


def test_stripe_unreachable_leaves_the_event_waiting_with_the_attempt_recorded_and_a_later_drain_succeeds(
    paying, stripe_standin, monkeypatch
):
    invoice, checkout, hooks = paying
    (*_, completed) = stripe_standin.pay(checkout, succeed=True)
    assert post_event(hooks, completed, drain=False).status_code == 200
    monkeypatch.setenv("FLUXENT_STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")  # nothing listens
    reset_settings()
    failed = webhook_queue.process_pending()
    assert (failed.processed, failed.failed, failed.waiting) == (0, 1, 1)
    (row,) = _rows()
    assert row.processed_at is None and row.attempts == 1 and row.claimed_by is None
    # The kind of failure, no message that could name someone.
    assert row.last_error.startswith("PaymentsUnavailable from APIConnectionError")
    assert row.next_attempt_at >= now() + timedelta(seconds=50)
    assert _status(invoice.id) == S.OPEN
    monkeypatch.setenv("FLUXENT_STRIPE_API_BASE", stripe_standin.url)  # Stripe is back
    reset_settings()
    assert webhook_queue.process_pending().processed == 0  # the retry is not due yet
    later = webhook_queue.process_pending(clock=lambda: now() + timedelta(minutes=2))
    assert (later.processed, later.failed, later.waiting) == (1, 0, 0)
    (row,) = _rows()
    assert row.processed_at is not None and row.last_error == ""
    assert _status(invoice.id) == S.PAID and _audits("billing.invoice_paid") == 1


def test_a_redelivery_while_waiting_or_after_processing_changes_nothing(paying, stripe_standin):
    invoice, checkout, hooks = paying
    (*_, completed) = stripe_standin.pay(checkout, succeed=True)
    assert post_event(hooks, completed, drain=False).json()["duplicate"] is False
    assert post_event(hooks, completed, drain=False).json()["duplicate"] is True  # while waiting
    assert len(_rows()) == 1
    assert webhook_queue.process_pending().processed == 1
    assert post_event(hooks, completed, drain=False).json()["duplicate"] is True  # after processing
    assert webhook_queue.process_pending().processed == 0
    assert len(_rows()) == 1 and _audits("billing.invoice_paid") == 1
    with Session(db.get_engine()) as fresh:
        assert fresh.scalar(select(func.count()).select_from(Payment)) == 1


def test_two_drainers_at_once_process_each_event_once(paying, stripe_standin):
    invoice, checkout, hooks = paying
    events = stripe_standin.pay(checkout, succeed=True)
    events += stripe_standin.refund(stripe_standin.objects[checkout]["payment_intent"], 10_000)
    for event in events:
        assert post_event(hooks, event, drain=False).status_code == 200
    start = threading.Barrier(2)
    summaries = []

    def drain() -> None:
        start.wait()
        summaries.append(webhook_queue.process_pending())

    drainers = [threading.Thread(target=drain) for _ in range(2)]
    for drainer in drainers:
        drainer.start()
    for drainer in drainers:
        drainer.join(60)
    assert sum(s.processed for s in summaries) == len(events) and sum(s.failed for s in summaries) == 0
    assert all(row.processed_at is not None for row in _rows())
    assert _audits("billing.invoice_paid") == 1 and _audits("billing.invoice_refunded") == 1
    with Session(db.get_engine()) as fresh:
        got = fresh.get(Invoice, invoice.id)
        assert (got.status, got.amount_refunded_minor) == (S.PAID, 10_000)


def test_the_command_processes_what_a_stopped_server_left_waiting(paying, stripe_standin, capsys):
    invoice, checkout, hooks = paying
    for event in stripe_standin.pay(checkout, succeed=True):
        post_event(hooks, event, drain=False)
    assert cli(["billing", "process-webhooks"]) == 0
    out = capsys.readouterr().out
    assert f"{invoice.number}: paid" in out and "3 Stripe event(s) processed, 0 failed" in out
    assert _status(invoice.id) == S.PAID


def test_reconcile_processes_waiting_events_first(paying, stripe_standin, capsys):
    invoice, checkout, hooks = paying
    (*_, completed) = stripe_standin.pay(checkout, succeed=True)
    post_event(hooks, completed, drain=False)
    assert cli(["billing", "reconcile"]) == 0
    out = capsys.readouterr().out
    assert "1 waiting Stripe event(s) processed first" in out and f"{invoice.number}: paid" in out
    assert all(row.processed_at is not None for row in _rows()) and _audits("billing.invoice_paid") == 1


def test_the_drainer_gives_way_while_deliveries_are_taken_in_but_not_for_ever():
    with webhooks._receiving():
        started = time.monotonic()
        webhook_queue.give_way_to_intake(longest=0.3)
        assert time.monotonic() - started >= 0.3
    time.sleep(2 * webhook_queue.QUIET_SECONDS)
    started = time.monotonic()
    webhook_queue.give_way_to_intake(longest=5)
    assert time.monotonic() - started < 1
