"""Sign-in sessions, one-time secrets and sign-in throttles. Only keyed hashes of tokens are stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class TokenPurpose(StrEnum):
    EMAIL_CODE = "email_code"
    MAGIC_LINK = "magic_link"
    PASSWORD_RESET = "password_reset"
    INVITATION = "invitation"
    EMAIL_CHANGE = "email_change"
    LOGIN_TICKET = "login_ticket"
    REAUTH = "reauth"
    ESIGN_CODE = "esign_code"
    SSO_STATE = "sso_state"
    # A privacy rights request: the code that confirms an address, and the link to the data export.
    PRIVACY_CODE = "privacy_code"
    PRIVACY_EXPORT = "privacy_export"
    # Passkeys: the challenge a new passkey signs, and the one of a sign-in's second step.
    PASSKEY_REGISTRATION = "passkey_registration"
    PASSKEY_SIGN_IN = "passkey_sign_in"


class AuthSession(SQLModel, table=True):
    """A signed-in browser. ``key_hash`` is the SHA-256 of the ``sessionid`` cookie."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=300)
    created_at: datetime = utc_column(default_now=True)
    last_seen_at: datetime = utc_column(default_now=True)
    expires_at: datetime = utc_column()
    revoked_at: datetime | None = utc_column(nullable=True)
    # The last step-up (password or e-mailed code) in this browser (``services.auth.step_up``).
    reauthenticated_at: datetime | None = utc_column(nullable=True)
    # An administrator viewing the portal as this organization's owner through the API
    # (``services.portal.view_as``): reads act for the owner, writes are refused.
    viewing_as_organization_id: int | None = Field(
        default=None, foreign_key="account_organization.id", ondelete="SET NULL"
    )


class OneTimeToken(SQLModel, table=True):
    """E-mail codes, magic links, reset tokens, invitations, single sign-on states: one table,
    hashed, short-lived."""

    __tablename__ = "auth_one_time_token"

    id: int | None = Field(default=None, primary_key=True)
    purpose: TokenPurpose = Field(sa_type=String(32), index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="account_user.id", index=True, ondelete="CASCADE")
    email: str = Field(default="", max_length=254, index=True)
    organization_id: int | None = Field(default=None, foreign_key="account_organization.id", ondelete="CASCADE")
    payload: str = Field(default="{}", max_length=4000)
    attempts: int = 0
    max_attempts: int = 5
    created_at: datetime = utc_column(default_now=True)
    expires_at: datetime = utc_column()
    used_at: datetime | None = utc_column(nullable=True)
    revoked_at: datetime | None = utc_column(nullable=True)


class AuthThrottle(SQLModel, table=True):
    """Failed sign-ins (or e-mail requests) counted per login string or IP address.

    Kept in the database, not in memory, so the count holds across worker
    processes. ``key`` is a scope plus a keyed hash of the login string or IP
    address, so the table says nothing readable about anyone.
    """

    __tablename__ = "auth_throttle"

    key: str = Field(primary_key=True, max_length=80)
    failures: int = 0
    window_started_at: datetime = utc_column(index=True)
    locked_until: datetime | None = utc_column(nullable=True)
