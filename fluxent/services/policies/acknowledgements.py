"""The portal's notice of announced policy versions, until each signed-in person acknowledges it.

A person is asked about announcements made while they had an account (someone who joined
later accepted the policy as it then was), and about the newest announced version of each
document only. Acknowledging records the person, the version and the time, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound
from fluxent.models.accounts import User
from fluxent.models.policies import PolicyAcknowledgement, PolicyAnnouncement
from fluxent.services.audit import trail
from fluxent.services.policies.versions import display_date


@dataclass(frozen=True)
class PendingNotice:
    announcement_id: int
    title: str
    version: int
    changes: str
    effective: str  # "December 21, 2026"
    href: str  # the document's page


def pending_for(session: Session, *, user: User) -> list[PendingNotice]:
    """What the banner shows ``user``: the newest announcement of each document they have not acknowledged."""
    acknowledged = select(PolicyAcknowledgement.announcement_id).where(PolicyAcknowledgement.user_id == user.id)
    rows = session.scalars(
        select(PolicyAnnouncement)
        .where(PolicyAnnouncement.announced_at >= user.created_at)
        .order_by(PolicyAnnouncement.document, PolicyAnnouncement.version.desc())
    ).all()
    newest = {row.document: row for row in reversed(rows)}  # reversed: the highest version of each wins
    done = set(session.scalars(acknowledged))
    return [
        PendingNotice(
            announcement_id=row.id,
            title=row.title,
            version=row.version,
            changes=row.changes,
            effective=display_date(row.effective_on),
            href=routes.LEGAL_DOCUMENTS[row.document],
        )
        for row in sorted(newest.values(), key=lambda row: row.id)
        if row.id not in done
    ]


def acknowledge(session: Session, *, user: User, announcement_id: int, clock: Clock = now) -> PolicyAcknowledgement:
    """Record that ``user`` acknowledged the announcement (the first time only; again is a no-op)."""
    announcement = session.get(PolicyAnnouncement, announcement_id)
    if announcement is None:
        raise NotFound("There is no such policy notice.")
    existing = session.scalars(
        select(PolicyAcknowledgement).where(
            PolicyAcknowledgement.user_id == user.id, PolicyAcknowledgement.announcement_id == announcement_id
        )
    ).one_or_none()
    if existing is not None:
        return existing
    row = PolicyAcknowledgement(user_id=user.id, announcement_id=announcement_id, acknowledged_at=clock())
    session.add(row)
    session.flush()
    trail.record(
        session,
        "policy.acknowledged",
        actor=user,
        target=announcement,
        meta={"document": announcement.document, "version": announcement.version},
        clock=clock,
    )
    return row
