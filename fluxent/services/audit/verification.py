"""Checking the audit chain on demand, and remembering the outcome.

``python -m fluxent audit verify`` and the console's "Verify now" run the same
check. Its outcome is itself an audit event (``audit.verified``), so the last
verification survives restarts and is as tamper-evident as the rest of the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.models.accounts import User
from fluxent.models.audit import AuditEvent
from fluxent.services.accounts import authz
from fluxent.services.audit import trail

VERIFIED_ACTION = "audit.verified"


@dataclass(frozen=True)
class Verification:
    at: datetime
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str
    by_id: int | None  # None when the command line ran it


def verify_now(*, actor_id: int | None = None, engine: Engine | None = None, clock: Clock = now) -> trail.VerifyResult:
    """Walk the chain, then record the outcome; ``actor_id`` None is the operator's command.

    The walk runs in a read unit (on SQLite it never holds the write lock, however long
    the chain); only the outcome is written, in a brief write unit of its own.
    """
    with read_scope(engine) as session:
        if actor_id is not None:
            authz.require_admin(session.get(User, actor_id))
        result = trail.verify(session)
    meta = {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq, "reason": result.reason}
    with session_scope(engine) as session:
        trail.record(session, VERIFIED_ACTION, actor=actor_id, meta=meta, clock=clock)
    return result


def last_verification(session: Session, *, actor: User) -> Verification | None:
    """The most recent check (administrators only); None when the chain was never checked."""
    authz.require_admin(actor)
    row = session.scalars(
        select(AuditEvent).where(AuditEvent.action == VERIFIED_ACTION).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if row is None:
        return None
    meta = json.loads(row.meta)
    return Verification(
        at=row.created_at,
        ok=bool(meta.get("ok")),
        checked=int(meta.get("checked") or 0),
        broken_seq=meta.get("broken_seq"),
        reason=str(meta.get("reason") or ""),
        by_id=row.actor_id,
    )
