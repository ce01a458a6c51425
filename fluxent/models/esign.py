"""E-signature: envelopes sent for signature, their signers and the fields each signer fills.

An envelope points at one version of a portal document (the original, whose
SHA-256 is kept) and, once completed, at the sealed result (its SHA-256 is what
``/verify`` looks up). Field positions are relative to the page (0..1 from the
top-left corner), so they hold whatever size the page is drawn at. A signer's
link token is kept only as a keyed hash. Consent and signing evidence (times,
IP address, user agent, how the signer was verified) sit on the signer's row.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class EnvelopeStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    COMPLETED = "completed"
    DECLINED = "declined"
    VOIDED = "voided"
    EXPIRED = "expired"


class SigningOrder(StrEnum):
    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"


class EnvelopePurpose(StrEnum):
    STATEMENT_OF_WORK = "statement_of_work"
    CHANGE_ORDER = "change_order"
    OTHER = "other"


class SignerStatus(StrEnum):
    WAITING = "waiting"  # not asked yet (a draft, or an earlier signer comes first)
    INVITED = "invited"
    SIGNED = "signed"
    DECLINED = "declined"


class FieldKind(StrEnum):
    SIGNATURE = "signature"
    INITIALS = "initials"
    DATE = "date"
    TEXT = "text"
    CHECKBOX = "checkbox"


class Envelope(SQLModel, table=True):
    __tablename__ = "esign_envelope"
    __table_args__ = (Index("ix_esign_envelope_org_status", "organization_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", ondelete="CASCADE")
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id", index=True, ondelete="SET NULL")
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="RESTRICT")
    document_version: int
    purpose: EnvelopePurpose = Field(default=EnvelopePurpose.STATEMENT_OF_WORK, sa_type=String(24))
    title: str = Field(max_length=200)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    signing_order: SigningOrder = Field(default=SigningOrder.SEQUENTIAL, sa_type=String(16))
    status: EnvelopeStatus = Field(default=EnvelopeStatus.DRAFT, sa_type=String(16))
    page_count: int
    original_sha256: str = Field(max_length=64)
    original_storage_key: str = Field(max_length=300)
    final_sha256: str | None = Field(default=None, max_length=64, index=True)
    final_storage_key: str | None = Field(default=None, max_length=300)
    final_size: int = 0
    final_document_id: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    expires_at: datetime = utc_column()
    remind_every_days: int = 0
    last_reminded_at: datetime | None = utc_column(nullable=True)
    created_by_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    void_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)
    sent_at: datetime | None = utc_column(nullable=True)
    completed_at: datetime | None = utc_column(nullable=True)
    ended_at: datetime | None = utc_column(nullable=True)  # declined, voided or expired


class EnvelopeSigner(SQLModel, table=True):
    __tablename__ = "esign_signer"

    id: int | None = Field(default=None, primary_key=True)
    envelope_id: int = Field(foreign_key="esign_envelope.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)
    user_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    countersigner: bool = False
    status: SignerStatus = Field(default=SignerStatus.WAITING, sa_type=String(16))
    link_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    invited_at: datetime | None = utc_column(nullable=True)
    viewed_at: datetime | None = utc_column(nullable=True)
    verified_by: str = Field(default="", max_length=32)
    consent_version: str = Field(default="", max_length=16)
    consented_at: datetime | None = utc_column(nullable=True)
    consent_ip: str = Field(default="", max_length=45)
    consent_user_agent: str = Field(default="", max_length=300)
    signature_kind: str = Field(default="", max_length=16)
    signature_text: str = Field(default="", max_length=200)
    # A drawn signature: PNG as a data URL.
    signature_image: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    signed_at: datetime | None = utc_column(nullable=True)
    signed_ip: str = Field(default="", max_length=45)
    signed_user_agent: str = Field(default="", max_length=300)
    declined_at: datetime | None = utc_column(nullable=True)
    decline_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class EnvelopeField(SQLModel, table=True):
    __tablename__ = "esign_field"

    id: int | None = Field(default=None, primary_key=True)
    envelope_id: int = Field(foreign_key="esign_envelope.id", index=True, ondelete="CASCADE")
    signer_id: int = Field(foreign_key="esign_signer.id", index=True, ondelete="CASCADE")
    kind: FieldKind = Field(sa_type=String(16))
    page: int  # 0-based
    x: float
    y: float
    width: float
    height: float
    required: bool = True
    label: str = Field(default="", max_length=100)
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    filled_at: datetime | None = utc_column(nullable=True)
