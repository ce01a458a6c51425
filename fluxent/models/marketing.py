"""Leads from the contact and scope forms, consent records, and the newsletter.

No token is stored readable: newsletter confirmation tokens are kept as keyed
hashes, unsubscribe links are keyed signatures computed when a message is sent,
and an unsubscribed address survives only as a keyed hash in the suppression list.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    WON = "won"
    LOST = "lost"
    ARCHIVED = "archived"


class LeadSource(StrEnum):
    CONTACT = "contact"
    SCOPE = "scope"


class Lead(SQLModel, table=True):
    """An inquiry from the contact form or the guided "Scope a build" form."""

    __tablename__ = "marketing_lead"

    id: int | None = Field(default=None, primary_key=True)
    source: LeadSource = Field(default=LeadSource.CONTACT, sa_type=String(16))
    status: LeadStatus = Field(default=LeadStatus.NEW, sa_type=String(16), index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)
    phone: str = Field(default="", max_length=40)
    company: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=80)
    message: str = Field(default="", sa_type=Text)
    # The scope form's answers (empty for contact-form leads).
    audience: str = Field(default="", max_length=1000)
    timeline: str = Field(default="", max_length=40)
    budget: str = Field(default="", max_length=40)
    created_at: datetime = utc_column(default_now=True)
    last_activity_at: datetime = utc_column(default_now=True, index=True)
    # Set once, when staff convert the lead into a client organization.
    organization_id: int | None = Field(default=None, foreign_key="account_organization.id", ondelete="SET NULL")
    converted_at: datetime | None = utc_column(nullable=True)


class LeadNote(SQLModel, table=True):
    """A staff note on a lead: its activity timeline. Goes with the lead (erasure, deletion)."""

    __tablename__ = "marketing_lead_note"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="marketing_lead.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")
    body: str = Field(sa_type=Text)
    created_at: datetime = utc_column(default_now=True)


class ConsentSubject(StrEnum):
    CONTACT = "contact_form"
    NEWSLETTER = "newsletter"


class ConsentRecord(SQLModel, table=True):
    """What a person agreed to, under which policy version, and when."""

    __tablename__ = "marketing_consent"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    subject: ConsentSubject = Field(sa_type=String(32))
    statement: str = Field(max_length=1000)
    policy_version: str = Field(max_length=20)
    agreed_at: datetime = utc_column(default_now=True)
    lead_id: int | None = Field(default=None, foreign_key="marketing_lead.id", ondelete="CASCADE")
    subscription_id: int | None = Field(
        default=None, foreign_key="marketing_newsletter_subscription.id", ondelete="CASCADE"
    )


class NewsletterSubscription(SQLModel, table=True):
    """A newsletter sign-up: pending until the e-mailed link is opened, then confirmed."""

    __tablename__ = "marketing_newsletter_subscription"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    confirm_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    confirm_expires_at: datetime | None = utc_column(nullable=True)
    requested_at: datetime = utc_column(default_now=True)
    confirmed_at: datetime | None = utc_column(nullable=True)


class NewsletterSuppression(SQLModel, table=True):
    """An address that unsubscribed, kept only as a keyed hash so it is never mailed again."""

    __tablename__ = "marketing_newsletter_suppression"

    email_hash: str = Field(primary_key=True, max_length=64)
    created_at: datetime = utc_column(default_now=True)
