"""Privacy registrations for engagement messages and read markers (imported from
``privacy.entries``, which holds the registry).

Erasure takes the author's link off their messages, so the thread shows "Erased user", and
keeps the text: the other party's answers refer to it, and it is project correspondence the
organization keeps for the engagement, like its documents. The read markers are deleted.
"""

from __future__ import annotations

from sqlalchemy import select

from fluxent.models.accounts import Organization
from fluxent.models.engagements import Engagement
from fluxent.models.messages import Message, MessageRead
from fluxent.services.privacy.policy import PROJECT_CONTENT, RETENTION_ACCOUNTS, LegalBasis
from fluxent.services.privacy.registry import Anonymize, Delete, Registry
from fluxent.services.privacy.sections import BOOLEAN, INTEGER, STRING, TIMESTAMP, rows_section

MESSAGES_WRITTEN = rows_section(
    "messages",
    {"organization": STRING, "engagement": STRING, "body": STRING, "reply": BOOLEAN, "sent_at": TIMESTAMP},
    lambda ctx: (
        select(
            Organization.name,
            Engagement.title,
            Message.body,
            Message.parent_id.is_not(None),
            Message.created_at,
        )
        .join(Engagement, Engagement.id == Message.engagement_id)
        .join(Organization, Organization.id == Engagement.organization_id)
        .where(Message.author_id == ctx.user.id)
        .order_by(Message.created_at, Message.id)
    ),
)

MESSAGE_READS = rows_section(
    "message_reads",
    {"organization": STRING, "engagement": STRING, "last_read_message": INTEGER, "last_seen_at": TIMESTAMP},
    lambda ctx: (
        select(Organization.name, Engagement.title, MessageRead.last_read_message_id, MessageRead.seen_at)
        .join(Engagement, Engagement.id == MessageRead.engagement_id)
        .join(Organization, Organization.id == Engagement.organization_id)
        .where(MessageRead.user_id == ctx.user.id)
        .order_by(MessageRead.id)
    ),
)


def register_messages(registry: Registry) -> None:
    contract = registry.area(basis=LegalBasis.CONTRACT, retention=RETENTION_ACCOUNTS, categories=(PROJECT_CONTENT,))
    contract(
        table="engagement_message",
        description="Messages you wrote in an engagement's conversation",
        personal=("author_id",),
        retention_detail=(
            "the text stays in the organization's conversation, shown as written by an erased user; "
            "your link to it is removed"
        ),
        export=MESSAGES_WRITTEN,
        erase=Anonymize({"author_id": None}),
        owner=("author_id",),
    )
    contract(
        table="engagement_message_read",
        description="How far you have read each engagement's conversation, and when you last had it open",
        personal=("user_id", "seen_at"),
        export=MESSAGE_READS,
        erase=Delete(),
    )
