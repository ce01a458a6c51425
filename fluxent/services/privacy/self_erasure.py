"""Deleting your own account: re-authenticate, then erase (``erase_user``).

A signed-in browser alone is not enough to delete an account: the person also
gives their password, or a code e-mailed to them moments before (for accounts
that sign in by e-mail only), checked by the shared step-up (``auth.step_up``).
The sole owner of an organization is refused until ownership moves. Erasure deletes the person's sessions and one-time tokens, so
every browser is signed out at once.
"""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.models.accounts import User
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, step_up
from fluxent.services.privacy.erasure import ErasureReport, erase_user


def erase_self(
    session: Session,
    *,
    user: User,
    password: str | None,
    code: str | None,
    ip: str = "",
    user_agent: str = "",
    clock: Clock = now,
) -> ErasureReport:
    """Erase the person's own account after re-authentication; Conflict while sole owner."""
    address = user.email
    step_up.verify(
        session,
        user=user,
        password=password,
        code=code,
        pii=Personal(ip=ip, user_agent=user_agent, email=address),
        clock=clock,
    )
    report = erase_user(session, user=user, actor=user, clock=clock)
    emails.send_account_erased(session, address)
    return report
