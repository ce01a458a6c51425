"""A lease row in the database, so a job runs in one process at a time across every machine.

Works alike on SQLite and PostgreSQL: taking the lease is one short transaction (an insert
that does nothing when the row exists, then an update that only succeeds on an expired
lease), and nothing stays locked while the job runs. A holder that dies loses the lease
when it expires; a long job renews it as it goes.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from fluxent.core.clock import Clock, now
from fluxent.core.db import insert_unless_present, session_scope
from fluxent.models.maintenance import MaintenanceLease

_NEVER_HELD = datetime(1970, 1, 1, tzinfo=UTC)


def new_holder() -> str:
    """A name for this attempt: machine, process and a random part (two runs in one process differ)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def acquire(job: str, *, holder: str, ttl: timedelta, clock: Clock = now) -> bool:
    """Take the lease of ``job`` for ``ttl`` unless someone else holds it; True when taken."""
    with session_scope() as session:
        insert_unless_present(
            session, MaintenanceLease, {"job": job, "holder": "", "expires_at": _NEVER_HELD}, unique=["job"]
        )
        moment = clock()
        result = session.execute(
            update(MaintenanceLease)
            .where(
                MaintenanceLease.job == job,
                (MaintenanceLease.expires_at <= moment) | (MaintenanceLease.holder == holder),
            )
            .values(holder=holder, expires_at=moment + ttl)
        )
        return result.rowcount == 1


def renew(job: str, *, holder: str, ttl: timedelta, clock: Clock = now) -> bool:
    """Extend a lease still held by ``holder``; False when it was lost (expired and taken)."""
    with session_scope() as session:
        result = session.execute(
            update(MaintenanceLease)
            .where(MaintenanceLease.job == job, MaintenanceLease.holder == holder)
            .values(expires_at=clock() + ttl)
        )
        return result.rowcount == 1


def release(job: str, *, holder: str) -> None:
    with session_scope() as session:
        session.execute(
            update(MaintenanceLease)
            .where(MaintenanceLease.job == job, MaintenanceLease.holder == holder)
            .values(expires_at=_NEVER_HELD)
        )
