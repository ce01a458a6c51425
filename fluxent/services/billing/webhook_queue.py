"""Processing the Stripe events the webhook stored (``webhooks.receive``), after Stripe has its 2xx.

1. :func:`process_pending` takes the events waiting (oldest first, so one object's events go
   in the order they arrived) and claims each with an UPDATE only one drainer can win: with
   several server processes, on SQLite or PostgreSQL, each event is processed once.
2. For each, the object is fetched afresh from Stripe outside any transaction (the body is
   never trusted), then one short write marks the event processed (only while this drainer
   still holds it) and ``payments.apply_state`` brings the invoice up to date. A success
   event of a payment that already paid its invoice is marked processed without asking Stripe.
3. A failure (Stripe unreachable, a database error) leaves the event waiting with the attempt
   counted, the error's kind (never a message that could name someone) and a later try:
   1 min, 2, 4, ... at most 6 h apart, with no limit on attempts.

The drainer thread, which the app runs for its lifespan, processes what is waiting at start,
then whenever an intake commits an event, and every :data:`POLL_SECONDS` for retries; while
its process is answering deliveries it waits (at most :data:`GIVE_WAY_SECONDS` per event), so
a burst is acknowledged first and processed in the gaps.
``python -m fluxent billing process-webhooks`` (and ``billing reconcile``) runs the same, so
nothing stays waiting when no server runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.models.billing import StripeEvent
from fluxent.services import lease
from fluxent.services.billing import payments, stripe_gateway, webhooks

log = logging.getLogger(__name__)

CLAIM = timedelta(minutes=5)  # longer than any Stripe request with the library's retries
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
POLL_SECONDS = 60.0
# While this process is answering deliveries, its drainer waits (the answer is what Stripe
# waits for; processing can come a moment later), but never longer than this per event.
GIVE_WAY_SECONDS = 0.5
QUIET_SECONDS = 0.01  # no delivery for this long: the burst has paused


@dataclass(frozen=True)
class Summary:
    processed: int
    failed: int
    waiting: int  # still unprocessed after this run (retries not due yet included)
    changes: tuple[payments.Change, ...] = ()


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _due(moment):
    return (
        StripeEvent.processed_at.is_(None),
        StripeEvent.next_attempt_at <= moment,
        or_(StripeEvent.claimed_until.is_(None), StripeEvent.claimed_until < moment),
    )


def process_pending(
    *, clock: Clock = now, limit: int = 1000, before_each: Callable[[], object] | None = None
) -> Summary:
    """Process every stored event that is due now, oldest first; returns what happened.
    ``before_each`` runs before each event is claimed (the drainer thread gives way there)."""
    with read_scope() as session:
        ids = list(session.scalars(select(StripeEvent.id).where(*_due(clock())).order_by(StripeEvent.id).limit(limit)))
    processed = failed = 0
    changes: list[payments.Change] = []
    holder = lease.new_holder()
    for row_id in ids:
        if before_each is not None:
            before_each()
        claimed = _claim(row_id, holder, clock)
        if claimed is None:
            continue  # another drainer has it, or processed it already
        try:
            done = _process(row_id, holder, *claimed, clock=clock)
        except Exception as error:  # noqa: BLE001 - any failure is retried later
            failed += 1
            _release_failed(row_id, holder, clock, _kind_of(error))
            log.warning("Stripe event row %s not processed (%s); tried again later", row_id, _kind_of(error))
            continue
        if done is not None:
            processed += 1
            changes += done
    return Summary(processed=processed, failed=failed, waiting=count_waiting(), changes=tuple(changes))


def count_waiting() -> int:
    with read_scope() as session:
        return session.scalar(select(func.count()).select_from(StripeEvent).where(StripeEvent.processed_at.is_(None)))


def _claim(row_id: int, holder: str, clock: Clock) -> tuple[str, str, str | None] | None:
    """Hold the event for :data:`CLAIM`; its type, object id and PaymentIntent id, or None when lost."""
    moment = clock()
    with session_scope() as session:
        won = session.execute(
            update(StripeEvent)
            .where(StripeEvent.id == row_id, *_due(moment))
            .values(claimed_until=moment + CLAIM, claimed_by=holder)
        ).rowcount
        if not won:
            return None
        row = session.execute(
            select(StripeEvent.type, StripeEvent.object_id, StripeEvent.payment_intent_id).where(
                StripeEvent.id == row_id
            )
        ).one()
        return row.type, row.object_id, row.payment_intent_id


def _process(
    row_id: int, holder: str, event_type: str, object_id: str | None, intent_id: str | None, *, clock: Clock
) -> list[payments.Change] | None:
    """Fetch, then mark processed and apply in one transaction; None when the claim was lost meanwhile."""
    kind = webhooks.OBJECT_OF_TYPE.get(event_type)
    state = None
    if kind is not None and object_id:
        with read_scope() as session:
            settled = event_type in webhooks.SUCCESS_TYPES and webhooks.paid_by(session, intent_id)
        if not settled:
            state = stripe_gateway.payment_state_of(stripe_gateway.client(), kind, object_id)
    with session_scope() as session:
        still_mine = session.execute(
            update(StripeEvent)
            .where(StripeEvent.id == row_id, StripeEvent.claimed_by == holder, StripeEvent.processed_at.is_(None))
            .values(processed_at=clock(), claimed_until=None, claimed_by=None, last_error="")
        ).rowcount
        if not still_mine:
            return None
        return payments.apply_state(session, state, clock=clock) if state else []


def _release_failed(row_id: int, holder: str, clock: Clock, error: str) -> None:
    moment = clock()
    with session_scope() as session:
        row = session.get(StripeEvent, row_id)
        if row is None or row.claimed_by != holder or row.processed_at is not None:
            return
        row.attempts += 1
        row.claimed_until, row.claimed_by = None, None
        row.last_error, row.next_attempt_at = error, moment + retry_delay(row.attempts)
        session.add(row)


def _kind_of(error: Exception) -> str:
    """What went wrong, without the message (a Stripe or database message may quote personal data)."""
    kinds = []
    while error is not None and len(kinds) < 3:
        status = getattr(error, "http_status", None)
        kinds.append(f"{type(error).__name__}{f' HTTP {status}' if status else ''}")
        error = error.__cause__ or error.__context__
    return " from ".join(kinds)[:500]


# The drainer thread ---------------------------------------------------------------

_stopping = threading.Event()
_drainer: threading.Thread | None = None
_drainer_lock = threading.Lock()


def start_drainer() -> None:
    """Start this process's drainer thread (once) and let it look for waiting events now."""
    global _drainer
    with _drainer_lock:
        if _drainer is None or not _drainer.is_alive():
            _stopping.clear()
            _drainer = threading.Thread(target=_run, name="fluxent-stripe-events", daemon=True)
            _drainer.start()
    webhooks.arrived.set()


def stop_drainer(timeout: float = 30.0) -> None:
    """Let the thread finish the event it is processing, then stop it (at shutdown)."""
    global _drainer
    with _drainer_lock:
        thread, _drainer = _drainer, None
    if thread is not None:
        _stopping.set()
        webhooks.arrived.set()
        thread.join(timeout)


@contextlib.asynccontextmanager
async def draining() -> AsyncIterator[None]:
    """The app's lifespan task: events left waiting by a stopped process are processed at start."""
    start_drainer()
    try:
        yield
    finally:
        await asyncio.to_thread(stop_drainer)


def give_way_to_intake(*, longest: float = GIVE_WAY_SECONDS) -> None:
    """Wait while this process is taking deliveries in, at most ``longest`` seconds.

    The drainer shares the process (and its interpreter lock) with the requests: processing
    while a burst arrives would slow every answer to Stripe. A burst is answered first and
    processed in its gaps; under endless deliveries each event still goes after ``longest``.
    """
    deadline = time.monotonic() + longest
    while webhooks.receiving_now(quiet=QUIET_SECONDS) and time.monotonic() < deadline and not _stopping.is_set():
        time.sleep(0.005)


def _run() -> None:
    while not _stopping.is_set():
        webhooks.arrived.wait(POLL_SECONDS)
        webhooks.arrived.clear()
        if _stopping.is_set():
            return
        try:
            while process_pending(before_each=give_way_to_intake).processed and not _stopping.is_set():
                pass  # more may have arrived meanwhile, or the batch was full
        except Exception:  # noqa: BLE001 - the thread must outlive a database hiccup
            log.exception("the Stripe event drainer failed; it tries again")
