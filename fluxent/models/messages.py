"""Each engagement's conversation between the client organization and Fluxent, and how far each
person has read it.

A message may answer an earlier one of the same thread (``parent_id``) and may point at a document
of the engagement (``document_id``: the file itself is an ordinary portal document, uploaded under
the documents' rules). The author's link is nulled when they are erased; the text stays, so the
thread keeps making sense to the other party.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class Message(SQLModel, table=True):
    __tablename__ = "engagement_message"
    __table_args__ = (Index("ix_engagement_message_thread", "engagement_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    # Whether the author wrote as Fluxent staff (how the thread labels them, also after erasure).
    author_is_staff: bool = False
    parent_id: int | None = Field(default=None, foreign_key="engagement_message.id", ondelete="SET NULL")
    document_id: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = utc_column(default_now=True)


class MessageRead(SQLModel, table=True):
    """How far one person has read one engagement's thread, and when they last had it open."""

    __tablename__ = "engagement_message_read"
    __table_args__ = (UniqueConstraint("engagement_id", "user_id", name="uq_engagement_message_read"),)

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    last_read_message_id: int = 0
    seen_at: datetime = utc_column()
