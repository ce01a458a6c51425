"""The auth area's entries in the privacy registry: sessions, one-time tokens and two-step
sign-in (throttle counters hold nothing about a person). The export lists which second-step
methods a person has, never a secret or a code."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from fluxent.models.two_step import Passkey, RecoveryCode, TwoStepMethod
from fluxent.services.privacy import sections
from fluxent.services.privacy.policy import (
    CREDENTIALS,
    LOG_AND_SESSION,
    RETENTION_ACCOUNTS,
    RETENTION_AUTH_TOKENS,
    LegalBasis,
)
from fluxent.services.privacy.registry import Delete, ExportContext, NotExported, Registry

_UNUSED_RECOVERY_CODES = (
    select(func.count(RecoveryCode.id))
    .where(RecoveryCode.user_id == TwoStepMethod.user_id, RecoveryCode.used_at.is_(None))  # type: ignore[union-attr]
    .scalar_subquery()
)


def _two_step_rows(ctx: ExportContext) -> Select:
    return (
        select(TwoStepMethod.kind, TwoStepMethod.confirmed_at, TwoStepMethod.last_used_at, _UNUSED_RECOVERY_CODES)
        .where(TwoStepMethod.user_id == ctx.user.id, TwoStepMethod.confirmed_at.is_not(None))  # type: ignore[union-attr]
        .order_by(TwoStepMethod.id)
    )


# Which second-step methods the person has, never their secrets.
TWO_STEP_METHODS = sections.rows_section(
    "two_step_methods",
    {
        "method": sections.STRING,
        "enrolled_at": sections.TIMESTAMP,
        "last_used_at": sections.OPTIONAL_TIMESTAMP,
        "recovery_codes_left": sections.INTEGER,
    },
    _two_step_rows,
)


def _passkey_rows(ctx: ExportContext) -> Select:
    return (
        select(Passkey.name, Passkey.created_at, Passkey.last_used_at)
        .where(Passkey.user_id == ctx.user.id)
        .order_by(Passkey.id)  # type: ignore[arg-type]
    )


# Each passkey's name and dates; never its key or credential id.
PASSKEYS = sections.rows_section(
    "passkeys",
    {"name": sections.STRING, "added_at": sections.TIMESTAMP, "last_used_at": sections.OPTIONAL_TIMESTAMP},
    _passkey_rows,
)


def register_auth(registry: Registry) -> None:
    registry.register(
        table="auth_session",
        description="Signed-in sessions: when, from which IP address and browser",
        personal=("ip", "user_agent", "created_at", "last_seen_at"),
        categories=(LOG_AND_SESSION,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        retention_detail="a session ends at sign-out or after its idle and absolute time-outs",
        export=sections.SESSIONS,
        erase=Delete(),
    )

    registry.register(
        table="auth_one_time_token",
        description="One-time sign-in codes, magic links, password-reset links and invitations",
        personal=("email", "payload"),
        categories=(CREDENTIALS,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_AUTH_TOKENS,
        export=NotExported(
            "Only one-way hashes of short-lived one-time codes are kept, addressed to the e-mail in your "
            "profile; there is nothing readable to hand over. Your sign-ins are listed under sign_ins."
        ),
        erase=Delete(),
        owner_email=("email",),
    )

    registry.register(
        table="auth_two_step_method",
        description="Two-step sign-in: which authenticator app method you set up, when, and when it was last used",
        personal=("sealed_secret", "created_at", "confirmed_at", "last_used_at"),
        categories=(CREDENTIALS,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        retention_detail="until you switch two-step sign-in off or your account is deleted",
        export=TWO_STEP_METHODS,
        erase=Delete(),
    )

    registry.register(
        table="auth_recovery_code",
        description="Recovery codes for two-step sign-in, kept only as one-way hashes",
        personal=("code_hash", "created_at", "used_at"),
        categories=(CREDENTIALS,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        retention_detail="until replaced, until two-step sign-in is switched off, or until your account is deleted",
        export=NotExported(
            "Recovery codes are kept only as one-way hashes; how many are left is listed under two_step_methods."
        ),
        erase=Delete(),
    )

    registry.register(
        table="auth_passkey",
        description="Passkeys for two-step sign-in: the name you gave each, when it was added and last used, "
        "and its public key (the private key stays on your device)",
        personal=("credential_id", "public_key", "name", "transports", "created_at", "last_used_at"),
        categories=(CREDENTIALS,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        retention_detail="until you remove the passkey or your account is deleted",
        export=PASSKEYS,
        erase=Delete(),
    )

    registry.exempt(
        table="auth_throttle",
        reason="Failure counters keyed by a keyed one-way hash of a login string or IP address, "
        "reset on success and deleted a day after they go quiet: nothing in it can be read back to a person.",
    )
