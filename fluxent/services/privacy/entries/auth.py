"""The auth area's entries in the privacy registry: sessions and one-time tokens (throttle
counters hold nothing about a person)."""

from __future__ import annotations

from fluxent.services.privacy import sections
from fluxent.services.privacy.policy import (
    CREDENTIALS,
    LOG_AND_SESSION,
    RETENTION_ACCOUNTS,
    RETENTION_AUTH_TOKENS,
    LegalBasis,
)
from fluxent.services.privacy.registry import Delete, NotExported, Registry


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

    registry.exempt(
        table="auth_throttle",
        reason="Failure counters keyed by a keyed one-way hash of a login string or IP address, "
        "reset on success and deleted a day after they go quiet: nothing in it can be read back to a person.",
    )
