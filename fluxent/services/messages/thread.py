"""Posting to an engagement's thread, reading it a page at a time, and each person's read marker.

The marker is the newest message id a person has read in a thread, and when they last had the
thread open (``seen_at``, refreshed at most once a minute while it stays open); unread messages
are the newer ones written by someone else. Reading a thread as someone else (an administrator
viewing the portal as a client) passes ``mark_read=False`` and moves nobody's marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.db import insert_unless_present, write_soon
from fluxent.core.errors import Conflict, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import User
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus
from fluxent.models.messages import Message, MessageRead
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import visible_organization_ids
from fluxent.services.audit import trail
from fluxent.services.messages import notify
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from fluxent.services.portal.engagements import get_engagement

MAX_BODY = 10_000
QUOTE_LENGTH = 140
ERASED_AUTHOR = "Erased user"
# An open thread refreshes its reader's ``seen_at`` at most this often.
SEEN_REFRESH = timedelta(minutes=1)


@dataclass(frozen=True)
class MessageLine:
    id: int
    author: str  # the author's name, or "Erased user"
    by_staff: bool
    mine: bool
    body: str
    created_at: datetime
    parent_id: int | None
    quoted: str  # the start of the message it answers ("" for none)
    quoted_author: str
    document_id: int | None
    document_name: str
    download_url: str  # the attachment's API download path ("" for none)
    unread: bool


@dataclass(frozen=True)
class ThreadPage:
    """One page of a thread, newest first, and how many messages the reader had not read."""

    page: Page[MessageLine]
    unread: int


# Posting ----------------------------------------------------------------------------


def post_message(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    body: str,
    parent_id: int | None = None,
    document_id: int | None = None,
    clock: Clock = now,
) -> Message:
    """Post ``body`` to the engagement's thread; the author has read everything up to it."""
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    text = check_body(body)
    if engagement.status == EngagementStatus.CLOSED:
        raise Conflict("This engagement is closed: its messages can be read but not answered.")
    _check_parent(session, engagement, parent_id)
    _check_attachment(session, engagement, document_id)
    previous = _latest_id(session, engagement.id)
    moment = clock()
    message = Message(
        engagement_id=engagement.id,
        author_id=actor.id,
        author_is_staff=authz.is_staff(actor),
        parent_id=parent_id,
        document_id=document_id,
        body=text,
        created_at=moment,
    )
    session.add(message)
    session.flush()
    trail.record(
        session,
        "messages.posted",
        actor=actor,
        target=message,
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "reply": parent_id is not None, "attachment": document_id is not None},
        clock=clock,
    )
    _advance(session, engagement.id, actor.id, message.id, moment)
    notify.announce(session, engagement=engagement, message=message, author=actor, previous_id=previous, moment=moment)
    return message


def check_body(body: str) -> str:
    """The message's text, trimmed; ValidationFailed naming ``body`` when it is empty, too long or unreadable."""
    text = body.strip()
    problem = text_problem(text, multiline=True)
    if not text:
        problem = "Write a message first."
    elif len(text) > MAX_BODY:
        problem = f"Keep a message to {MAX_BODY:,} characters (this one has {len(text):,})."
    if problem:
        raise ValidationFailed(problem, fields={"body": problem})
    return text


def _check_parent(session: Session, engagement: Engagement, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = session.get(Message, parent_id)
    if parent is None or parent.engagement_id != engagement.id:
        problem = "The message you answer is not in this conversation."
        raise ValidationFailed(problem, fields={"parent_id": problem})


def _check_attachment(session: Session, engagement: Engagement, document_id: int | None) -> None:
    """An attachment is one of the engagement's documents (uploaded under the documents' rules)."""
    if document_id is None:
        return
    document = session.get(Document, document_id)
    if document is None or document.deleted_at is not None or document.engagement_id != engagement.id:
        problem = "Attach a document of this engagement (upload it under Documents first)."
        raise ValidationFailed(problem, fields={"document_id": problem})


def _latest_id(session: Session, engagement_id: int) -> int | None:
    return session.execute(select(func.max(Message.id)).where(Message.engagement_id == engagement_id)).scalar_one()


# Reading ----------------------------------------------------------------------------


def thread_page(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    mark_read: bool = True,
    clock: Clock = now,
) -> ThreadPage:
    """A page of the thread, newest first, with the unread count from before this read.

    With ``mark_read`` the reader's marker moves to the newest message (written after the
    read, so a read unit never takes the write lock) when it has to.
    """
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    statement = select(Message).where(Message.engagement_id == engagement.id).order_by(Message.id.desc())
    found = paginate(session, statement, page=page, page_size=page_size)
    marker = _marker(session, engagement.id, actor.id)
    read_up_to = marker.last_read_message_id if marker else 0
    unread = session.execute(
        select(func.count()).where(
            Message.engagement_id == engagement.id,
            Message.id > read_up_to,
            or_(Message.author_id.is_(None), Message.author_id != actor.id),
        )
    ).scalar_one()
    lines = _lines(session, found.items, actor, read_up_to)
    if mark_read:
        newest = _latest_id(session, engagement.id) or 0
        moment = clock()
        stale = marker is None or marker.seen_at < moment - SEEN_REFRESH
        if newest > read_up_to or stale:
            user_id = actor.id
            write_soon(session, lambda writer: _advance(writer, engagement.id, user_id, newest, moment))
    return ThreadPage(Page(lines, found.total, found.page, found.page_size), unread)


def line_of(session: Session, *, actor: User, message: Message) -> MessageLine:
    """One message as the thread shows it to ``actor`` (e.g. the answer to its posting)."""
    marker = _marker(session, message.engagement_id, actor.id)
    return _lines(session, [message], actor, marker.last_read_message_id if marker else 0)[0]


def unread_counts(session: Session, *, actor: User, engagement_ids: list[int] | None = None) -> dict[int, int]:
    """Unread messages by engagement, for the engagements the person takes part in.

    A client's are their organizations' engagements; staff's (admins' too) those they are
    assigned to or have read before. ``engagement_ids`` narrows the answer.
    """
    marker = and_(MessageRead.engagement_id == Message.engagement_id, MessageRead.user_id == actor.id)
    statement = (
        select(Message.engagement_id, func.count())
        .join(Engagement, Engagement.id == Message.engagement_id)
        .outerjoin(MessageRead, marker)
        .where(
            Message.id > func.coalesce(MessageRead.last_read_message_id, 0),
            or_(Message.author_id.is_(None), Message.author_id != actor.id),
        )
        .group_by(Message.engagement_id)
    )
    visible = visible_organization_ids(session, actor)
    if visible is not None:
        statement = statement.where(Engagement.organization_id.in_(visible))
    else:
        assigned = select(EngagementStaff.engagement_id).where(EngagementStaff.user_id == actor.id)
        statement = statement.where(or_(Engagement.id.in_(assigned), MessageRead.id.is_not(None)))
    if engagement_ids is not None:
        statement = statement.where(Message.engagement_id.in_(engagement_ids))
    return {engagement_id: count for engagement_id, count in session.execute(statement)}


def _marker(session: Session, engagement_id: int, user_id: int) -> MessageRead | None:
    return session.scalars(
        select(MessageRead).where(MessageRead.engagement_id == engagement_id, MessageRead.user_id == user_id)
    ).first()


def _advance(session: Session, engagement_id: int, user_id: int, message_id: int, moment: datetime) -> None:
    """Move the person's marker forward to ``message_id`` (never back) and note they were here."""
    insert_unless_present(
        session,
        MessageRead.__table__,
        {"engagement_id": engagement_id, "user_id": user_id, "last_read_message_id": 0, "seen_at": moment},
        unique=["engagement_id", "user_id"],
    )
    session.execute(
        update(MessageRead)
        .where(MessageRead.engagement_id == engagement_id, MessageRead.user_id == user_id)
        .values(
            last_read_message_id=case(
                (MessageRead.last_read_message_id < message_id, message_id), else_=MessageRead.last_read_message_id
            ),
            seen_at=moment,
        )
        .execution_options(synchronize_session=False)
    )


def _lines(session: Session, items: list[Message], actor: User, read_up_to: int) -> list[MessageLine]:
    parents = _parents(session, items)
    people = _names(session, {m.author_id for m in items} | {p.author_id for p in parents.values()})
    documents = _documents(session, {m.document_id for m in items if m.document_id is not None})
    lines = []
    for message in items:
        parent = parents.get(message.parent_id) if message.parent_id else None
        document = documents.get(message.document_id) if message.document_id else None
        lines.append(
            MessageLine(
                id=message.id,
                author=people.get(message.author_id, ERASED_AUTHOR),
                by_staff=message.author_is_staff,
                mine=message.author_id is not None and message.author_id == actor.id,
                body=message.body,
                created_at=message.created_at,
                parent_id=message.parent_id,
                quoted=quote(parent.body) if parent else "",
                quoted_author=people.get(parent.author_id, ERASED_AUTHOR) if parent else "",
                document_id=document.id if document else None,
                document_name=document.filename if document else "",
                download_url=routes.api_document_download(document.id) if document else "",
                unread=message.id > read_up_to and message.author_id != actor.id,
            )
        )
    return lines


def quote(body: str) -> str:
    """The start of a message on one line, as a reply shows what it answers."""
    flat = " ".join(body.split())
    return flat if len(flat) <= QUOTE_LENGTH else flat[: QUOTE_LENGTH - 1].rstrip() + "\u2026"


def _parents(session: Session, items: list[Message]) -> dict[int, Message]:
    wanted = {m.parent_id for m in items if m.parent_id is not None}
    if not wanted:
        return {}
    return {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(wanted)))}


def _names(session: Session, user_ids: set[int | None]) -> dict[int | None, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name, User.username, User.erased_at).where(User.id.in_(wanted)))
    return {user_id: name or username for user_id, name, username, erased_at in rows if erased_at is None}


def _documents(session: Session, document_ids: set[int]) -> dict[int, Document]:
    """Attachments still on the engagement (a deleted document shows as no attachment)."""
    if not document_ids:
        return {}
    found = session.scalars(select(Document).where(Document.id.in_(document_ids), Document.deleted_at.is_(None)))
    return {document.id: document for document in found}
