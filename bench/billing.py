"""Billing figures on SQLite.

1. Webhook ingestion, as production serves it: the API (production ASGI app and middleware)
   under granian with ``--workers`` processes (each a comma-separated count, measured one
   after the other in the same run), each running the drainer thread that processes the
   stored events (the app's lifespan task), the Stripe stand-in (tests/support/stripe_standin.py)
   in a process of its own. Signed ``checkout.session.completed`` events for N paid
   invoices, 20 % of them delivered twice, shuffled, posted over HTTP by 8 threads at once.
   Prints intake events per second (deliveries answered; target >= 200 events/s), then the
   time until the queue is drained (every event processed: the end-to-end rate) and CPU per
   delivery (server processes, stand-in), then checks nothing was counted twice: one stored
   and processed event per event, one payment, one ``billing.invoice_paid`` audit event per
   invoice, one receipt row per recipient, each sent once by the receipt sender.
   Before that, the stand-in alone (the processing's one Stripe read, 8 at once) and a
   profile, in this process, of the intake of first deliveries and of their processing.
2. Invoice PDF with 50 lines: p95 render time. Target < 150 ms.
3. An organization with 5,000 invoices: ``GET /api/v1/invoices/?organization=`` p95.
   Target < 50 ms.

Usage: python bench/billing.py [--invoices N] [--workers 1,2] [--renders N] [--requests N]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.auth import _cpu_seconds, _free_port, _serve, _wait_healthy  # noqa: E402

SERVED_APP = "bench.billing:asgi_app"
DRAINER_SWITCH = "BENCH_BILLING_SERVER_DRAINS"  # "off": the served app leaves the queue alone

STRIPE_KEY = "sk_test_bench"
WEBHOOK_SECRET = "whsec_bench"
WEBHOOK_PATH = "/api/v1/webhooks/stripe/"


def asgi_app():
    """What the server runs: the API as production wraps it, with the Stripe event drainer
    started and stopped by the lifespan, as the Reflex app does (``fluxent/fluxent.py``)."""
    import asyncio

    from fluxent.api import create_api, wrap_asgi
    from fluxent.services.billing import webhook_queue

    api = wrap_asgi(create_api())

    async def app(scope, receive, send):
        if scope["type"] != "lifespan":
            return await api(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if os.environ.get(DRAINER_SWITCH) != "off":
                    webhook_queue.start_drainer()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(webhook_queue.stop_drainer)
                await send({"type": "lifespan.shutdown.complete"})
                return

    return app


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=500, help="paid invoices whose webhooks are ingested, per run")
    parser.add_argument("--workers", default="1,2", help="server worker counts to measure, one after the other")
    parser.add_argument("--profile", type=int, default=100, help="first deliveries profiled in this process")
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    standin_port = _free_port()
    standin = subprocess.Popen(
        [sys.executable, "-m", "tests.support.stripe_standin", "--port", str(standin_port)]
        + ["--api-key", STRIPE_KEY, "--webhook-url", ""],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    standin.stdout.readline()  # it listens once it has said where
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
        FLUXENT_EMAIL_BACKEND="file",
        FLUXENT_BASE_URL="http://testserver",
        FLUXENT_STRIPE_API_BASE=f"http://127.0.0.1:{standin_port}",
        FLUXENT_STRIPE_SECRET_KEY=STRIPE_KEY,
        FLUXENT_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    from fluxent.cli import main as cli
    from fluxent.services.billing import receipts

    cli(["migrate"])
    print("load average at start: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    try:
        people = _people()
        standin_alone(standin, _paid_events(people, 200))
        profile_deliveries(_paid_events(people, args.profile))
        receipts.send_due(limit=10 * args.profile)  # the profiled payments' receipts, out of the way
        for workers in (int(n) for n in args.workers.split(",")):
            ingestion(standin, people, args.invoices, workers, workdir, server_drains=False)
            ingestion(standin, people, args.invoices, workers, workdir, server_drains=True)
        pdf_render(args.renders)
        invoice_list(args.requests)
    finally:
        standin.terminate()
        standin.wait(timeout=30)


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


def _paid_events(people, count: int) -> list[dict]:
    """Issue ``count`` invoices, start their Checkout and pay each on the stand-in: the
    ``checkout.session.completed`` event of each (not delivered yet)."""
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import User
    from fluxent.services.billing import invoices, payments

    staff_id, owner_id, organization_id = people
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
    base = os.environ["FLUXENT_STRIPE_API_BASE"]
    with httpx.Client(base_url=base, timeout=30) as standin:
        events = []
        for invoice_id in issued:
            checkout = payments.start_checkout(actor_id=owner_id, invoice_id=invoice_id).rsplit("/", 1)[1]
            paid = standin.post(f"/_standin/checkout/{checkout}/pay", json={"outcome": "succeed"}).json()["events"]
            events.append(paid[-1])
    assert {event["type"] for event in events} == {"checkout.session.completed"}
    return events


def _signed(event: dict) -> tuple[str, dict[str, str]]:
    import stripe

    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    return payload, {"Stripe-Signature": header, "Content-Type": "application/json"}


def standin_alone(standin: subprocess.Popen, events: list[dict]) -> None:
    """The stand-in on its own: the one Stripe request a webhook makes, 8 at once, no app in between."""
    from fluxent.services.billing import stripe_gateway

    api = stripe_gateway.client()
    checkouts = [event["data"]["object"]["id"] for event in events]
    cpu, client_cpu = _cpu_seconds(standin.pid), time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda checkout: stripe_gateway.payment_state_of(api, "checkout.session", checkout), checkouts))
    elapsed = time.perf_counter() - started
    cpu, client_cpu = _cpu_seconds(standin.pid) - cpu, time.process_time() - client_cpu
    print(
        f"stand-in alone: {len(checkouts) / elapsed:,.0f} expanded Checkout Session reads/s ({len(checkouts)} reads, "
        f"8 at once, stand-in in its own process); CPU per read: stand-in {cpu / len(checkouts) * 1000:.1f} ms, "
        f"the stripe library's client {client_cpu / len(checkouts) * 1000:.1f} ms"
    )


PROFILED_INTAKE = {
    "verify": "the signature check and JSON parse (webhooks.verify)",
    "insert_unless_present": "the one INSERT ... ON CONFLICT DO NOTHING",
    "__exit__": "opening and committing the unit (session_scope exit)",
}
PROFILED_PROCESSING = {
    "_claim": "claiming the event (one UPDATE, its own unit)",
    "payment_state_of": "the Stripe read (stripe library over HTTP, stand-in's answer parsed)",
    "apply_state": "invoice, payment row, receipt rows (payments.apply_state)",
    "record": "of which the audit event (HMAC chain, trail.record)",
    "queue": "of which the receipt rows (receipts.queue)",
}


def profile_deliveries(events: list[dict]) -> None:
    """First deliveries through ``webhooks.receive`` in this process, then their processing
    (``webhook_queue.process_pending``), each under cProfile: where the CPU goes."""
    from fluxent.services.billing import webhook_queue, webhooks

    signed = [_signed(event) for event in events]
    for name, work, parts in (
        (
            "intake",
            lambda: [webhooks.receive(payload.encode(), headers["Stripe-Signature"]) for payload, headers in signed],
            PROFILED_INTAKE,
        ),
        ("processing", lambda: webhook_queue.process_pending(limit=len(signed)), PROFILED_PROCESSING),
    ):
        profiler = cProfile.Profile(time.process_time)
        started = time.process_time()
        profiler.enable()
        work()
        profiler.disable()
        per_event = (time.process_time() - started) / len(signed)
        stats = pstats.Stats(profiler).stats
        print(
            f"profile of the {name} of {len(signed)} first deliveries in one thread: {per_event * 1000:.1f} ms CPU each"
        )
        for function_name, what in parts.items():
            cumulative = sum(
                entry[3]
                for (path, _, function), entry in stats.items()
                if function == function_name and ("fluxent" in path or "contextlib" in path)
            )
            print(f"  {cumulative / len(signed) * 1000:5.1f} ms  {what}")


def ingestion(
    standin: subprocess.Popen, people, count: int, workers: int, workdir: Path, *, server_drains: bool
) -> None:
    """One burst of deliveries. ``server_drains``: as production runs, each server process's
    drainer thread processes events while others arrive. Otherwise the intake alone (the
    server's CPU is then the intake's own), and the queue drained afterwards by ``workers``
    threads of this process (the processing's own CPU)."""
    from sqlalchemy import func, select

    from fluxent.core.db import read_scope
    from fluxent.models.audit import AuditEvent
    from fluxent.models.billing import Invoice, InvoiceStatus, Payment, ReceiptOutbox, StripeEvent
    from fluxent.services.billing import receipts, webhook_queue

    events = _paid_events(people, count)
    invoice_ids = [int(event["data"]["object"]["metadata"]["invoice_id"]) for event in events]
    event_ids = [event["id"] for event in events]
    deliveries = events + random.Random(7).sample(events, len(events) // 5)
    random.Random(8).shuffle(deliveries)
    signed = [_signed(event) for event in deliveries]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ[DRAINER_SWITCH] = "on" if server_drains else "off"
    server = _serve(port, workers, workdir, SERVED_APP)
    local = threading.local()

    def deliver(delivery) -> int:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=60)
        payload, headers = delivery
        return local.client.post(WEBHOOK_PATH, content=payload, headers=headers).status_code

    try:
        _wait_healthy(base, server)
        server_cpu, standin_cpu = _cpu_seconds(server.pid), _cpu_seconds(standin.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(deliver, signed))
        elapsed = time.perf_counter() - started
        # A delivery answered 503 (busy: the write lock stayed taken) is sent again, as Stripe does.
        busy = [delivery for delivery, status in zip(signed, statuses, strict=True) if status == 503]
        statuses = [status for status in statuses if status != 503] + [deliver(delivery) for delivery in busy]
        if server_drains:
            drained = _wait_drained(event_ids, server) - started
        server_cpu = _cpu_seconds(server.pid) - server_cpu
        if not server_drains:
            draining, processing_cpu = time.perf_counter(), time.process_time()
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda _: webhook_queue.process_pending(limit=10 * count), range(workers)))
            draining, processing_cpu = time.perf_counter() - draining, time.process_time() - processing_cpu
        standin_cpu = _cpu_seconds(standin.pid) - standin_cpu
    finally:
        server.terminate()
        server.wait(timeout=120)  # granian stops its workers first; slow on a loaded machine
    sending = time.perf_counter()
    sent = receipts.send_due(limit=10 * count).sent
    sending = time.perf_counter() - sending
    mine = Invoice.id.in_(invoice_ids)
    with read_scope() as db:
        stored = db.scalar(
            select(func.count())
            .select_from(StripeEvent)
            .where(StripeEvent.event_id.in_(event_ids), StripeEvent.processed_at.is_not(None))
        )
        paid = db.scalar(select(func.count()).select_from(Invoice).where(mine, Invoice.status == InvoiceStatus.PAID))
        rows = db.scalar(select(func.count()).select_from(Payment).where(Payment.invoice_id.in_(invoice_ids)))
        audited = db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "billing.invoice_paid", AuditEvent.target_id.in_([str(i) for i in invoice_ids]))
        )
        outbox = ReceiptOutbox.invoice_id.in_(invoice_ids)
        queued = db.scalar(select(func.count()).select_from(ReceiptOutbox).where(outbox))
        unsent = db.scalar(
            select(func.count()).select_from(ReceiptOutbox).where(outbox, ReceiptOutbox.sent_at.is_(None))
        )
    rate = len(deliveries) / elapsed
    print(
        f"webhooks, {workers} worker(s), {'drainers in the server as in production' if server_drains else 'intake alone'}: "
        f"intake {rate:,.0f} events/s ({len(deliveries)} deliveries, {len(deliveries) - len(events)} duplicates, "
        f"8 at once, all answered in {elapsed:.2f}s; target >= 200/s: {'met' if rate >= 200 else 'NOT met'}; "
        f"{len(busy)} answered 503 and sent again)"
    )
    per_delivery = 1000 / len(deliveries)
    if server_drains:
        print(
            f"  queue drained {drained:.2f}s after the first delivery (every event processed): end to end "
            f"{len(deliveries) / drained:,.0f} deliveries/s, {count / drained:,.0f} payments/s"
        )
        print(
            f"  CPU per delivery, intake and processing: server {server_cpu * per_delivery:.1f} ms, stand-in "
            f"{standin_cpu * per_delivery:.1f} ms (load average now {os.getloadavg()[0]:.2f})"
        )
    else:
        print(
            f"  CPU per delivery: intake (server) {server_cpu * per_delivery:.1f} ms; processing afterwards "
            f"({workers} drainer thread(s) in this process, {draining:.2f}s, {count / draining:,.0f} events/s) "
            f"{processing_cpu * 1000 / count:.1f} ms per event, stand-in {standin_cpu * per_delivery:.1f} ms "
            f"(load average now {os.getloadavg()[0]:.2f})"
        )
    assert set(statuses) == {200}, statuses
    assert stored == paid == rows == audited == count, (stored, paid, rows, audited, count)
    assert queued == sent == 2 * count and unsent == 0, (queued, sent, unsent, count)
    print(
        f"  nothing double-counted: {count} events stored and processed, {paid} invoices paid, {rows} payments, "
        f"{audited} audit events, {queued} receipt rows (owner and billing e-mail) all sent once by the "
        f"receipt sender in {sending:.2f}s afterwards"
    )


def _wait_drained(event_ids: list[str], server: subprocess.Popen, timeout: float = 600) -> float:
    """Wait until the server's drainers have processed every one of ``event_ids``; when that was."""
    from sqlalchemy import func, select

    from fluxent.core.db import read_scope
    from fluxent.models.billing import StripeEvent

    deadline = time.perf_counter() + timeout
    waiting = StripeEvent.event_id.in_(event_ids), StripeEvent.processed_at.is_(None)
    while time.perf_counter() < deadline:
        with read_scope() as db:
            if not db.scalar(select(func.count()).select_from(StripeEvent).where(*waiting)):
                return time.perf_counter()
        if server.poll() is not None:
            raise SystemExit("the server exited; see server.log in the bench directory")
        time.sleep(0.05)
    raise SystemExit(f"the queue was not drained within {timeout:.0f}s")


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
