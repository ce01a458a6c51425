"""Step-up: proving again, in a signed-in browser, that it is really you.

One rule for every sensitive action (deleting the account, revealing a vault secret):
the person gives their password, or a six-digit code e-mailed to them moments before
(for accounts that sign in by e-mail only). A successful step-up is stamped on the
browser's session and counts for ``WINDOW``; wrong answers count against the account's
sign-in budget and are audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import DomainError, ReauthRequired, ValidationFailed
from fluxent.core.passwords import verify_password
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession, TokenPurpose
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time, throttle

WINDOW = timedelta(minutes=10)
NEEDS_PROOF = "Enter your password, or the code we e-mailed you."
WRONG_PASSWORD = "Your password is incorrect."
BAD_CODE = "That code is incorrect or has expired. Ask for a new one."
STALE = "Confirm it is you first: enter your password or an e-mailed code."


def request_code(session: Session, *, user: User, pii: Personal | None = None, clock: Clock = now) -> None:
    """E-mail the person a six-digit code that confirms a sensitive action."""
    pii = pii or Personal(email=user.email)
    throttle.check(session, (throttle.MAIL_ADDRESS, user.email), clock=clock)
    throttle.record(session, throttle.MAIL_ADDRESS, user.email, clock=clock)
    issued = one_time.issue_code(session, email=user.email, user_id=user.id, purpose=TokenPurpose.REAUTH, clock=clock)
    trail.record(
        session,
        "auth.reauth_code_issued",
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
    minutes = int(one_time.TIME_TO_LIVE[TokenPurpose.REAUTH].total_seconds() // 60)
    emails.send_reauth_code(session, user.email, issued.code, minutes=minutes)


def verify(
    session: Session, *, user: User, password: str | None, code: str | None, pii: Personal, clock: Clock = now
) -> None:
    """Check the password or the e-mailed code; ValidationFailed (committed and audited) otherwise."""
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
    row = one_time.redeem_code(session, email=user.email, code=code or "", purpose=TokenPurpose.REAUTH, clock=clock)
    if row is None:
        _refuse(session, user, pii, ValidationFailed(BAD_CODE, fields={"code": BAD_CODE}), clock)


def reauthenticate(
    session: Session,
    *,
    user: User,
    auth_session: AuthSession,
    password: str | None,
    code: str | None,
    pii: Personal | None = None,
    clock: Clock = now,
) -> datetime:
    """Verify, then stamp this browser's session: sensitive actions are open for ``WINDOW``
    (returns until when)."""
    pii = pii or Personal(email=user.email)
    verify(session, user=user, password=password, code=code, pii=pii, clock=clock)
    auth_session = session.merge(auth_session)
    moment = clock()
    auth_session.reauthenticated_at = moment
    session.add(auth_session)
    trail.record(session, "auth.reauthenticated", actor=user, target=user, pii=pii, clock=clock)
    return moment + WINDOW


def is_recent(auth_session: AuthSession, *, clock: Clock = now) -> bool:
    stamped = auth_session.reauthenticated_at
    return stamped is not None and clock() - stamped < WINDOW


def require_recent(auth_session: AuthSession, *, clock: Clock = now) -> None:
    if not is_recent(auth_session, clock=clock):
        raise ReauthRequired(STALE)


def _refuse(session: Session, user: User, pii: Personal, error: DomainError, clock: Clock) -> NoReturn:
    """Record the refusal and commit it (the door rolls back on the error) before raising."""
    trail.record(
        session,
        "auth.reauth_refused",
        actor=user,
        target=user,
        meta={"reason": "bad_credentials"},
        pii=pii,
        clock=clock,
    )
    session.commit()
    raise error
