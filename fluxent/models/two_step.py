"""Two-step sign-in (part of the auth area): a person's second-step methods and recovery codes.

An authenticator's secret is stored sealed (``core/sealing.py``), never in clear;
recovery codes only as keyed hashes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class TwoStepKind(StrEnum):
    TOTP = "totp"


class TwoStepMethod(SQLModel, table=True):
    """One second-step method of a person. Until ``confirmed_at`` it is an enrolment in progress."""

    __tablename__ = "auth_two_step_method"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_two_step_user_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    kind: TwoStepKind = Field(sa_type=String(16))
    sealed_secret: str = Field(max_length=200)
    # The last time step whose code was accepted: a code is good once, even within its window.
    last_step: int = 0
    created_at: datetime = utc_column(default_now=True)
    confirmed_at: datetime | None = utc_column(nullable=True)
    last_used_at: datetime | None = utc_column(nullable=True)


class RecoveryCode(SQLModel, table=True):
    """A single-use recovery code, as a keyed hash; shown to the person once, when made."""

    __tablename__ = "auth_recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = utc_column(default_now=True)
    used_at: datetime | None = utc_column(nullable=True)


class Passkey(SQLModel, table=True):
    """A person's passkey (WebAuthn credential), a second step in place of an app code.

    Only the public key is stored; the private key never leaves the person's device.
    ``sign_count`` is the authenticator's counter at the last use: a lower one is refused.
    """

    __tablename__ = "auth_passkey"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True, ondelete="CASCADE")
    # base64url, as the browser names the credential.
    credential_id: str = Field(max_length=1400, unique=True)
    public_key: str = Field(max_length=2000)
    sign_count: int = 0
    # Comma-separated (usb, nfc, ble, internal, hybrid): a hint to the browser, not a rule.
    transports: str = Field(default="", max_length=100)
    name: str = Field(max_length=60)
    created_at: datetime = utc_column(default_now=True)
    last_used_at: datetime | None = utc_column(nullable=True)
