"""Announced versions of the legal policies, the notices mailed about them, and who acknowledged them.

The policy texts themselves are files (``fluxent/content/legal``); a row here records that a
version was announced, with the words people were told, so the notice and the portal banner
say the same thing even after the files move on.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class PolicyAnnouncement(SQLModel, table=True):
    """A version of a legal document announced to everyone before it takes effect."""

    __tablename__ = "policy_announcement"
    __table_args__ = (UniqueConstraint("document", "version", name="uq_policy_announcement_version"),)

    id: int | None = Field(default=None, primary_key=True)
    document: str = Field(max_length=40)  # the file's slug: privacy, terms, cookies, fulfillment
    version: int
    title: str = Field(max_length=200)
    changes: str = Field(sa_type=Text)
    effective_on: date
    announced_at: datetime = utc_column(default_now=True)


class PolicyNotice(SQLModel, table=True):
    """One person's e-mail about an announcement: written for everyone first, then sent one by one,
    so a run that stops half-way resumes with the people not yet mailed."""

    __tablename__ = "policy_notice"
    __table_args__ = (UniqueConstraint("announcement_id", "email", name="uq_policy_notice_recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="policy_announcement.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254, index=True)
    claimed_until: datetime | None = utc_column(nullable=True)
    sent_at: datetime | None = utc_column(nullable=True)


class PolicyAcknowledgement(SQLModel, table=True):
    """A signed-in person acknowledged an announced version (the portal banner's button)."""

    __tablename__ = "policy_acknowledgement"
    __table_args__ = (UniqueConstraint("user_id", "announcement_id", name="uq_policy_acknowledgement"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    announcement_id: int = Field(foreign_key="policy_announcement.id", index=True, ondelete="CASCADE")
    acknowledged_at: datetime = utc_column(default_now=True)
