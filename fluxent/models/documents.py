"""Documents shared between Fluxent and a client organization, with their versions.

The bytes live in private storage (``fluxent.core.storage``) under a server-made
key; rows hold the sanitized display name, size, SHA-256 and the type detected
from the content. Deleting is soft (``deleted_at``) and older versions stay.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class Document(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_org_listing", "organization_id", "deleted_at", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", ondelete="CASCADE")
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id", index=True, ondelete="SET NULL")
    filename: str = Field(max_length=200)
    current_version: int = 1
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)
    deleted_at: datetime | None = utc_column(nullable=True)


class DocumentVersion(SQLModel, table=True):
    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "version", name="uq_document_version"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    version: int
    filename: str = Field(max_length=200)
    storage_key: str = Field(max_length=300, unique=True)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    content_type: str = Field(sa_type=String(120))
    uploaded_by_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    # Whether the uploader was Fluxent staff at the time (decides who is notified).
    uploaded_by_staff: bool = False
    created_at: datetime = utc_column(default_now=True)
