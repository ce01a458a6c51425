"""Creating a person's notifications, listing them, and marking them read.

``notify`` is the one way in for every area: it records the notification in the caller's
transaction and says whether the person wants the e-mail for it now (their category's
delivery, ``preferences``). With ``mail=True`` it sends a plain notice e-mail itself; areas
that have an e-mail of their own for the event pass ``mail=False`` and send theirs only to
those it names. A notification for the daily digest waits in ``digest_due``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import User
from fluxent.models.notifications import Notification
from fluxent.services.notifications import emails
from fluxent.services.notifications.kinds import CATEGORY_OF, Delivery, Kind
from fluxent.services.notifications.preferences import delivery_for
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate

MAX_TITLE = 300
MAX_LINK = 500
MAX_MARKED = 100


def _check(kind: Kind | str, title: str, link: str) -> tuple[Kind, str]:
    try:
        kind = Kind(kind)
    except ValueError:
        raise ValidationFailed("Unknown notification kind.", fields={"kind": "Unknown notification kind."}) from None
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:  # names inside a title (files, engagements) may be long: shorten, never refuse
        title = title[: MAX_TITLE - 1] + "\u2026"
    fields = {}
    if not title or text_problem(title):
        fields["title"] = "Give a one-line title."
    if not (link.startswith("/") and not link.startswith("//") and len(link) <= MAX_LINK) or text_problem(link):
        fields["link"] = "The link is a path on this site, such as /portal/engagements."
    if fields:
        raise ValidationFailed("The notification is not valid.", fields=fields)
    return kind, title


def notify(
    session: Session, person_id: int, kind: Kind | str, title: str, link: str, *, mail: bool = True, clock: Clock = now
) -> bool:
    """Tell ``person_id`` about an event; True when they want its e-mail now (sent here when ``mail``).

    Nobody is told about anything after their account was deactivated or erased (False).
    """
    kind, title = _check(kind, title, link)
    person = session.get(User, person_id)
    if person is None or not person.is_active or person.erased_at is not None:
        return False
    delivery = delivery_for(session, person.id, CATEGORY_OF[kind])
    session.add(
        Notification(
            user_id=person.id,
            kind=kind,
            title=title,
            link=link,
            created_at=clock(),
            digest_due=delivery == Delivery.DIGEST,
        )
    )
    session.flush()
    if delivery != Delivery.IMMEDIATELY:
        return False
    if mail:
        emails.notice(session, person, title=title, link=link)
    return True


def notify_each(
    session: Session,
    people: Iterable[User],
    kind: Kind | str,
    title: str,
    link: str,
    *,
    mail: bool = False,
    clock: Clock = now,
) -> list[User]:
    """``notify`` each person once; the ones who want the e-mail now."""
    unique = {person.id: person for person in people}
    return [
        person for person in unique.values() if notify(session, person.id, kind, title, link, mail=mail, clock=clock)
    ]


def list_notifications(
    session: Session, *, user: User, unread_only: bool = False, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Page[Notification]:
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(session, statement, page=page, page_size=page_size)


def unread_count(session: Session, *, user: User) -> int:
    return session.execute(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def mark_read(session: Session, *, user: User, ids: Iterable[int] | None, clock: Clock = now) -> int:
    """Mark the person's notifications ``ids`` read (every unread one for None); returns how many changed.

    An id that is not one of theirs is NotFound, and nothing changes: another person's
    notification is not theirs to know about.
    """
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        wanted = set(ids)
        if not 1 <= len(wanted) <= MAX_MARKED:
            raise ValidationFailed(f"Name 1-{MAX_MARKED} notifications.", fields={"ids": f"1-{MAX_MARKED} ids"})
        own = set(
            session.scalars(select(Notification.id).where(Notification.id.in_(wanted), Notification.user_id == user.id))
        )
        if own != wanted:
            raise NotFound("No such notification.")
        statement = statement.where(Notification.id.in_(wanted))
    return session.execute(statement.values(read_at=clock())).rowcount or 0


# Retention: a read notification goes after READ_KEPT, any notification after KEPT.
READ_KEPT = timedelta(days=90)
KEPT = timedelta(days=365)


def _expired(moment: datetime) -> tuple:
    return (
        (col(Notification.read_at) < moment - READ_KEPT) | (col(Notification.created_at) < moment - KEPT),
        col(Notification.digest_due).is_(False),
    )


def count_expired(session: Session, *, moment: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(*_expired(moment))) or 0


def purge_expired(session: Session, *, moment: datetime, limit: int) -> int:
    """Delete up to ``limit`` notifications past retention (one waiting for its digest stays); how many."""
    batch = select(Notification.id).where(*_expired(moment)).limit(limit)
    return session.execute(delete(Notification).where(col(Notification.id).in_(batch))).rowcount or 0
