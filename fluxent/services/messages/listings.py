"""What the messages pages show: the engagements a person can talk about with their unread
counts, and one conversation as the panel shows it (oldest first, with what may be attached)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import Organization, User
from fluxent.models.documents import Document
from fluxent.models.engagements import EngagementStatus
from fluxent.services.messages import thread
from fluxent.services.messages.thread import MessageLine
from fluxent.services.portal import engagements

# The panel shows the newest messages of a thread; the API pages through all of them.
PANEL_MESSAGES = 50
LISTED_ENGAGEMENTS = 100


@dataclass(frozen=True)
class ThreadLine:
    engagement_id: int
    title: str
    organization: str
    unread: int


@dataclass(frozen=True)
class Conversation:
    engagement_id: int
    title: str
    can_post: bool  # a closed engagement's thread is read-only
    lines: list[MessageLine]  # oldest first
    total: int
    unread: int  # before this read
    attachable: list[tuple[int, str]]  # (document id, file name) of the engagement's documents


def threads_for(session: Session, *, actor: User, organization_id: int | None = None) -> list[ThreadLine]:
    listed = engagements.list_engagements(
        session, actor=actor, organization_id=organization_id, page_size=LISTED_ENGAGEMENTS
    ).items
    wanted = {e.organization_id for e in listed}
    names = {
        row.id: row.name
        for row in session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(wanted)))
    }
    unread = thread.unread_counts(session, actor=actor, engagement_ids=[e.id for e in listed])
    return [ThreadLine(e.id, e.title, names.get(e.organization_id, ""), unread.get(e.id, 0)) for e in listed]


def total_unread(session: Session, *, actor: User) -> int:
    return sum(thread.unread_counts(session, actor=actor).values())


def conversation(session: Session, *, actor: User, engagement_id: int, mark_read: bool = True) -> Conversation:
    engagement = engagements.get_engagement(session, actor=actor, engagement_id=engagement_id)
    found = thread.thread_page(
        session, actor=actor, engagement_id=engagement.id, page_size=PANEL_MESSAGES, mark_read=mark_read
    )
    documents = [
        (row.id, row.filename)
        for row in session.execute(
            select(Document.id, Document.filename)
            .where(Document.engagement_id == engagement.id, Document.deleted_at.is_(None))
            .order_by(Document.filename, Document.id)
        )
    ]
    return Conversation(
        engagement_id=engagement.id,
        title=engagement.title,
        can_post=engagement.status != EngagementStatus.CLOSED,
        lines=list(reversed(found.page.items)),
        total=found.page.total,
        unread=found.unread,
        attachable=documents,
    )
