"""The notification centre: what concerns a person, their e-mail choices per category, and
which scheduled reminders went out (each stage once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class Notification(SQLModel, table=True):
    """One item in a person's notification centre; ``digest_due`` while it waits for the daily digest."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", ondelete="CASCADE")
    kind: str = Field(sa_type=String(32))
    title: str = Field(max_length=300)
    link: str = Field(default="", max_length=500)
    created_at: datetime = utc_column(default_now=True)
    read_at: datetime | None = utc_column(nullable=True)
    digest_due: bool = Field(default=False, index=True)


class NotificationPreference(SQLModel, table=True):
    """How a person wants a category's e-mail: ``immediately``, ``digest`` or ``off`` (no row: immediately)."""

    __tablename__ = "notification_preference"

    user_id: int = Field(foreign_key="account_user.id", ondelete="CASCADE", primary_key=True)
    category: str = Field(sa_type=String(24), primary_key=True)
    delivery: str = Field(sa_type=String(16))


class ReminderSent(SQLModel, table=True):
    """A scheduled reminder that went out: the stage of one subject, recorded so it goes once."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("subject", "subject_id", "stage", name="uq_reminder_sent"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(sa_type=String(24))
    subject_id: int
    stage: str = Field(sa_type=String(24))
    sent_at: datetime = utc_column(default_now=True)
