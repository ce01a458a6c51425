"""The credential vault: per-engagement data keys (wrapped) and encrypted items with their versions.

Only ciphertext is stored (``core.vault_crypto``); titles, kinds and tags are
metadata in clear. Deleting an engagement's data key crypto-shreds its items.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class VaultItemKind(StrEnum):
    LOGIN = "login"
    API_KEY = "api_key"
    SSH_KEY = "ssh_key"
    DATABASE_URL = "database_url"
    SECURE_NOTE = "secure_note"


class VaultDataKey(SQLModel, table=True):
    """An engagement's AES-256 data key, wrapped by the key-encryption key its blob names."""

    __tablename__ = "vault_data_key"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", index=True, ondelete="CASCADE")
    engagement_id: int = Field(foreign_key="engagement.id", unique=True, ondelete="CASCADE")
    wrapped: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = utc_column(default_now=True)
    rotated_at: datetime | None = utc_column(nullable=True)


class VaultItem(SQLModel, table=True):
    __tablename__ = "vault_item"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="account_organization.id", index=True, ondelete="CASCADE")
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    kind: VaultItemKind = Field(sa_type=String(16))
    # The item's name as people see it ("AWS production"); called title so it is not taken for a person's name.
    title: str = Field(max_length=200)
    tags: str = Field(default="", max_length=500)  # comma-separated, lower case
    version: int = 1  # the current entry of ``vault_item_version``
    created_by_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    updated_by_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)


class VaultItemVersion(SQLModel, table=True):
    """One value of an item, encrypted; earlier ones stay until the item is deleted."""

    __tablename__ = "vault_item_version"
    __table_args__ = (UniqueConstraint("item_id", "version", name="uq_vault_item_version"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="vault_item.id", index=True, ondelete="CASCADE")
    version: int
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="SET NULL")
    created_at: datetime = utc_column(default_now=True)
