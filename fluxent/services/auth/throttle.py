"""Throttles for sign-in failures and e-mail requests, kept in the database.

A throttle counts events under a key (a scope plus a keyed hash of a login string
or IP address). The first ``free`` events of a window cost nothing; each one after
that locks the key for ``first_lock``, doubling up to ``max_lock``. The count
starts over once the key has been quiet (no event and no lock) for a whole window.

Rows live in ``auth_throttle``, so every worker process sees the same counts; each
update locks its row (PostgreSQL ``FOR UPDATE``; SQLite transactions already hold
the write lock), so concurrent failures are all counted.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.db import insert_unless_present
from fluxent.core.errors import RateLimited
from fluxent.core.tokens import token_hash
from fluxent.models.auth import AuthThrottle

_HASH_PURPOSE = "throttle"
# A quiet key is forgotten after this long (see ``purge``).
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    scope: str
    free: int
    window: timedelta = timedelta(minutes=15)
    first_lock: timedelta = timedelta(seconds=30)
    max_lock: timedelta = timedelta(minutes=15)

    def lock_for(self, failures: int) -> timedelta | None:
        over = failures - self.free
        if over <= 0:
            return None
        return min(self.first_lock * (2 ** min(over - 1, 20)), self.max_lock)


# Failed sign-ins per account, by user id: its username and e-mail share one budget.
ACCOUNT = Policy("account", free=5)
# Failed sign-ins per login string that names no account.
UNKNOWN_LOGIN = Policy("login", free=5)
# Failed sign-ins (passwords, codes, links) per IP address.
IP = Policy("ip", free=30)
# Codes and links e-mailed to one address, and asked for from one IP address.
MAIL_ADDRESS = Policy("mail", free=5)
MAIL_IP = Policy("mail-ip", free=30)
# Single sign-ons started from one IP address (each stores the flow's secrets for a while).
SSO_IP = Policy("sso-ip", free=30)


def normalize_login(value: str) -> str:
    """The form a login string (or e-mail address) is counted and looked up under: NFKC,
    trimmed, lower-case, control characters replaced (no account has one, and PostgreSQL
    refuses NUL in text)."""
    folded = unicodedata.normalize("NFKC", value or "").strip().lower()
    return "".join("\ufffd" if unicodedata.category(char) == "Cc" else char for char in folded)


def for_account(user_id: int) -> tuple[Policy, str]:
    """The budget that wrong passwords for an account count against, however it was named."""
    return ACCOUNT, str(user_id)


def key_for(policy: Policy, value: str) -> str:
    return f"{policy.scope}:{token_hash(value, purpose=_HASH_PURPOSE)}"


def retry_after(session: Session, policy: Policy, value: str, *, clock: Clock = now) -> int | None:
    """Seconds until ``value`` may try again under ``policy``, or None when it may now."""
    row = session.get(AuthThrottle, key_for(policy, value), populate_existing=True)
    if row is None or row.locked_until is None:
        return None
    remaining = (row.locked_until - clock()).total_seconds()
    return math.ceil(remaining) if remaining > 0 else None


def check(session: Session, *checks: tuple[Policy, str], clock: Clock = now) -> None:
    """Raise RateLimited (with the longest wait) when any of the keys is locked."""
    waits = [wait for policy, value in checks if (wait := retry_after(session, policy, value, clock=clock))]
    if waits:
        seconds = max(waits)
        raise RateLimited(f"Too many attempts. Try again in {_describe(seconds)}.", retry_after=seconds)


def record(session: Session, policy: Policy, value: str, *, clock: Clock = now) -> int:
    """Count one event for ``value``; lock the key when past the free allowance. Returns the count."""
    moment = clock()
    row = _locked_row(session, key_for(policy, value), moment)
    quiet_since = max(row.window_started_at, row.locked_until or row.window_started_at)
    if moment - quiet_since >= policy.window:
        row.failures, row.window_started_at, row.locked_until = 0, moment, None
    row.failures += 1
    lock = policy.lock_for(row.failures)
    if lock is not None:
        row.locked_until = moment + lock
    session.add(row)
    session.flush()
    return row.failures


def clear(session: Session, policy: Policy, value: str) -> None:
    session.execute(delete(AuthThrottle).where(AuthThrottle.key == key_for(policy, value)))


def _quiet(moment: datetime):
    cutoff = moment - STALE_AFTER
    return (
        AuthThrottle.window_started_at < cutoff,
        (AuthThrottle.locked_until.is_(None)) | (AuthThrottle.locked_until < cutoff),
    )


def count_quiet(session: Session, *, moment: datetime) -> int:
    return session.scalar(select(func.count()).select_from(AuthThrottle).where(*_quiet(moment))) or 0


def purge(session: Session, *, moment: datetime, limit: int) -> int:
    """Forget up to ``limit`` keys that have been quiet for a day (retention); returns how many."""
    batch = select(AuthThrottle.key).where(*_quiet(moment)).limit(limit)
    result = session.execute(delete(AuthThrottle).where(col(AuthThrottle.key).in_(batch)))
    return result.rowcount or 0


def _locked_row(session: Session, key: str, moment: datetime) -> AuthThrottle:
    """The key's row, created if missing, locked until the transaction ends."""
    insert_unless_present(
        session,
        AuthThrottle,
        {"key": key, "failures": 0, "window_started_at": moment, "locked_until": None},
        unique=["key"],
    )
    statement = (
        select(AuthThrottle).where(AuthThrottle.key == key).with_for_update().execution_options(populate_existing=True)
    )
    return session.exec(statement).one()


def _describe(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
