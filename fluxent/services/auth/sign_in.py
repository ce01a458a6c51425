"""Signing in and out: passwords, e-mail codes, magic links, password resets,
password changes and sessions (invitations: ``services.accounts.invitations``).

A person with two-step sign-in (``services.auth.two_step``) gets no session from the
first step: it ends in a login ticket (``SecondStepDue``), and ``complete_second_step``
starts the session once the authenticator or a recovery code checks out
(``complete_second_step_with_passkey``: once a passkey answered, ``services.auth.passkeys``).

Answers never tell whether an account exists: a wrong password, an unknown login
and a deactivated account give the same error after the same bcrypt work, and the
e-mail requests send one e-mail either way (to an unknown address, a note that
there is no account). Wrong passwords count against the account (by user id, so its
username and e-mail share one budget) or, for a login that names no account,
against that string; and against the IP address (``services.auth.throttle``).

A refused attempt commits its own bookkeeping (failure counts, the audit event)
before raising, so a door that rolls back on the error cannot erase the record
that throttles the next guess. Successful flows leave committing to the caller.
A password sign-in commits its reads before the bcrypt check, so no transaction
(on SQLite: no database-wide write lock) stays open through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from sqlmodel import Session, col, or_, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import DomainError, NotAuthenticated, NotFound, SsoRequired, ValidationFailed
from fluxent.core.passwords import hash_password, verify_password
from fluxent.core.settings import get_settings
from fluxent.models.accounts import Role, User
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.services.accounts import users
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time, passkeys, sessions, throttle, two_step

BAD_CREDENTIALS = "Incorrect e-mail/username or password."
BAD_CODE = "That code is incorrect or has expired. Ask for a new one."
BAD_MAGIC_LINK = "This sign-in link is invalid, used or expired. Ask for a new one."
BAD_RESET_LINK = "This password-reset link is invalid, used or expired. Ask for a new one."
USE_SSO = "Fluxent staff sign in with their company account."
WRONG_CURRENT_PASSWORD = "Your current password is incorrect."
BAD_TICKET = "This sign-in has expired or was already finished. Sign in again."
# Longer than any username or e-mail address: not a login anyone has.
_MAX_LOGIN_LENGTH = 254

SignIn = tuple[AuthSession, str, User]
SSO_METHOD = "sso"


@dataclass(frozen=True)
class SecondStepDue:
    """The first step passed; the raw login ticket (never stored) leads to the second.
    ``enrol``: the person must set up an authenticator app first."""

    ticket: str
    user: User
    enrol: bool


FirstStep = SignIn | SecondStepDue


# Passwords -----------------------------------------------------------------------


def login(session: Session, *, login: str, password: str, ip: str, user_agent: str, clock: Clock = now) -> FirstStep:
    """Sign in with a username or e-mail and a password; a new session every time."""
    name = throttle.normalize_login(login)
    pii = Personal(ip=ip, user_agent=user_agent, email=name if "@" in name else None)
    user = _user_by_login(session, name)
    budget = throttle.for_account(user.id) if user is not None else (throttle.UNKNOWN_LOGIN, name)
    try:
        throttle.check(session, budget, (throttle.IP, ip), clock=clock)
    except DomainError as refused:
        trail.record(session, "auth.login_failed", meta={"method": "password", "reason": "throttled"}, pii=pii)
        _commit_and_raise(session, refused)

    usable = user is not None and can_sign_in(user)
    hashed = user.password_hash if usable and user else None
    # bcrypt takes a quarter of a second: end the read transaction first, so no lock
    # (on SQLite, the database-wide write lock) is held through it.
    session.commit()
    # One bcrypt check whatever happened: against the real hash, or the dummy one.
    matched = verify_password(password, hashed)
    if matched and user is not None:  # still the same password and still allowed in?
        session.refresh(user)
        matched = user.password_hash == hashed and can_sign_in(user)
    if not (usable and matched and user):
        throttle.record(session, *budget, clock=clock)
        throttle.record(session, throttle.IP, ip, clock=clock)
        trail.record(
            session,
            "auth.login_failed",
            target=user,
            meta={"method": "password", "reason": "bad_credentials"},
            pii=pii,
        )
        _commit_and_raise(session, NotAuthenticated(BAD_CREDENTIALS))
    passed = after_first_step(session, user, method="password", ip=ip, user_agent=user_agent, clock=clock)
    if not isinstance(passed, SecondStepDue):  # else the second step's failures keep counting against the account
        throttle.clear(session, *budget)
    return passed


def change_password(
    session: Session,
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep_session: AuthSession | None,
    ip: str = "",
    user_agent: str = "",
    clock: Clock = now,
) -> int:
    """Set a new password (the current one is required); sign out every other session.

    Returns how many sessions were signed out. Wrong current passwords count
    against the account's sign-in throttle.
    """
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    users.check_password_rules(new_password, name=user.name, email=user.email, company=user.company)
    hashed = user.password_hash
    # Two bcrypt runs: end the read transaction first, so no lock is held through them.
    session.commit()
    new_hash = hash_password(new_password) if verify_password(current_password, hashed) else None
    session.refresh(user)
    if new_hash is None or user.password_hash != hashed:
        throttle.record(session, *budget, clock=clock)
        trail.record(
            session,
            "auth.password_change_failed",
            actor=user,
            target=user,
            meta={"reason": "bad_credentials"},
            pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
        )
        _commit_and_raise(
            session, ValidationFailed(WRONG_CURRENT_PASSWORD, fields={"current_password": WRONG_CURRENT_PASSWORD})
        )
    _store_password(session, user, new_hash, clock=clock)
    # A link or code asked for before the change (perhaps by whoever knew the old password) dies with it.
    one_time.revoke_all_of(session, user_id=user.id, clock=clock)
    keep_id = keep_session.id if keep_session is not None else None
    revoked = _revoke_sessions(session, user=user, except_id=keep_id, clock=clock)
    trail.record(
        session,
        "auth.password_changed",
        actor=user,
        target=user,
        meta={"sessions_revoked": revoked},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    emails.send_password_changed(session, user.email)
    return revoked


# E-mail codes, magic links, password resets ----------------------------------------


def request_email_code(session: Session, *, email: str, ip: str, user_agent: str, clock: Clock = now) -> None:
    """E-mail a six-digit sign-in code to an account's address (or a no-account note)."""
    address, user, pii = _mail_request(
        session, action="auth.code_issued", email=email, ip=ip, user_agent=user_agent, clock=clock
    )
    if user is None:
        return
    issued = one_time.issue_code(session, email=address, user_id=user.id, clock=clock)
    if issued.code is None or issued.blocked_until is not None:
        trail.record(session, "auth.code_issued", target=user, meta={"account": True, "blocked": True}, pii=pii)
        emails.send_code_blocked(session, address, until=issued.blocked_until or clock())
        return
    trail.record(session, "auth.code_issued", target=user, meta={"account": True, "blocked": False}, pii=pii)
    emails.send_code(session, address, issued.code, minutes=_minutes(TokenPurpose.EMAIL_CODE))


def verify_email_code(
    session: Session, *, email: str, code: str, ip: str, user_agent: str, clock: Clock = now
) -> FirstStep:
    """Sign in with the code from the e-mail. Five wrong codes use the code up."""
    address = one_time.normalize_address(email)
    pii = Personal(ip=ip, user_agent=user_agent, email=address)
    check_ip(session, ip=ip, method="email_code", pii=pii, clock=clock)
    row = one_time.redeem_code(session, email=address, code=code, clock=clock)
    user = _user_of(session, row)
    if row is None or user is None:
        refuse_token(session, method="email_code", ip=ip, pii=pii, message=BAD_CODE, clock=clock)
    trail.record(session, "auth.code_used", actor=user, target=user, pii=pii)
    mark_verified(session, user, clock)
    return after_first_step(session, user, method="email_code", ip=ip, user_agent=user_agent, clock=clock)


def request_magic_link(session: Session, *, email: str, ip: str, user_agent: str, clock: Clock = now) -> None:
    """E-mail a sign-in link to ``/auth/magic/<token>`` (or a no-account note).

    The link opens a page whose button posts the token, so a mail scanner that
    follows links does not use it up.
    """
    _mail_link(
        session,
        TokenPurpose.MAGIC_LINK,
        "auth.magic_link_issued",
        emails.send_magic_link,
        email=email,
        ip=ip,
        user_agent=user_agent,
        clock=clock,
    )


def consume_magic_link(session: Session, *, token: str, ip: str, user_agent: str, clock: Clock = now) -> FirstStep:
    pii = Personal(ip=ip, user_agent=user_agent)
    check_ip(session, ip=ip, method="magic_link", pii=pii, clock=clock)
    row = one_time.redeem_link(session, purpose=TokenPurpose.MAGIC_LINK, token=token, clock=clock)
    user = _user_of(session, row)
    if row is None or user is None:
        refuse_token(session, method="magic_link", ip=ip, pii=pii, message=BAD_MAGIC_LINK, clock=clock)
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    trail.record(session, "auth.magic_link_used", actor=user, target=user, pii=pii)
    mark_verified(session, user, clock)
    return after_first_step(session, user, method="magic_link", ip=ip, user_agent=user_agent, clock=clock)


def request_password_reset(session: Session, *, email: str, ip: str, user_agent: str, clock: Clock = now) -> None:
    """E-mail a link to ``/reset-password/<token>`` (or a no-account note)."""
    _mail_link(
        session,
        TokenPurpose.PASSWORD_RESET,
        "auth.password_reset_requested",
        emails.send_password_reset,
        email=email,
        ip=ip,
        user_agent=user_agent,
        clock=clock,
    )


def confirm_password_reset(
    session: Session, *, token: str, new_password: str, ip: str = "", user_agent: str = "", clock: Clock = now
) -> User:
    """Set the new password from a reset link; sign out every session of the person.

    A password the policy refuses leaves the link usable, so the person can try again.
    """
    pii = Personal(ip=ip, user_agent=user_agent)
    check_ip(session, ip=ip, method="password_reset", pii=pii, clock=clock)
    row = one_time.find_link(session, purpose=TokenPurpose.PASSWORD_RESET, token=token, clock=clock)
    user = _user_of(session, row)
    if row is None or user is None:
        refuse_token(session, method="password_reset", ip=ip, pii=pii, message=BAD_RESET_LINK, clock=clock)
    _set_password(session, user, new_password, clock=clock)
    one_time.mark_used(session, row, clock=clock)
    one_time.revoke_all_of(session, user_id=user.id, clock=clock)
    revoked = _revoke_sessions(session, user=user, except_id=None, clock=clock)
    throttle.clear(session, *throttle.for_account(user.id))
    mark_verified(session, user, clock)
    trail.record(
        session,
        "auth.password_reset",
        actor=user,
        target=user,
        meta={"sessions_revoked": revoked},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    emails.send_password_changed(session, user.email)
    return user


# The second step -------------------------------------------------------------------


def after_first_step(session: Session, user: User, *, method: str, ip: str, user_agent: str, clock: Clock) -> FirstStep:
    """A session, or a login ticket when the person has (or must set up) a second step."""
    enrol = two_step.active_method(session, user.id) is None and not passkeys.has_passkey(session, user.id)
    if enrol and not two_step.required_for(user):
        return finish_sign_in(session, user, method=method, ip=ip, user_agent=user_agent, clock=clock)
    ticket = two_step.issue_ticket(session, user=user, first_step=method, enrol=enrol, clock=clock)
    trail.record(
        session,
        "auth.second_step_due",
        actor=user,
        target=user,
        meta={"first_step": method, "enrol": enrol},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    return SecondStepDue(ticket=ticket, user=user, enrol=enrol)


def complete_second_step(
    session: Session, *, ticket: str, code: str, ip: str, user_agent: str, clock: Clock = now
) -> SignIn:
    """Sign in with a login ticket and the authenticator's code or a recovery code.

    Wrong codes count against the ticket (a few kill it), the account and the IP address.
    """
    return _second_step(
        session,
        ticket,
        lambda opened: two_step.pass_second_step(session, opened, code, clock=clock),
        ip=ip,
        user_agent=user_agent,
        clock=clock,
    )


def complete_second_step_with_passkey(
    session: Session, *, ticket: str, credential: str | dict[str, Any], ip: str, user_agent: str, clock: Clock = now
) -> SignIn:
    """Sign in with a login ticket and the answer of one of the person's passkeys
    (``passkeys.sign_in_options`` made its challenge); throttled like a code."""

    def passes(opened: two_step.Ticket) -> str | None:
        return "passkey" if passkeys.pass_second_step(session, opened, credential, clock=clock) else None

    return _second_step(
        session, ticket, passes, refusal=passkeys.BAD_PASSKEY, ip=ip, user_agent=user_agent, clock=clock
    )


def _second_step(
    session: Session,
    ticket: str,
    passes: Callable[[two_step.Ticket], str | None],
    *,
    refusal: str = two_step.BAD_CODE,
    ip: str,
    user_agent: str,
    clock: Clock,
) -> SignIn:
    pii = Personal(ip=ip, user_agent=user_agent)
    check_ip(session, ip=ip, method="two_step", pii=pii, clock=clock)
    opened = two_step.open_ticket(session, ticket, clock=clock)
    if opened is None:
        refuse_token(session, method="two_step", ip=ip, pii=pii, message=BAD_TICKET, clock=clock)
    user = opened.user
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    budget = throttle.for_account(user.id)
    try:
        throttle.check(session, budget, clock=clock)
    except DomainError as refused:
        trail.record(session, "auth.two_step_failed", target=user, meta={"reason": "throttled"}, pii=pii)
        _commit_and_raise(session, refused)
    used = passes(opened)
    if used is None:
        throttle.record(session, *budget, clock=clock)
        throttle.record(session, throttle.IP, ip, clock=clock)
        trail.record(session, "auth.two_step_failed", target=user, meta={"reason": "bad_code"}, pii=pii)
        _commit_and_raise(session, NotAuthenticated(refusal))
    throttle.clear(session, *budget)
    trail.record(session, "auth.two_step_used", actor=user, target=user, meta={"method": used}, pii=pii)
    method = f"{opened.first_step}+{used}"
    return finish_sign_in(session, user, method=method, ip=ip, user_agent=user_agent, clock=clock)


# Sessions --------------------------------------------------------------------------


def list_sessions(session: Session, *, user: User, clock: Clock = now) -> list[AuthSession]:
    """The person's live sessions, most recently used first."""
    rows = session.exec(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, col(AuthSession.revoked_at).is_(None))
        .order_by(col(AuthSession.last_seen_at).desc(), col(AuthSession.id).desc())
    ).all()
    moment = clock()
    return [row for row in rows if _is_live(row, moment)]


def revoke_session(session: Session, *, user: User, session_id: int, clock: Clock = now) -> AuthSession:
    """Sign out one of the person's own sessions; anyone else's is NotFound."""
    target = session.get(AuthSession, session_id)
    if target is None or target.user_id != user.id:
        raise NotFound("No such session.")
    sessions.revoke(session, target, clock=clock)
    trail.record(session, "auth.session_revoked", actor=user, target=target, meta={"scope": "one"})
    return target


def revoke_other_sessions(session: Session, *, user: User, keep: AuthSession, clock: Clock = now) -> int:
    """Sign out everywhere but ``keep`` (the caller's own session)."""
    if keep.user_id != user.id:
        raise NotFound("No such session.")
    revoked = _revoke_sessions(session, user=user, except_id=keep.id, clock=clock)
    trail.record(session, "auth.session_revoked", actor=user, target=user, meta={"scope": "others", "count": revoked})
    return revoked


def logout(session: Session, *, auth_session: AuthSession, clock: Clock = now) -> None:
    sessions.revoke(session, auth_session, clock=clock)
    trail.record(session, "auth.logout", actor=auth_session.user_id, target=auth_session)


# Steps invitations share (``services.accounts.invitations``), and internals -------------


def finish_sign_in(session: Session, user: User, *, method: str, ip: str, user_agent: str, clock: Clock) -> SignIn:
    """Start the session of every way in; staff who must use single sign-on get in by no other."""
    if method != SSO_METHOD and must_use_sso(user):
        trail.record(
            session,
            "auth.login_failed",
            target=user,
            meta={"method": method, "reason": "sso_required"},
            pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
        )
        _commit_and_raise(session, SsoRequired(USE_SSO))
    auth_session, raw = sessions.start_session(session, user=user, ip=ip, user_agent=user_agent, clock=clock)
    user.last_login_at = clock()
    session.add(user)
    session.flush()
    trail.record(
        session,
        "auth.login_succeeded",
        actor=user,
        target=user,
        meta={"method": method, "session_id": auth_session.id},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    return auth_session, raw, user


def _mail_link(
    session: Session,
    purpose: TokenPurpose,
    action: str,
    send: Callable[..., None],
    *,
    email: str,
    ip: str,
    user_agent: str,
    clock: Clock,
) -> None:
    """E-mail a one-time link of ``purpose`` with ``send`` (or a no-account note), audited as ``action``."""
    address, user, pii = _mail_request(session, action=action, email=email, ip=ip, user_agent=user_agent, clock=clock)
    if user is None:
        return
    _, token = one_time.issue_link(session, purpose=purpose, email=address, user_id=user.id, clock=clock)
    trail.record(session, action, target=user, meta={"account": True}, pii=pii)
    send(session, address, token, minutes=_minutes(purpose))


def _mail_request(
    session: Session, *, action: str, email: str, ip: str, user_agent: str, clock: Clock
) -> tuple[str, User | None, Personal]:
    """Throttle an e-mail request per address and per IP; the address, its active account and what
    the audit trail may hold of the request. Without an account, the no-account note goes out
    (audited as ``action``) and the account is None. Staff who must use single sign-on get a
    note saying so instead of a code or link (the answer on screen stays the same for everyone)."""
    address = users.normalize_email(email)
    try:
        throttle.check(session, (throttle.MAIL_ADDRESS, address), (throttle.MAIL_IP, ip), clock=clock)
    except DomainError as refused:
        trail.record(
            session,
            "auth.mail_request_refused",
            meta={"reason": "throttled"},
            pii=Personal(ip=ip, user_agent=user_agent, email=address),
        )
        _commit_and_raise(session, refused)
    throttle.record(session, throttle.MAIL_ADDRESS, address, clock=clock)
    throttle.record(session, throttle.MAIL_IP, ip, clock=clock)
    user = users.user_by_email(session, address)
    pii = Personal(ip=ip, user_agent=user_agent, email=address)
    if user is None or not can_sign_in(user):
        trail.record(session, action, meta={"account": False}, pii=pii)
        emails.send_no_account(session, address)
        return address, None, pii
    if must_use_sso(user):
        trail.record(session, action, target=user, meta={"account": True, "sso_required": True}, pii=pii)
        emails.send_use_sso(session, address)
        return address, None, pii
    return address, user, pii


def check_ip(session: Session, *, ip: str, method: str, pii: Personal, clock: Clock) -> None:
    try:
        throttle.check(session, (throttle.IP, ip), clock=clock)
    except DomainError as refused:
        trail.record(session, "auth.login_failed", meta={"method": method, "reason": "throttled"}, pii=pii)
        _commit_and_raise(session, refused)


def refuse_token(
    session: Session,
    *,
    method: str,
    ip: str,
    pii: Personal,
    message: str,
    clock: Clock,
    reason: str = "bad_credentials",
) -> NoReturn:
    throttle.record(session, throttle.IP, ip, clock=clock)
    trail.record(session, "auth.login_failed", meta={"method": method, "reason": reason}, pii=pii)
    _commit_and_raise(session, NotAuthenticated(message))


def _commit_and_raise(session: Session, error: DomainError) -> NoReturn:
    session.commit()
    raise error


def _set_password(session: Session, user: User, new_password: str, *, clock: Clock) -> None:
    users.check_password_rules(new_password, name=user.name, email=user.email, company=user.company)
    _store_password(session, user, hash_password(new_password), clock=clock)


def _store_password(session: Session, user: User, password_hash: str, *, clock: Clock) -> None:
    user.password_hash = password_hash
    user.updated_at = clock()
    session.add(user)
    session.flush()


def _revoke_sessions(session: Session, *, user: User, except_id: int | None, clock: Clock) -> int:
    statement = select(AuthSession).where(AuthSession.user_id == user.id, col(AuthSession.revoked_at).is_(None))
    if except_id is not None:
        statement = statement.where(AuthSession.id != except_id)
    live = session.exec(statement).all()
    for auth_session in live:
        sessions.revoke(session, auth_session, clock=clock)
    session.flush()
    return len(live)


def _is_live(auth_session: AuthSession, moment: datetime) -> bool:
    """The rules of ``sessions.resolve``, for listing."""
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    return (
        auth_session.revoked_at is None
        and moment < auth_session.expires_at
        and moment - auth_session.last_seen_at < idle_limit
    )


def _user_by_login(session: Session, name: str) -> User | None:
    if not name or len(name) > _MAX_LOGIN_LENGTH:
        return None
    return session.exec(select(User).where(or_(User.email == name, User.username == name))).first()


def _user_of(session: Session, row: OneTimeToken | None) -> User | None:
    user = session.get(User, row.user_id) if row is not None and row.user_id is not None else None
    return user if user is not None and can_sign_in(user) else None


def can_sign_in(user: User) -> bool:
    return user.is_active and user.erased_at is None


def must_use_sso(user: User) -> bool:
    """Staff and admins sign in through the identity provider only, when the settings say so."""
    return get_settings().staff_sso_required and user.role in (Role.STAFF, Role.ADMIN)


def mark_verified(session: Session, user: User, clock: Clock) -> User:
    """A code or link that reached the person's inbox proves the address."""
    if user.email_verified_at is None:
        user.email_verified_at = clock()
        session.add(user)
    return user


def _minutes(purpose: TokenPurpose) -> int:
    return int(one_time.TIME_TO_LIVE[purpose].total_seconds() // 60)
