"""Card payment end to end over real HTTP: the API asks the Stripe stand-in for a Checkout
Session, the payer pays there, and signed webhooks (the stripe library's own signing) bring
the invoice up to date. Attacks: replay, stale or forged signatures, concurrent duplicates,
events out of order, forged event bodies, failed payments."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core import db
from fluxent.models.audit import AuditEvent
from fluxent.models.billing import Invoice, InvoiceStatus, Payment, StripeEvent
from fluxent.services.billing import ledger, receipts, reconcile, stripe_gateway, webhook_queue
from fluxent.services.marketing.emails import staff_inbox
from tests.support.billing import WEBHOOK_PATH, drafted_invoice, issued_invoice, post_event, save_profile, signed
from tests.support.portal import client_for, outbox

S = InvoiceStatus


def _fresh(model, *where):
    with Session(db.get_engine()) as fresh:
        return fresh.scalars(select(model).where(*where)).all()


def _invoice(invoice_id: int) -> Invoice:
    return _fresh(Invoice, Invoice.id == invoice_id)[0]


def _count(model) -> int:
    with Session(db.get_engine()) as fresh:
        return fresh.scalar(select(func.count()).select_from(model))


def _audits(action: str) -> int:
    return len(_fresh(AuditEvent, AuditEvent.action == action))


def _checkout(session, world, stripe_standin, invoice) -> str:
    response = client_for(session, world.owner_a).post(f"/api/v1/invoices/{invoice.id}/pay/")
    assert response.status_code == 200, response.text
    url = response.json()["url"]
    assert url.startswith(f"{stripe_standin.url}/pay/cs_test_")
    return url.rsplit("/", 1)[1]


@pytest.fixture
def paying(session, world, data_dir, stripe_standin):
    """An issued invoice, a Checkout Session for it, and an anonymous client for webhooks."""
    invoice = issued_invoice(session, world)
    checkout = _checkout(session, world, stripe_standin, invoice)
    return invoice, checkout, client_for(session, None)


def test_pay_creates_one_customer_with_an_idempotency_key_and_reuses_an_open_session(
    session, world, data_dir, stripe_standin
):
    invoice = issued_invoice(session, world)
    first = _checkout(session, world, stripe_standin, invoice)
    again = _checkout(session, world, stripe_standin, invoice)
    assert first == again
    assert len(stripe_standin.of_kind("customer")) == 1
    assert any(key.startswith(f"organization-{world.org_a}-") for key in stripe_standin.idempotent)
    customer = stripe_standin.of_kind("customer")[0]
    assert customer["email"] == "ap@northwind.test"
    checkout = stripe_standin.objects[first]
    assert checkout["amount_total"] == invoice.total_minor and checkout["currency"] == "usd"
    assert checkout["success_url"].startswith("http://testserver/portal/billing/paid?invoice=")


def test_a_successful_payment_marks_the_invoice_paid_once_and_sends_a_receipt(paying, stripe_standin, world, data_dir):
    invoice, checkout, hooks = paying
    events = stripe_standin.pay(checkout, succeed=True)
    for event in events:
        assert post_event(hooks, event).json() == {"received": True, "duplicate": False}
    paid = _invoice(invoice.id)
    assert (paid.status, paid.amount_paid_minor) == (S.PAID, invoice.total_minor)
    assert _audits("billing.invoice_paid") == 1
    assert receipts.send_due().sent == 2  # the owner and the billing e-mail
    sent = [m for m in outbox(data_dir, world.owner_a.email) if m["Subject"].startswith("Receipt: invoice")]
    assert len(sent) == 1
    with Session(db.get_engine()) as fresh:
        book = ledger.ledger_for(fresh, world.engagement_a)
    assert (book.invoiced_minor, book.paid_minor) == (300_000, 300_000)


def test_a_replayed_event_changes_nothing(paying, stripe_standin):
    invoice, checkout, hooks = paying
    events = stripe_standin.pay(checkout, succeed=True)
    for event in events:
        post_event(hooks, event)
    before = (_count(StripeEvent), _count(AuditEvent), _count(Payment))
    for event in events:
        assert post_event(hooks, event).json()["duplicate"] is True
    assert (_count(StripeEvent), _count(AuditEvent), _count(Payment)) == before


def test_concurrent_duplicate_deliveries_count_once(paying, stripe_standin, world, data_dir):
    invoice, checkout, _ = paying
    (_, _, completed) = stripe_standin.pay(checkout, succeed=True)
    payload, headers = signed(completed)
    start = threading.Barrier(6)

    def deliver(_):
        from fastapi.testclient import TestClient

        from tests.support.portal import api_app

        with TestClient(api_app(), base_url="http://testserver") as client:
            start.wait()
            return client.post(WEBHOOK_PATH, content=payload, headers=headers)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(deliver, range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert sorted(a.json()["duplicate"] for a in answers) == [False] + [True] * 5
    assert webhook_queue.process_pending().processed == 1
    assert _count(StripeEvent) == 1 and _audits("billing.invoice_paid") == 1
    assert receipts.send_due().sent == 2  # the owner and the billing e-mail
    sent = [m for m in outbox(data_dir, world.owner_a.email) if m["Subject"].startswith("Receipt: invoice")]
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("signing", "why"),
    [
        ({"timestamp": int(time.time()) - 301}, "stale"),
        ({"secret": "whsec_someone_else"}, "wrong secret"),
    ],
)
def test_stale_or_forged_signatures_get_400_and_change_nothing(paying, stripe_standin, signing, why):
    invoice, checkout, hooks = paying
    events = stripe_standin.pay(checkout, succeed=True)
    for event in events:
        response = post_event(hooks, event, **signing)
        assert response.status_code == 400, why
        assert response.json()["error"]["code"] == "bad_webhook"
    assert _count(StripeEvent) == 0 and _invoice(invoice.id).status == S.OPEN


def test_missing_signature_and_malformed_bodies_get_400(paying):
    _, _, hooks = paying
    assert hooks.post(WEBHOOK_PATH, content=b"{}", headers={"Content-Type": "application/json"}).status_code == 400
    for body in ("not json", "[]", '{"id": "evt_1", "type": "x"}', '{"id": 5, "type": "x", "data": {"object": {}}}'):
        payload, headers = signed({})
        payload = body
        from stripe import WebhookSignature

        headers["Stripe-Signature"] = WebhookSignature.generate_signature_header(payload, "whsec_fluxent_tests")
        assert hooks.post(WEBHOOK_PATH, content=payload, headers=headers).status_code == 400, body
    assert _count(StripeEvent) == 0


def test_a_rotated_secret_is_accepted_while_both_are_configured(paying, stripe_standin, monkeypatch):
    from fluxent.core.settings import reset_settings

    invoice, checkout, hooks = paying
    monkeypatch.setenv("FLUXENT_STRIPE_WEBHOOK_SECRET", "whsec_fluxent_tests, whsec_next")
    reset_settings()
    (_, _, completed) = stripe_standin.pay(checkout, succeed=True)
    assert post_event(hooks, completed, secret="whsec_next").status_code == 200
    assert _invoice(invoice.id).status == S.PAID


def test_a_forged_success_in_a_validly_signed_body_is_checked_against_stripe(paying, stripe_standin):
    """The body says succeeded; Stripe says the payment has not happened: nothing is marked paid."""
    invoice, checkout, hooks = paying
    intent = stripe_standin.objects[stripe_standin.objects[checkout]["payment_intent"]]
    forged = {
        "id": "evt_forged",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {**intent, "status": "succeeded", "amount_received": intent["amount"]}},
    }
    assert post_event(hooks, forged).status_code == 200
    assert _invoice(invoice.id).status == S.OPEN


def test_a_failed_payment_then_a_success(paying, stripe_standin):
    invoice, checkout, hooks = paying
    for event in stripe_standin.pay(checkout, succeed=False):
        post_event(hooks, event)
    assert _invoice(invoice.id).status == S.OPEN
    (failed,) = _fresh(Payment, Payment.invoice_id == invoice.id)
    assert (failed.status, failed.failure_message) == ("failed", "Your card was declined.")
    for event in stripe_standin.pay(checkout, succeed=True):
        post_event(hooks, event)
    assert _invoice(invoice.id).status == S.PAID
    assert sorted(p.status for p in _fresh(Payment, Payment.invoice_id == invoice.id)) == ["failed", "succeeded"]


def test_events_out_of_order_end_in_the_same_place(paying, stripe_standin):
    """A refund's event first, then the payment's: each re-fetches Stripe's current state."""
    invoice, checkout, hooks = paying
    paid_events = stripe_standin.pay(checkout, succeed=True)
    refund_events = stripe_standin.refund(stripe_standin.objects[checkout]["payment_intent"], 10_000)
    for event in [*reversed(refund_events), *reversed(paid_events)]:
        assert post_event(hooks, event).status_code == 200
    got = _invoice(invoice.id)
    assert (got.status, got.amount_paid_minor, got.amount_refunded_minor) == (S.PAID, invoice.total_minor, 10_000)
    assert _audits("billing.invoice_paid") == 1 and _audits("billing.invoice_refunded") == 1


def test_partial_then_full_refund_after_payment(paying, stripe_standin, world):
    invoice, checkout, hooks = paying
    for event in stripe_standin.pay(checkout, succeed=True):
        post_event(hooks, event)
    assert (_book(world).paid_minor, _book(world).refunded_minor) == (invoice.subtotal_minor, 0)
    intent = stripe_standin.objects[checkout]["payment_intent"]
    for event in stripe_standin.refund(intent, 100_000):
        post_event(hooks, event)
    assert _invoice(invoice.id).amount_refunded_minor == 100_000
    # The ledger counts the refund's pre-tax share (refunds include tax) off the paid amount.
    share = 100_000 * invoice.subtotal_minor // invoice.total_minor
    assert (_book(world).paid_minor, _book(world).refunded_minor) == (invoice.subtotal_minor - share, share)
    for event in stripe_standin.refund(intent):
        post_event(hooks, event)
    got = _invoice(invoice.id)
    assert got.amount_refunded_minor == invoice.total_minor and got.status == S.PAID
    assert (_book(world).paid_minor, _book(world).refunded_minor) == (0, invoice.subtotal_minor)
    fulls = [e.meta for e in _fresh(AuditEvent, AuditEvent.action == "billing.invoice_refunded")]
    assert ['"full":false' in meta.replace(" ", "") for meta in fulls] == [True, False]


def _paid_then_disputed(paying, stripe_standin, reason: str = "product_not_received"):
    invoice, checkout, hooks = paying
    for event in stripe_standin.pay(checkout, succeed=True):
        post_event(hooks, event)
    intent = stripe_standin.objects[checkout]["payment_intent"]
    (opened,) = stripe_standin.dispute(intent, reason)
    return invoice, hooks, opened


def _book(world):
    with Session(db.get_engine()) as fresh:
        return ledger.ledger_for(fresh, world.engagement_a)


def _staff_mail(data_dir, subject_start: str):
    return [m for m in outbox(data_dir, staff_inbox()) if m["Subject"].startswith(subject_start)]


def test_an_opened_dispute_shows_amount_reason_and_due_date_tells_staff_and_holds_the_amount(
    paying, stripe_standin, session, world, data_dir
):
    invoice, hooks, opened = _paid_then_disputed(paying, stripe_standin)
    assert post_event(hooks, opened).json()["duplicate"] is False
    got = _invoice(invoice.id)
    due = opened["data"]["object"]["evidence_details"]["due_by"]
    assert (got.status, got.disputed, got.dispute_status) == (S.PAID, True, "needs_response")
    assert (got.dispute_amount_minor, got.dispute_reason) == (invoice.total_minor, "product_not_received")
    assert int(got.dispute_evidence_due_at.timestamp()) == due
    audit = _fresh(AuditEvent, AuditEvent.action == "billing.dispute_opened")
    assert len(audit) == 1 and '"reason":"product_not_received"' in audit[0].meta.replace(" ", "")
    (mail,) = _staff_mail(data_dir, "Dispute opened")
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == f"Dispute opened: invoice {invoice.number}, USD 3,000.00"
    assert "not delivered" in body and "Evidence is due by" in body
    book = _book(world)
    assert (book.paid_minor, book.disputed_minor, book.dispute_lost_minor) == (300_000, 300_000, 0)
    detail = client_for(session, world.owner_a).get(f"/api/v1/invoices/{invoice.id}/").json()
    assert detail["disputed"] is True
    assert detail["dispute"] == {
        "status": "needs_response",
        "amount_minor": invoice.total_minor,
        "reason": "product_not_received",
        "evidence_due_by": got.dispute_evidence_due_at.isoformat(),
    }
    assert post_event(hooks, opened).json()["duplicate"] is True  # a redelivery: no second mail or audit
    assert len(_staff_mail(data_dir, "Dispute opened")) == 1 and _audits("billing.dispute_opened") == 1


def test_a_won_dispute_releases_the_amount(paying, stripe_standin, world, data_dir):
    invoice, hooks, opened = _paid_then_disputed(paying, stripe_standin)
    post_event(hooks, opened)
    (closed,) = stripe_standin.close_dispute(opened["data"]["object"]["id"], "won")
    post_event(hooks, closed)
    got = _invoice(invoice.id)
    assert (got.status, got.disputed, got.dispute_status, got.amount_paid_minor) == (
        S.PAID,
        False,
        "won",
        invoice.total_minor,
    )
    assert _audits("billing.dispute_won") == 1 and _audits("billing.dispute_lost") == 0
    book = _book(world)
    assert (book.paid_minor, book.disputed_minor, book.dispute_lost_minor) == (300_000, 0, 0)
    assert len(_staff_mail(data_dir, "Dispute won")) == 1


def test_a_lost_dispute_is_reversed_in_the_ledger(paying, stripe_standin, world, data_dir):
    invoice, hooks, opened = _paid_then_disputed(paying, stripe_standin, "fraudulent")
    post_event(hooks, opened)
    (closed,) = stripe_standin.close_dispute(opened["data"]["object"]["id"], "lost")
    assert post_event(hooks, closed).status_code == 200
    got = _invoice(invoice.id)
    assert (got.disputed, got.dispute_status) == (False, "lost")
    assert _audits("billing.dispute_lost") == 1
    book = _book(world)
    assert (book.invoiced_minor, book.paid_minor, book.disputed_minor, book.dispute_lost_minor) == (
        300_000,
        0,
        0,
        300_000,
    )
    (mail,) = _staff_mail(data_dir, "Dispute lost")
    assert "taken off the paid amount" in mail.get_body(("plain",)).get_content()
    assert post_event(hooks, closed).json()["duplicate"] is True
    assert _audits("billing.dispute_lost") == 1 and _book(world).paid_minor == 0


def test_dispute_events_out_of_order_end_in_the_same_place(paying, stripe_standin, world, data_dir):
    """The closing event first: Stripe's current state (lost) is applied, opened and lost audited
    once each; the late opening event changes nothing."""
    invoice, hooks, opened = _paid_then_disputed(paying, stripe_standin)
    (closed,) = stripe_standin.close_dispute(opened["data"]["object"]["id"], "lost")
    post_event(hooks, closed)
    post_event(hooks, opened)
    got = _invoice(invoice.id)
    assert (got.disputed, got.dispute_status) == (False, "lost")
    assert _audits("billing.dispute_opened") == 1 and _audits("billing.dispute_lost") == 1
    assert len(_staff_mail(data_dir, "Dispute opened")) == 1 and len(_staff_mail(data_dir, "Dispute lost")) == 1
    assert _book(world).paid_minor == 0


def test_a_success_event_of_a_paid_invoice_is_stored_without_asking_stripe(paying, stripe_standin, monkeypatch):
    """Stripe sends three success events per payment: once one paid the invoice, the others
    cannot change it and are stored without a request to Stripe."""
    invoice, checkout, hooks = paying
    charge, intent, completed = stripe_standin.pay(checkout, succeed=True)
    assert post_event(hooks, completed).json()["duplicate"] is False
    asked = []
    real = stripe_gateway.payment_state_of
    monkeypatch.setattr(stripe_gateway, "payment_state_of", lambda *a: asked.append(a) or real(*a))
    for event in (intent, charge):
        assert post_event(hooks, event).json()["duplicate"] is False
    assert asked == [] and _count(StripeEvent) == 3
    assert _audits("billing.invoice_paid") == 1 and len(_fresh(Payment, Payment.invoice_id == invoice.id)) == 1


def test_reconcile_catches_a_payment_whose_webhooks_never_came(paying, stripe_standin):
    invoice, checkout, _ = paying
    stripe_standin.pay(checkout, succeed=True)  # events made, never delivered
    changes = reconcile.reconcile()
    assert [(c.invoice_id, c.what) for c in changes] == [(invoice.id, "paid")]
    assert _invoice(invoice.id).status == S.PAID
    assert reconcile.reconcile() == []


def test_pay_says_clearly_when_card_payments_are_not_configured(session, world, data_dir, monkeypatch):
    invoice = issued_invoice(session, world)
    monkeypatch.delenv("FLUXENT_STRIPE_SECRET_KEY", raising=False)
    response = client_for(session, world.owner_a).post(f"/api/v1/invoices/{invoice.id}/pay/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payments_unavailable"
    assert "not configured" in response.json()["error"]["message"]


def test_only_owners_and_billing_contacts_pay(session, world, data_dir, stripe_standin):
    invoice = issued_invoice(session, world)
    assert client_for(session, world.member_a).post(f"/api/v1/invoices/{invoice.id}/pay/").status_code == 403
    assert client_for(session, world.staff).post(f"/api/v1/invoices/{invoice.id}/pay/").status_code == 403
    assert client_for(session, world.owner_b).post(f"/api/v1/invoices/{invoice.id}/pay/").status_code == 404
    save_profile(session, world, contacts=(world.member_a.id,))
    session.commit()
    assert client_for(session, world.member_a).post(f"/api/v1/invoices/{invoice.id}/pay/").status_code == 200
    assert stripe_standin.of_kind("checkout.session")


@pytest.mark.parametrize(("field", "value"), [("amount_received", 1), ("currency", "eur")])
def test_a_payment_short_of_the_total_or_in_another_currency_does_not_mark_paid(paying, stripe_standin, field, value):
    invoice, checkout, hooks = paying
    (*_, completed) = stripe_standin.pay(checkout, succeed=True)
    stripe_standin.objects[stripe_standin.objects[checkout]["payment_intent"]][field] = value
    assert post_event(hooks, completed).status_code == 200
    assert _invoice(invoice.id).status == S.OPEN and _audits("billing.invoice_paid") == 0


def test_staff_mark_an_open_invoice_uncollectible_and_a_later_card_payment_still_pays_it(
    paying, session, stripe_standin, world
):
    invoice, checkout, hooks = paying
    owner, staff = client_for(session, world.owner_a), client_for(session, world.staff)
    path = f"/api/v1/invoices/{invoice.id}/uncollectible/"
    assert owner.post(path).status_code == 403
    assert _invoice(invoice.id).status == S.OPEN
    response = staff.post(path)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "uncollectible"
    assert _audits("billing.invoice_uncollectible") == 1
    again = staff.post(path)
    assert again.status_code == 409 and "open invoice" in again.json()["error"]["message"]
    assert _audits("billing.invoice_uncollectible") == 1
    with Session(db.get_engine()) as fresh:
        book = ledger.ledger_for(fresh, world.engagement_a)
    assert (book.invoiced_minor, book.paid_minor) == (300_000, 0)  # still counted as invoiced
    for event in stripe_standin.pay(checkout, succeed=True):
        assert post_event(hooks, event).status_code == 200
    paid = _invoice(invoice.id)
    assert (paid.status, paid.amount_paid_minor) == (S.PAID, invoice.total_minor)
    assert staff.post(path).status_code == 409  # a paid invoice cannot be written off


def test_drafts_and_void_invoices_cannot_be_marked_uncollectible(session, world):
    staff = client_for(session, world.staff)
    draft = drafted_invoice(session, world)
    assert staff.post(f"/api/v1/invoices/{draft.id}/uncollectible/").status_code == 409
    assert _invoice(draft.id).status == S.DRAFT
    assert staff.post(f"/api/v1/invoices/{draft.id}/void/").status_code == 200
    assert staff.post(f"/api/v1/invoices/{draft.id}/uncollectible/").status_code == 409
    assert staff.post("/api/v1/invoices/999999/uncollectible/").status_code == 404
    assert _audits("billing.invoice_uncollectible") == 0


def test_reconcile_catches_refunds_and_disputes_of_recently_paid_invoices_whose_webhooks_never_came(
    paying, session, stripe_standin, world
):
    invoice, checkout, hooks = paying
    for event in stripe_standin.pay(checkout, succeed=True):
        post_event(hooks, event)
    intent = stripe_standin.objects[checkout]["payment_intent"]
    assert reconcile.reconcile() == []  # paid and nothing since: nothing to change
    stripe_standin.refund(intent, 10_000)  # events made, never delivered
    stripe_standin.dispute(intent)
    changes = reconcile.reconcile()
    assert sorted(c.what for c in changes) == ["disputed", "refunded 10000"]
    paid = _invoice(invoice.id)
    assert (paid.status, paid.amount_refunded_minor, paid.disputed) == (S.PAID, 10_000, True)
    assert _audits("billing.invoice_refunded") == 1 and _audits("billing.dispute_opened") == 1
    assert reconcile.reconcile() == []  # a second run changes nothing

    stripe_standin.refund(intent)  # the rest, but the payment is now older than the look-back
    with Session(db.get_engine()) as fresh:
        old = fresh.get(Invoice, invoice.id)
        old.paid_at -= timedelta(days=reconcile.PAID_LOOKBACK_DAYS + 1)
        fresh.add(old)
        fresh.commit()
    assert reconcile.reconcile() == []
    assert _invoice(invoice.id).amount_refunded_minor == 10_000
