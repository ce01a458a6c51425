"""Deleting your own account: re-authenticate, then erase (``erase_user``).

A signed-in browser alone is not enough to delete an account: the person also
gives their password, or a code e-mailed to them moments before (for accounts
that sign in by e-mail only). The sole owner of an organization is refused until
ownership moves. Erasure deletes the person's sessions and one-time tokens, so
every browser is signed out at once.
"""

from __future__ import annotations

from typing import NoReturn

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.core.passwords import verify_password
from fluxent.models.accounts import User
from fluxent.models.auth import TokenPurpose
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time, throttle
from fluxent.services.privacy.erasure import ErasureReport, erase_user

NEEDS_PROOF = "Enter your password, or the code we e-mailed you, to delete your account."
WRONG_PASSWORD = "Your password is incorrect."
BAD_CODE = "That code is incorrect or has expired. Ask for a new one."


def request_erasure_code(
    session: Session, *, user: User, ip: str = "", user_agent: str = "", clock: Clock = now
) -> None:
    """E-mail the person a six-digit code that confirms deleting the account."""
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    throttle.check(session, (throttle.MAIL_ADDRESS, user.email), clock=clock)
    throttle.record(session, throttle.MAIL_ADDRESS, user.email, clock=clock)
    issued = one_time.issue_code(
        session, email=user.email, user_id=user.id, purpose=TokenPurpose.ACCOUNT_ERASURE, clock=clock
    )
    trail.record(
        session,
        "privacy.erasure_code_issued",
        actor=user,
        target=user,
        meta={"blocked": issued.code is None},
        pii=pii,
        clock=clock,
    )
    if issued.code is None:
        raise ValidationFailed(
            "Too many wrong codes. Try again later, or use your password.", fields={"code": "Try again later."}
        )
    minutes = int(one_time.TIME_TO_LIVE[TokenPurpose.ACCOUNT_ERASURE].total_seconds() // 60)
    emails.send_erasure_code(session, user.email, issued.code, minutes=minutes)


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
    _reauthenticate(
        session,
        user,
        password=password,
        code=code,
        pii=Personal(ip=ip, user_agent=user_agent, email=address),
        clock=clock,
    )
    report = erase_user(session, user=user, actor=user, clock=clock)
    emails.send_account_erased(session, address)
    return report


def _reauthenticate(
    session: Session, user: User, *, password: str | None, code: str | None, pii: Personal, clock: Clock
) -> None:
    if not password and not code:
        raise ValidationFailed(NEEDS_PROOF, fields={"password": NEEDS_PROOF})
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    if password:
        hashed = user.password_hash
        session.commit()  # nothing written yet: end the transaction so no lock is held through bcrypt
        if verify_password(password, hashed):
            return
        throttle.record(session, *budget, clock=clock)
        _refuse(session, user, pii, ValidationFailed(WRONG_PASSWORD, fields={"password": WRONG_PASSWORD}), clock)
    row = one_time.redeem_code(
        session, email=user.email, code=code or "", purpose=TokenPurpose.ACCOUNT_ERASURE, clock=clock
    )
    if row is None:
        _refuse(session, user, pii, ValidationFailed(BAD_CODE, fields={"code": BAD_CODE}), clock)


def _refuse(session: Session, user: User, pii: Personal, error: DomainError, clock: Clock) -> NoReturn:
    """Record the refusal and commit it (the door rolls back on the error) before raising."""
    trail.record(
        session,
        "privacy.erasure_refused",
        actor=user,
        target=user,
        meta={"reason": "bad_credentials"},
        pii=pii,
        clock=clock,
    )
    session.commit()
    raise error
