"""Receipts go through an outbox row written with the payment: they survive the process
stopping before sending, go exactly once (also with two senders at once), and are retried
after the mail server (a real SMTP server on loopback) failed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlmodel import Session

from fluxent.cli import main as cli
from fluxent.core import db
from fluxent.core.clock import now
from fluxent.core.settings import reset_settings
from fluxent.models.billing import Invoice, ReceiptOutbox
from fluxent.services.billing import payments, receipts
from tests.support.auth import Clock
from tests.support.billing import BILLING_EMAIL, issued_invoice
from tests.support.portal import outbox
from tests.unit.test_email import Collector, _free_port


def _rows() -> list[ReceiptOutbox]:
    with Session(db.get_engine()) as fresh:
        return list(fresh.scalars(select(ReceiptOutbox).order_by(ReceiptOutbox.id)))


def _receipts(data_dir) -> list[str]:
    return sorted(m["To"] for m in outbox(data_dir) if m["Subject"].startswith("Receipt: invoice"))


@pytest.fixture
def paid(session, world, data_dir) -> Invoice:
    """An invoice paid (by bank transfer: the same receipt as a card payment) and committed."""
    invoice = issued_invoice(session, world)
    payments.record_bank_transfer(session, actor=world.staff, invoice_id=invoice.id)
    session.commit()
    return invoice


def test_a_receipt_survives_a_stop_before_sending_and_goes_exactly_once(paid, world, data_dir, capsys):
    # The payment committed and no sender ran (the process stopped): the receipts wait in the outbox.
    rows = _rows()
    assert sorted(r.recipient for r in rows) == sorted([world.owner_a.email, BILLING_EMAIL])
    assert all(r.sent_at is None and r.invoice_id == paid.id for r in rows)
    assert _receipts(data_dir) == []
    assert cli(["billing", "send-receipts"]) == 0
    assert "2 receipt(s) sent" in capsys.readouterr().out
    assert _receipts(data_dir) == sorted([world.owner_a.email, BILLING_EMAIL])
    assert all(r.sent_at is not None and r.attempts == 1 for r in _rows())
    assert cli(["billing", "send-receipts"]) == 0  # nothing left: nothing sent twice
    assert "0 receipt(s) sent" in capsys.readouterr().out
    assert len(_receipts(data_dir)) == 2


def test_a_rolled_back_payment_leaves_no_receipt(session, world, data_dir):
    invoice = issued_invoice(session, world)
    payments.record_bank_transfer(session, actor=world.staff, invoice_id=invoice.id)
    session.rollback()
    assert _rows() == []
    assert receipts.send_due().sent == 0


def test_two_senders_at_once_send_each_receipt_once(paid, data_dir):
    start = threading.Barrier(4)
    results = []

    def sender():
        start.wait()
        results.append(receipts.send_due())

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(result.sent for result in results) == 2
    assert len(_receipts(data_dir)) == 2


def test_an_smtp_failure_is_kept_and_retried_later(paid, world, monkeypatch):
    port = _free_port()
    monkeypatch.setenv("FLUXENT_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("FLUXENT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLUXENT_SMTP_PORT", str(port))
    reset_settings()
    # No mail server listens yet: both fail, and wait for their retry.
    first = receipts.send_due()
    assert (first.sent, first.failed) == (0, 2)
    rows = _rows()
    assert all(r.sent_at is None and r.attempts == 1 and r.claimed_until is None for r in rows)
    assert all("Connection refused" in r.last_error or "Errno" in r.last_error for r in rows)
    assert all(r.next_attempt_at > now() + timedelta(seconds=50) for r in rows)
    assert receipts.send_due().failed == 0  # not due yet
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = now() + receipts.FIRST_RETRY + timedelta(seconds=1)
        assert receipts.send_due(clock=lambda: later).sent == 2
        assert receipts.send_due(clock=lambda: later + timedelta(hours=1)).sent == 0
    finally:
        controller.stop()
    assert sorted(m["To"] for m in handler.messages) == sorted([world.owner_a.email, BILLING_EMAIL])
    assert {m["Subject"] for m in handler.messages} == {f"Receipt: invoice {paid.number} paid"}
    assert all(r.sent_at is not None and r.attempts == 2 and r.last_error == "" for r in _rows())


def test_retries_back_off_and_stop_after_the_last_attempt(paid, monkeypatch, capsys):
    assert [receipts.retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert receipts.retry_delay(30) == receipts.LONGEST_RETRY
    monkeypatch.setenv("FLUXENT_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("FLUXENT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLUXENT_SMTP_PORT", str(_free_port()))
    reset_settings()
    clock = Clock()
    for _ in range(receipts.MAX_ATTEMPTS):
        assert receipts.send_due(clock=clock).failed == 2
        clock.advance(hours=6)
    summary = receipts.send_due(clock=clock)
    assert (summary.failed, summary.given_up) == (0, 2)
    assert cli(["billing", "send-receipts"]) == 1
    assert "2 receipt(s) given up" in capsys.readouterr().out


def test_the_sending_thread_picks_up_what_a_stopped_process_left(paid, data_dir):
    receipts.start_sender()
    try:
        deadline = now() + timedelta(seconds=30)
        while len(_receipts(data_dir)) < 2 and now() < deadline:
            threading.Event().wait(0.05)
    finally:
        receipts.stop_sender()
    assert len(_receipts(data_dir)) == 2
    assert all(r.sent_at is not None for r in _rows())
