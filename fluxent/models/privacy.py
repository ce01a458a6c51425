"""Privacy rights requests (access, deletion, correction, restriction, objection, appeal)
and the restrictions of processing they leave in force."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class RequestKind(StrEnum):
    ACCESS = "access"
    DELETION = "deletion"
    CORRECTION = "correction"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    APPEAL = "appeal"


class RequestStatus(StrEnum):
    # Sent from the public form; waits for the code e-mailed to the requester.
    UNCONFIRMED = "unconfirmed"
    OPEN = "open"
    CLOSED = "closed"


class RequestOutcome(StrEnum):
    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    DENIED = "denied"
    NOTHING_HELD = "nothing_held"


class PrivacyRequest(SQLModel, table=True):
    """One rights request and its clock: due 45 days after receipt (an appeal: 60), once extendable.

    The requester is the subject, or an authorized agent (``agent_*``) acting for them;
    either way the subject's identity is confirmed by a code e-mailed to the subject
    (``subject_verified_at``) before any of their data is released or changed.
    """

    __tablename__ = "privacy_request"

    id: int | None = Field(default=None, primary_key=True)
    kind: RequestKind = Field(sa_type=String(16), index=True)
    status: RequestStatus = Field(default=RequestStatus.OPEN, sa_type=String(16), index=True)
    subject_email: str = Field(max_length=254, index=True)
    subject_name: str = Field(default="", max_length=200)
    # The subject's account, when the address is one's.
    user_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    details: str = Field(default="", sa_type=Text)
    # A parent asking us to delete their child's data (policy section 11): always a deletion.
    child: bool = False
    agent_name: str = Field(default="", max_length=200)
    agent_email: str = Field(default="", max_length=254)
    agent_authority: str = Field(default="", sa_type=Text)
    # Staff who logged a request that arrived by e-mail or post (None: the public form).
    created_by_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")
    received_at: datetime = utc_column(default_now=True)
    requester_verified_at: datetime | None = utc_column(nullable=True)
    subject_verified_at: datetime | None = utc_column(nullable=True)
    due_at: datetime = utc_column(index=True)
    extended_at: datetime | None = utc_column(nullable=True)
    extension_reason: str = Field(default="", max_length=1000)
    staff_note: str = Field(default="", sa_type=Text)
    appeal_of_id: int | None = Field(default=None, foreign_key="privacy_request.id", index=True, ondelete="SET NULL")
    closed_at: datetime | None = utc_column(nullable=True)
    outcome: RequestOutcome | None = Field(default=None, sa_type=String(24))
    outcome_note: str = Field(default="", sa_type=Text)
    decided_by_id: int | None = Field(default=None, foreign_key="account_user.id", ondelete="SET NULL")


class ProcessingRestriction(SQLModel, table=True):
    """A person's data under restriction (GDPR Art. 18): no marketing e-mail, their leads out
    of the pipeline, and nothing changed except on their own request. Lifted, not deleted."""

    __tablename__ = "privacy_restriction"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    request_id: int | None = Field(default=None, foreign_key="privacy_request.id", ondelete="SET NULL")
    created_at: datetime = utc_column(default_now=True)
    lifted_at: datetime | None = utc_column(nullable=True)
