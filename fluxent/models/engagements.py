"""Fixed-price builds for one organization, their milestones and the staff assigned to them.

Money is integer minor units (cents) with an ISO 4217 currency code; milestone
amounts add up to the engagement's fixed price (enforced in ``services.portal.engagements``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class EngagementStatus(StrEnum):
    SCOPING = "scoping"
    PROPOSED = "proposed"
    ACTIVE = "active"
    DELIVERED = "delivered"
    CLOSED = "closed"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CHANGES_REQUESTED = "changes_requested"


class Engagement(SQLModel, table=True):
    __tablename__ = "engagement"
    __table_args__ = (Index("ix_engagement_org_status", "organization_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", ondelete="CASCADE")
    title: str = Field(max_length=200)
    scope_summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    fixed_price_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(max_length=3)
    start_date: date | None = None
    target_date: date | None = None
    status: EngagementStatus = Field(default=EngagementStatus.SCOPING, sa_type=String(16))
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)
    closed_at: datetime | None = utc_column(nullable=True)


class EngagementStaff(SQLModel, table=True):
    """A staff member assigned to an engagement (notified of client uploads and decisions)."""

    __tablename__ = "engagement_staff"
    __table_args__ = (UniqueConstraint("engagement_id", "user_id", name="uq_engagement_staff"),)

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = utc_column(default_now=True)


class Milestone(SQLModel, table=True):
    __tablename__ = "engagement_milestone"

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # What the client checks before accepting, one criterion a line.
    acceptance_criteria: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
    due_date: date | None = None
    amount_minor: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: MilestoneStatus = Field(default=MilestoneStatus.PLANNED, sa_type=String(24))
    # The client's reason when asking for changes (or a remark on acceptance).
    client_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    submitted_at: datetime | None = utc_column(nullable=True)
    submitted_by_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")
    decided_at: datetime | None = utc_column(nullable=True)
    decided_by_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)


class MilestoneDeliverable(SQLModel, table=True):
    """What a milestone hands over: a link (http/https) or one of the engagement's documents."""

    __tablename__ = "engagement_milestone_deliverable"

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="engagement_milestone.id", index=True, ondelete="CASCADE")
    position: int = 0
    label: str = Field(default="", max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True, ondelete="CASCADE")
