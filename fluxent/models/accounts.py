"""People and the organizations they belong to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class Role(StrEnum):
    CLIENT = "client"
    STAFF = "staff"
    ADMIN = "admin"


class OrgRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class User(SQLModel, table=True):
    """A person who can sign in. ``email`` and ``username`` are stored lower-cased,
    so their unique indexes are case-insensitive on every database."""

    __tablename__ = "account_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    company: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=2)
    role: Role = Field(default=Role.CLIENT, sa_type=String(16))
    password_hash: str | None = Field(default=None, max_length=128)
    is_active: bool = True
    email_verified_at: datetime | None = utc_column(nullable=True)
    last_login_at: datetime | None = utc_column(nullable=True)
    erased_at: datetime | None = utc_column(nullable=True)
    # Retention: a client whose engagements have all closed is told, then archived (signed out, disabled).
    archive_notice_sent_at: datetime | None = utc_column(nullable=True)
    archived_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column(default_now=True)
    updated_at: datetime = utc_column(default_now=True)


class Organization(SQLModel, table=True):
    """A client company; its engagements and documents hang off it."""

    __tablename__ = "account_organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    created_at: datetime = utc_column(default_now=True)


class Membership(SQLModel, table=True):
    __tablename__ = "account_membership"
    __table_args__ = (UniqueConstraint("user_id", "organization_id", name="uq_membership_user_org"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="account_organization.id", index=True, ondelete="CASCADE")
    role: OrgRole = Field(default=OrgRole.MEMBER, sa_type=String(16))
    created_at: datetime = utc_column(default_now=True)


class StaffProfile(SQLModel, table=True):
    """What the Team page may show of a staff member. ``links`` holds http(s) addresses, one a
    line; ``photo_key`` names the resized photo in storage, ``photo_updated_at`` versions its URL."""

    __tablename__ = "account_staff_profile"

    user_id: int = Field(foreign_key="account_user.id", primary_key=True, ondelete="CASCADE")
    title: str = Field(default="", max_length=120)
    team: str = Field(default="", max_length=120)
    listed_on_team_page: bool = False
    bio: str = Field(default="", max_length=400)
    links: str = Field(default="", max_length=1000)
    photo_key: str | None = Field(default=None, max_length=200)
    photo_updated_at: datetime | None = utc_column(nullable=True)
