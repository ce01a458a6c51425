"""Billing figures on SQLite, one process, the API in-process over ASGI, Stripe as the stand-in
server (tests/support/stripe_standin.py) on loopback.

1. Webhook ingestion: signed ``checkout.session.completed`` events for N paid invoices, 20 %
   of them delivered twice, shuffled, posted by 8 threads at once. Prints events per second
   and checks nothing was counted twice (one stored event id per event, one payment, one
   ``billing.invoice_paid`` audit event and one receipt per invoice). Target >= 200 events/s.
   Before that, the stand-in alone: the webhook's one Stripe read, 8 at once, without the app.
2. Invoice PDF with 50 lines: p95 render time. Target < 150 ms.
3. An organization with 5,000 invoices: ``GET /api/v1/invoices/?organization=`` p95.
   Target < 50 ms.

Usage: python bench/billing.py [--invoices N] [--renders N] [--requests N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STRIPE_KEY = "sk_test_bench"
WEBHOOK_SECRET = "whsec_bench"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=500, help="paid invoices whose webhooks are ingested")
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    from tests.support.stripe_standin import StripeStandIn

    standin = StripeStandIn(api_key=STRIPE_KEY).start()
    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
        FLUXENT_EMAIL_BACKEND="file",
        FLUXENT_BASE_URL="http://testserver",
        FLUXENT_STRIPE_API_BASE=standin.url,
        FLUXENT_STRIPE_SECRET_KEY=STRIPE_KEY,
        FLUXENT_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    from fluxent.cli import main as cli

    cli(["migrate"])
    try:
        ingestion(standin, args.invoices)
        pdf_render(args.renders)
        invoice_list(args.requests)
    finally:
        standin.stop()


def _people():
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import OrgRole, Role
    from fluxent.services.accounts import organizations, users
    from fluxent.services.billing.profiles import ProfileInput, update_profile

    with session_scope() as db:
        staff = users.create_user(db, email="staff@bench.test", password=None, role=Role.STAFF, name="Staff")
        owner = users.create_user(db, email="owner@bench.test", password=None, role=Role.CLIENT, name="Owner")
        organization = organizations.get_or_create_organization(db, name="Bench Robotics")
        organizations.add_membership(db, user=owner, organization=organization, role=OrgRole.OWNER)
        update_profile(
            db,
            actor=owner,
            organization_id=organization.id,
            details=ProfileInput(billing_email="ap@bench.test", legal_name="Bench Robotics, Inc."),
        )
        return staff.id, owner.id, organization.id


def ingestion(standin, count: int) -> None:
    import stripe
    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from fluxent.api.app import create_api, wrap_asgi
    from fluxent.core.db import read_scope, session_scope
    from fluxent.models.accounts import User
    from fluxent.models.audit import AuditEvent
    from fluxent.models.billing import Invoice, InvoiceStatus, Payment, StripeEvent
    from fluxent.services.billing import invoices, payments

    staff_id, owner_id, organization_id = _people()
    issued = []
    with session_scope() as db:
        staff = db.get(User, staff_id)
        for n in range(count):
            invoice = invoices.create_invoice(
                db,
                actor=staff,
                organization_id=organization_id,
                currency="USD",
                lines=[invoices.LineInput(f"Support {n}", 10_000 + n)],
            )
            invoices.issue(db, actor=staff, invoice_id=invoice.id)
            issued.append(invoice.id)
    checkouts = [
        payments.start_checkout(actor_id=owner_id, invoice_id=invoice_id).rsplit("/", 1)[1] for invoice_id in issued
    ]
    events = [standin.pay(checkout, succeed=True)[-1] for checkout in checkouts]
    standin_alone(checkouts)
    deliveries = events + random.Random(7).sample(events, len(events) // 5)
    random.Random(8).shuffle(deliveries)
    local = threading.local()

    def deliver(event) -> int:
        if not hasattr(local, "client"):
            local.client = TestClient(wrap_asgi(create_api()), base_url="http://testserver")
        payload = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
        answer = local.client.post(
            "/api/v1/webhooks/stripe/",
            content=payload,
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )
        return answer.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(deliver, deliveries))
    elapsed = time.perf_counter() - started
    from fluxent.core.email import wait_for_background_sends

    sent_after = time.perf_counter()
    assert wait_for_background_sends(timeout=120)
    sending = time.perf_counter() - sent_after
    # A delivery answered 503 (busy: the write lock stayed taken) is sent again, as Stripe does.
    busy = [event for event, status in zip(deliveries, statuses, strict=True) if status == 503]
    statuses = [status for status in statuses if status != 503] + [deliver(event) for event in busy]
    with read_scope() as db:
        stored = db.scalar(select(func.count()).select_from(StripeEvent))
        paid = db.scalar(select(func.count()).select_from(Invoice).where(Invoice.status == InvoiceStatus.PAID))
        rows = db.scalar(select(func.count()).select_from(Payment))
        audited = db.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "billing.invoice_paid")
        )
    outbox = Path(os.environ["FLUXENT_DATA_DIR"]) / "outbox"
    receipts = sum(
        1
        for path in outbox.glob("*.eml")
        if b"Subject: Receipt: invoice" in path.read_bytes() and b"To: ap@bench.test" in path.read_bytes()
    )
    print(
        f"webhooks: {len(deliveries) / elapsed:,.0f} events/s ({len(deliveries)} deliveries, "
        f"{len(deliveries) - len(events)} duplicates, 8 at once, in {elapsed:.2f}s; target >= 200/s; "
        f"{len(busy)} answered 503 and sent again; the receipts' sending thread finished {sending:.2f}s later)"
    )
    assert set(statuses) == {200}, statuses
    assert stored == paid == rows == audited == receipts == count, (stored, paid, rows, audited, receipts, count)
    print(
        f"  nothing double-counted: {count} events stored, {paid} invoices paid, {rows} payments, "
        f"{audited} audit events, {receipts} receipts"
    )


def standin_alone(checkouts: list[str]) -> None:
    """The stand-in on its own: the one Stripe request a webhook makes, 8 at once, no app in between."""
    from fluxent.services.billing import stripe_gateway

    api = stripe_gateway.client()
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda checkout: stripe_gateway.payment_state_of(api, "checkout.session", checkout), checkouts))
    elapsed = time.perf_counter() - started
    print(
        f"stand-in alone: {len(checkouts) / elapsed:,.0f} expanded Checkout Session reads/s "
        f"({len(checkouts)} reads, 8 at once, same process)"
    )


def pdf_render(renders: int) -> None:
    from sqlalchemy import select

    from fluxent.core.db import read_scope, session_scope
    from fluxent.models.accounts import Organization, User
    from fluxent.services.billing import invoices, pdf

    with session_scope() as db:
        staff = db.scalars(select(User).where(User.email == "staff@bench.test")).one()
        organization = db.scalars(select(Organization)).first()
        lines = [
            invoices.LineInput(f"Engineering week {n}: ingestion, dashboards, alerting", 125_000) for n in range(50)
        ]
        invoice = invoices.create_invoice(
            db, actor=staff, organization_id=organization.id, currency="USD", lines=lines, tax_rate_bp=825
        )
        invoices.issue(db, actor=staff, invoice_id=invoice.id)
        invoice_id = invoice.id
    samples = []
    with read_scope() as db:
        invoice = invoices.get_invoice(db, actor=staff, invoice_id=invoice_id)
        for _ in range(renders):
            started = time.perf_counter()
            pdf.render_invoice(db, invoice)
            samples.append((time.perf_counter() - started) * 1000)
    print(
        f"pdf (50 lines): p95 {p95(samples):.1f} ms, median {statistics.median(samples):.1f} ms "
        f"over {renders} renders; target p95 < 150 ms"
    )


def invoice_list(requests: int) -> None:
    from datetime import date

    from fastapi.testclient import TestClient
    from sqlalchemy import insert, select

    from fluxent.api.app import create_api, wrap_asgi
    from fluxent.core.clock import now
    from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import Organization, User
    from fluxent.models.billing import Invoice, InvoiceStatus
    from fluxent.services.auth import sessions

    with session_scope() as db:
        owner = db.scalars(select(User).where(User.email == "owner@bench.test")).one()
        organization_id = db.scalars(select(Organization.id)).first()
        moment = now()
        existing = db.scalar(select(Invoice.id).order_by(Invoice.id.desc()).limit(1)) or 0
        db.execute(
            insert(Invoice),
            [
                {
                    "organization_id": organization_id,
                    "number": f"FLX-2020-{n:05d}",
                    "status": InvoiceStatus.PAID,
                    "currency": "USD",
                    "tax_rate_bp": 0,
                    "subtotal_minor": 10_000,
                    "tax_minor": 0,
                    "total_minor": 10_000,
                    "amount_paid_minor": 10_000,
                    "amount_refunded_minor": 0,
                    "disputed": False,
                    "memo": "",
                    "bill_to_name": "Bench Robotics, Inc.",
                    "bill_to_email": "ap@bench.test",
                    "bill_to_address": "",
                    "bill_to_tax_id": "",
                    "issue_date": date(2020, 1, 1),
                    "due_date": date(2020, 1, 31),
                    "fiscal_year": 2020,
                    "reminder_stage": "",
                    "created_at": moment,
                    "updated_at": moment,
                }
                for n in range(5_000 - existing)
            ],
        )
        _, raw = sessions.start_session(db, user=owner)
    client = TestClient(wrap_asgi(create_api()), base_url="http://testserver")
    client.cookies.set(SESSION_COOKIE, raw)
    client.cookies.set(CSRF_COOKIE, "bench-csrf-token-0123456789abcdef")
    url = f"/api/v1/invoices/?organization={organization_id}"
    assert client.get(url).json()["total"] >= 5_000
    samples = []
    for page in range(requests):
        started = time.perf_counter()
        answer = client.get(url, params={"page": 1 + page % 50})
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
    print(
        f"invoice list (5,000 invoices): p95 {p95(samples):.1f} ms, median {statistics.median(samples):.1f} ms "
        f"over {requests} requests; target p95 < 50 ms"
    )


if __name__ == "__main__":
    main()
