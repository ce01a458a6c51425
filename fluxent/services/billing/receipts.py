"""Receipts that survive the process stopping: an outbox row per recipient, written in the
transaction that records the payment, and a sender that delivers and retries.

1. :func:`queue` adds the rows with the payment; a rolled-back payment leaves none.
2. :func:`send_due` claims each due row (an UPDATE that only one sender can win, so two
   processes never send the same receipt), sends it outside any transaction, then marks it
   sent; a failure is kept with its message and tried again later (1 min, 2, 4, ... at most
   6 h apart), up to :data:`MAX_ATTEMPTS` times.
3. Rows left behind by a stopped process are picked up when the app starts (the sending
   thread, which the app runs for its lifespan) or by ``python -m fluxent billing send-receipts``.

A sender that stops after sending but before marking the row sent sends it once more when
the claim lapses: at least once, never twice while both are alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import after_commit, read_scope, session_scope
from fluxent.core.email import Email, send
from fluxent.models.billing import ReceiptOutbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
CLAIM = timedelta(minutes=5)  # longer than any SMTP conversation
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
POLL_SECONDS = 60.0  # the sending thread looks for retries this often when nothing wakes it


@dataclass(frozen=True)
class Summary:
    sent: int
    failed: int
    given_up: int


def queue(session: Session, invoice_id: int, emails: list[Email], *, clock: Clock = now) -> None:
    """Write the receipts with the caller's transaction; the sending thread is woken after it commits."""
    moment = clock()
    for email in emails:
        session.add(
            ReceiptOutbox(
                invoice_id=invoice_id,
                recipient=email.to,
                subject=email.subject,
                body_text=email.text,
                body_html=email.html,
                created_at=moment,
                next_attempt_at=moment,
            )
        )
    after_commit(session, _wake)


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _due(moment):
    return (
        ReceiptOutbox.sent_at.is_(None),
        ReceiptOutbox.attempts < MAX_ATTEMPTS,
        ReceiptOutbox.next_attempt_at <= moment,
        or_(ReceiptOutbox.claimed_until.is_(None), ReceiptOutbox.claimed_until < moment),
    )


def send_due(*, clock: Clock = now, limit: int = 500) -> Summary:
    """Send every receipt that is due now (oldest first); returns what happened."""
    with read_scope() as session:
        ids = list(
            session.scalars(select(ReceiptOutbox.id).where(*_due(clock())).order_by(ReceiptOutbox.id).limit(limit))
        )
    sent = failed = 0
    for outbox_id in ids:
        email = _claim(outbox_id, clock)
        if email is None:
            continue  # another sender has it, or sent it already
        try:
            send(email)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
            failed += 1
            _release(outbox_id, clock, error=f"{type(error).__name__}: {error}"[:500])
            log.warning("receipt %s not sent: %s", outbox_id, error)
        else:
            sent += 1
            _release(outbox_id, clock, error=None)
    with read_scope() as session:
        given_up = session.scalar(
            select(func.count())
            .select_from(ReceiptOutbox)
            .where(ReceiptOutbox.sent_at.is_(None), ReceiptOutbox.attempts >= MAX_ATTEMPTS)
        )
    return Summary(sent=sent, failed=failed, given_up=given_up)


def _claim(outbox_id: int, clock: Clock) -> Email | None:
    moment = clock()
    with session_scope() as session:
        won = session.execute(
            update(ReceiptOutbox)
            .where(ReceiptOutbox.id == outbox_id, *_due(moment))
            .values(claimed_until=moment + CLAIM)
        ).rowcount
        if not won:
            return None
        row = session.get(ReceiptOutbox, outbox_id)
        return Email(to=row.recipient, subject=row.subject, text=row.body_text, html=row.body_html)


def _release(outbox_id: int, clock: Clock, *, error: str | None) -> None:
    moment = clock()
    with session_scope() as session:
        row = session.get(ReceiptOutbox, outbox_id)
        row.attempts += 1
        row.claimed_until = None
        if error is None:
            row.sent_at, row.last_error = moment, ""
        else:
            row.last_error, row.next_attempt_at = error, moment + retry_delay(row.attempts)
        session.add(row)


# The sending thread -------------------------------------------------------------

_wakeup = threading.Event()
_stopping = threading.Event()
_sender: threading.Thread | None = None
_sender_lock = threading.Lock()


def start_sender() -> None:
    """Start this process's sending thread (once): it sends what is due now, then whenever a
    payment commits receipts, and every :data:`POLL_SECONDS` for retries."""
    global _sender
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            _stopping.clear()
            _sender = threading.Thread(target=_run, name="fluxent-receipts", daemon=True)
            _sender.start()
    _wakeup.set()


def stop_sender(timeout: float = 30.0) -> None:
    """Let the thread finish the receipt it is sending, then stop it (at shutdown)."""
    global _sender
    with _sender_lock:
        thread, _sender = _sender, None
    if thread is not None:
        _stopping.set()
        _wakeup.set()
        thread.join(timeout)


@contextlib.asynccontextmanager
async def sending() -> AsyncIterator[None]:
    """The app's lifespan task: receipts left by a stopped process go out at start."""
    start_sender()
    try:
        yield
    finally:
        await asyncio.to_thread(stop_sender)


def _wake() -> None:
    _wakeup.set()


def _run() -> None:
    while not _stopping.is_set():
        _wakeup.wait(POLL_SECONDS)
        _wakeup.clear()
        if _stopping.is_set():
            return
        try:
            send_due()
        except Exception:  # noqa: BLE001 - the thread must outlive a database hiccup
            log.exception("the receipt sender failed; it tries again")
