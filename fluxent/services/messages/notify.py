"""Who hears about a new message: a notification in the portal, and an e-mail (a link, never
the text: answers are written in the portal, not by e-mail) for those who want it at once
(their e-mail preferences, ``services.notifications``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from fluxent import routes
from fluxent.models.accounts import Membership, User
from fluxent.models.engagements import Engagement, EngagementStaff
from fluxent.models.messages import Message, MessageRead
from fluxent.services.accounts import authz
from fluxent.services.auth.emails import _deliver, url
from fluxent.services.notifications import Kind, notify

# Someone whose thread was open this recently is taken to be reading it (an open tab refreshes
# its reader's ``seen_at`` every minute).
PRESENT_WITHIN = timedelta(minutes=2)


def participants(session: Session, engagement: Engagement) -> list[User]:
    """The organization's members and the staff assigned to the engagement, active ones only."""
    members = select(Membership.user_id).where(Membership.organization_id == engagement.organization_id)
    assigned = select(EngagementStaff.user_id).where(EngagementStaff.engagement_id == engagement.id)
    people = session.scalars(select(User).where(User.id.in_(members) | User.id.in_(assigned)).order_by(User.id))
    return [person for person in people if person.is_active and person.erased_at is None]


def recipients_to_email(
    session: Session, *, engagement: Engagement, message: Message, previous_id: int | None, moment: datetime
) -> list[User]:
    """The one place that decides who is e-mailed about ``message``.

    Every participant but the author who is not reading the thread right now (no open thread in
    the last ``PRESENT_WITHIN``) and had read it up to the message before this one
    (``previous_id``): one e-mail per run of unread messages, not one per message.
    """
    markers = {
        marker.user_id: marker
        for marker in session.scalars(select(MessageRead).where(MessageRead.engagement_id == engagement.id))
    }
    chosen = []
    for person in participants(session, engagement):
        if person.id == message.author_id:
            continue
        marker = markers.get(person.id)
        present = marker is not None and marker.seen_at >= moment - PRESENT_WITHIN
        caught_up = previous_id is None or (marker is not None and marker.last_read_message_id >= previous_id)
        if caught_up and not present:
            chosen.append(person)
    return chosen


def announce(
    session: Session,
    *,
    engagement: Engagement,
    message: Message,
    author: User,
    previous_id: int | None,
    moment: datetime,
) -> int:
    """Notify the chosen recipients, and e-mail those who want it now once the message commits;
    how many e-mails were queued."""
    recipients = recipients_to_email(
        session, engagement=engagement, message=message, previous_id=previous_id, moment=moment
    )
    who = "Fluxent" if message.author_is_staff else (author.name or author.username)
    mailed = 0
    for person in recipients:
        link = (
            routes.admin_engagement(engagement.id) if authz.is_staff(person) else routes.portal_messages(engagement.id)
        )
        if not notify(session, person.id, Kind.MESSAGE, f"New message about {engagement.title}", link, mail=False):
            continue
        mailed += 1
        _deliver(
            person.email,
            f"New message about {engagement.title}",
            [
                f"{who} wrote a new message in the conversation about {engagement.title}.",
                "Read it and answer in the portal; replies to this e-mail are not delivered.",
            ],
            link=(url(link), "Open the conversation"),
            session=session,
        )
    return mailed
