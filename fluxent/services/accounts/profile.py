"""Rectifying your own profile (GDPR Art. 16): name, username, contact details, e-mail.

Only the fields a person owns can change here; role, organization and staff
fields belong to administrators and are refused by name. A new e-mail address
is not applied at once: it needs the current password, and then a code sent to
the new address (``confirm_email_change``), so nobody can move an account to an
address they do not read, or take over an account from an unattended browser.
The audit log records which fields changed, never their values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, DomainError, ValidationFailed
from fluxent.core.passwords import verify_password
from fluxent.models.accounts import User
from fluxent.models.auth import TokenPurpose
from fluxent.services.accounts import users
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time, throttle

EDITABLE = ("name", "username", "phone", "company", "country", "email")
NOT_EDITABLE = "This field can't be changed here."
NEEDS_PASSWORD = "Enter your current password to change your e-mail address."
WRONG_PASSWORD = "Your current password is incorrect."
BAD_CODE = "That code is incorrect or has expired. Ask for a new one."
_LIMITS = {"name": 200, "company": 200, "phone": 40, "country": 2}
_PHONE_RE = re.compile(r"^\+?[0-9 ().-]{4,40}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class ProfileUpdate:
    """What changed now, and the address waiting for its confirmation code (if any)."""

    user: User
    changed: tuple[str, ...]
    pending_email: str | None = None


def update_profile(
    session: Session,
    *,
    user: User,
    changes: dict[str, Any],
    current_password: str | None,
    ip: str = "",
    user_agent: str = "",
    clock: Clock = now,
) -> ProfileUpdate:
    """Apply ``changes`` to the person's own profile; nothing changes when any field is refused."""
    refused = {name: NOT_EDITABLE for name in changes if name not in EDITABLE}
    if refused:
        raise ValidationFailed("Some fields can't be changed here.", fields=refused)
    cleaned = {name: _clean(session, user, name, value) for name, value in changes.items()}
    new_email = cleaned.pop("email", None)
    changed = tuple(name for name, value in cleaned.items() if getattr(user, name) != value)
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    if new_email is not None and new_email != user.email:
        _require_password(session, user, current_password, pii=pii, clock=clock)
    for name in changed:
        setattr(user, name, cleaned[name])
    if changed:
        user.updated_at = clock()
        session.add(user)
        session.flush()
        trail.record(
            session,
            "accounts.profile_updated",
            actor=user,
            target=user,
            meta={"fields": list(changed)},
            pii=pii,
            clock=clock,
        )
    pending = None
    if new_email is not None and new_email != user.email:
        pending = _request_email_change(session, user, new_email, pii=pii, clock=clock)
    return ProfileUpdate(user=user, changed=changed, pending_email=pending)


def confirm_email_change(
    session: Session, *, user: User, code: str, ip: str = "", user_agent: str = "", clock: Clock = now
) -> User:
    """Move the account to the address the code was sent to; the old address is told."""
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    row = one_time.redeem_code(session, email=user.email, code=code, purpose=TokenPurpose.EMAIL_CHANGE, clock=clock)
    if row is None:
        trail.record(
            session,
            "accounts.email_change_failed",
            actor=user,
            target=user,
            meta={"reason": "bad_code"},
            pii=pii,
            clock=clock,
        )
        _commit_and_raise(session, ValidationFailed(BAD_CODE, fields={"code": BAD_CODE}))
    new_email = str(one_time.payload_of(row).get("new_email", ""))
    if users.user_by_email(session, new_email) is not None:
        raise Conflict("Another account uses this e-mail address now.", fields={"email": "Already registered."})
    old_email = user.email
    user.email = new_email
    user.email_verified_at = user.updated_at = clock()
    session.add(user)
    session.flush()
    # Links and codes sent to the old address must not sign anyone in any more.
    one_time.revoke_all_of(session, user_id=user.id, clock=clock)
    trail.record(
        session,
        "accounts.email_changed",
        actor=user,
        target=user,
        pii=Personal(ip=ip, user_agent=user_agent, email=new_email),
        clock=clock,
    )
    emails.send_email_changed(session, old_email)
    return user


def _clean(session: Session, user: User, name: str, value: Any) -> str:
    if not isinstance(value, str):
        _refuse(name, "Enter text.")
    value = users.check_text(unicodedata.normalize("NFKC", value), name)
    if name == "email":
        return users.normalize_email(value)
    if name == "username":
        value = value.lower()
        return value if value == user.username else users.check_username(session, value)
    if name == "phone" and value and not _PHONE_RE.match(value):
        _refuse(name, "Enter a phone number: digits, spaces, +, -, ( ) only.")
    if name == "country":
        value = value.upper()
        if value and not _COUNTRY_RE.match(value):
            _refuse(name, "Enter a two-letter country code (ISO 3166-1), e.g. GB.")
    if len(value) > _LIMITS[name]:
        _refuse(name, f"Use at most {_LIMITS[name]} characters.")
    return value


def _require_password(session: Session, user: User, password: str | None, *, pii: Personal, clock: Clock) -> None:
    """Re-authentication for the e-mail change; wrong passwords count against the sign-in throttle."""
    if not password:
        raise ValidationFailed(NEEDS_PASSWORD, fields={"current_password": NEEDS_PASSWORD})
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    hashed = user.password_hash
    session.commit()  # nothing written yet: end the transaction so no lock is held through bcrypt
    if not verify_password(password, hashed):
        throttle.record(session, *budget, clock=clock)
        trail.record(
            session,
            "accounts.email_change_failed",
            actor=user,
            target=user,
            meta={"reason": "bad_credentials"},
            pii=pii,
            clock=clock,
        )
        _commit_and_raise(session, ValidationFailed(WRONG_PASSWORD, fields={"current_password": WRONG_PASSWORD}))


def _request_email_change(session: Session, user: User, new_email: str, *, pii: Personal, clock: Clock) -> str:
    """E-mail a code to the new address (or, when it is taken, a note saying so): same answer either way."""
    throttle.check(session, (throttle.MAIL_ADDRESS, new_email), clock=clock)
    throttle.record(session, throttle.MAIL_ADDRESS, new_email, clock=clock)
    taken = users.user_by_email(session, new_email) is not None
    trail.record(session, "accounts.email_change_requested", actor=user, target=user, pii=pii, clock=clock)
    if taken:
        emails.send_email_in_use(session, new_email)
        return new_email
    issued = one_time.issue_code(
        session,
        email=user.email,
        user_id=user.id,
        purpose=TokenPurpose.EMAIL_CHANGE,
        payload={"new_email": new_email},
        clock=clock,
    )
    if issued.code is None:
        raise ValidationFailed("Too many wrong codes. Try again later.", fields={"email": "Try again later."})
    minutes = int(one_time.TIME_TO_LIVE[TokenPurpose.EMAIL_CHANGE].total_seconds() // 60)
    emails.send_email_change_code(session, new_email, issued.code, minutes=minutes)
    return new_email


def _refuse(name: str, message: str) -> NoReturn:
    raise ValidationFailed(message, fields={name: message})


def _commit_and_raise(session: Session, error: DomainError) -> NoReturn:
    session.commit()
    raise error
