"""Spam defence for the public forms, with no third party: a honeypot field, a
minimum fill time proven by a signed form stamp, and per-IP throttles kept in the
database (``services/throttle``).

A form stamp is ``<unix seconds>.<keyed signature>``, handed out when the form is
shown; the server, not the browser, decides when the form was opened.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import ValidationFailed
from fluxent.core.tokens import token_hash
from fluxent.services.auth import throttle

MIN_FILL = timedelta(seconds=3)
STAMP_MAX_AGE = timedelta(hours=12)
HONEYPOT_FIELD = "website"

# Forms sent per IP address: a handful per hour is plenty for a person.
LEAD_IP = throttle.Policy(
    "lead-ip", free=5, window=timedelta(hours=1), first_lock=timedelta(minutes=5), max_lock=timedelta(hours=1)
)
NEWSLETTER_IP = throttle.Policy(
    "newsletter-ip", free=5, window=timedelta(hours=1), first_lock=timedelta(minutes=5), max_lock=timedelta(hours=1)
)
# Confirmation e-mails to one address.
NEWSLETTER_ADDRESS = throttle.Policy(
    "newsletter-mail", free=3, window=timedelta(hours=1), first_lock=timedelta(minutes=15), max_lock=timedelta(hours=6)
)

_STAMP_PURPOSE = "form-stamp"
TOO_FAST = "That was quicker than we expected. Please check the form and send it again."
STALE = "This form has been open for a long time. Reload the page and send it again."
MISSING_STAMP = "The form stamp is missing: send the stamp from GET /api/v1/forms/stamp/ with the form."


def new_stamp(*, clock: Clock = now) -> str:
    seconds = str(int(clock().timestamp()))
    return f"{seconds}.{token_hash(seconds, purpose=_STAMP_PURPOSE)}"


def check_stamp(stamp: str, *, clock: Clock = now) -> None:
    """Refuse a missing, forged, too-fresh or too-old stamp."""
    if not stamp:
        raise ValidationFailed(MISSING_STAMP, fields={"stamp": MISSING_STAMP})
    seconds, _, signature = (stamp or "").partition(".")
    if not seconds.isdigit() or not hmac.compare_digest(signature, token_hash(seconds, purpose=_STAMP_PURPOSE)):
        raise ValidationFailed(STALE)
    age = clock().timestamp() - int(seconds)
    if age < MIN_FILL.total_seconds():
        raise ValidationFailed(TOO_FAST)
    if age > STAMP_MAX_AGE.total_seconds():
        raise ValidationFailed(STALE)


def is_bot(honeypot: str) -> bool:
    """A filled honeypot: people never see the field, so only robots fill it."""
    return bool((honeypot or "").strip())


def count(session: Session, policy: throttle.Policy, value: str, *, clock: Clock = now) -> None:
    """Refuse when ``value`` is locked under ``policy``, otherwise count this attempt.

    The count is committed at once, so a submission refused later (bad input, no
    consent) still counts against the sender; call this before anything else is written.
    """
    if not value:
        return
    refuse_if_locked(session, policy, value, clock=clock)
    throttle.record(session, policy, value, clock=clock)
    session.commit()


def refuse_if_locked(session: Session, policy: throttle.Policy, value: str, *, clock: Clock = now) -> None:
    """Raise RateLimited when ``value`` is locked under ``policy``, counting nothing."""
    if value:
        throttle.check(session, (policy, value), clock=clock)
