"""Restriction of processing (GDPR Art. 18): the flag other areas honour.

While an address is restricted, no marketing e-mail goes to it (newsletter issues skip
it), its leads leave the staff pipeline, and staff cannot change those leads; only a
request of the person's own changes their data. Kept as rows (lifted, never deleted),
so the desk can tell when a restriction began and ended.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict
from fluxent.models.privacy import ProcessingRestriction

RESTRICTED = "This person has restricted how we process their data: it can't be changed now."


def restricted(email_column: Any) -> Any:
    """A SQL condition: the address in ``email_column`` is under a restriction now."""
    return exists().where(ProcessingRestriction.email == email_column, col(ProcessingRestriction.lifted_at).is_(None))


def is_restricted(session: Session, email: str) -> bool:
    return _standing(session, email) is not None


def refuse_if_restricted(session: Session, email: str) -> None:
    if is_restricted(session, email):
        raise Conflict(RESTRICTED)


def restrict(session: Session, *, email: str, request_id: int | None, clock: Clock = now) -> ProcessingRestriction:
    """Restrict ``email`` (the standing restriction when there is one already)."""
    current = _standing(session, email)
    if current is not None:
        return current
    row = ProcessingRestriction(email=_lower(email), request_id=request_id, created_at=clock())
    session.add(row)
    session.flush()
    return row


def lift(session: Session, *, email: str, clock: Clock = now) -> ProcessingRestriction | None:
    """End the standing restriction of ``email`` (None when there is none)."""
    current = _standing(session, email)
    if current is not None:
        current.lifted_at = clock()
        session.add(current)
        session.flush()
    return current


def _standing(session: Session, email: str) -> ProcessingRestriction | None:
    return session.exec(
        select(ProcessingRestriction).where(
            ProcessingRestriction.email == _lower(email), col(ProcessingRestriction.lifted_at).is_(None)
        )
    ).first()


def _lower(email: str) -> str:
    return (email or "").strip().lower()
