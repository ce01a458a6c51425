"""The daily digest (``python -m fluxent notifications digest``): one e-mail per person with
the notifications that waited for it, each sent once.

Each person is one short transaction that takes their waiting notifications (locked on
PostgreSQL, so two runs at once cannot both send them) and sends after it commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.models.notifications import Notification
from fluxent.services.notifications import emails


def _send_one(session: Session, user_id: int) -> bool:
    items = list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id, Notification.digest_due.is_(True))
            .order_by(Notification.created_at, Notification.id)
            .with_for_update()
        )
    )
    if not items:
        return False
    for item in items:
        item.digest_due = False
        session.add(item)
    person = session.get(User, user_id)
    if person.is_active and person.erased_at is None:
        emails.digest(session, person, items)
        return True
    return False


def send_digests() -> int:
    """Send every waiting digest; returns how many e-mails went."""
    with session_scope() as session:
        people = list(session.scalars(select(Notification.user_id).where(Notification.digest_due.is_(True)).distinct()))
    sent = 0
    for user_id in people:
        with session_scope() as session:
            sent += _send_one(session, user_id)
    return sent
