"""Two-step sign-in with an authenticator app (TOTP), and recovery codes.

A person enrols in two moves: ``begin_enrolment`` makes a secret (sealed at rest,
``core/sealing.py``) for the app to scan, and ``confirm_enrolment`` switches it on
once the app's first code matches; recovery codes are then made, shown once and
stored as keyed hashes. Each authenticator code is good once: the time step of the
last accepted code is kept, and a code of that step or an earlier one is refused.

Signing in, the first step (password, e-mailed code or link) ends in a login
ticket instead of a session when a second step is due (``sign_in.after_first_step``): a
one-time token (``auth_one_time_token``, purpose ``login_ticket``, a keyed hash
only) that lives a few minutes and allows a few wrong codes. ``services.auth.sign_in``
redeems it. Staff without a second step, when ``FLUXENT_STAFF_TWO_STEP_REQUIRED`` is
on, get a ticket that enrols them first.
"""

from __future__ import annotations

import base64
import hmac
import io
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import delete
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from fluxent.core.sealing import seal, unseal
from fluxent.core.settings import get_settings
from fluxent.core.tokens import token_hash
from fluxent.models.accounts import User
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.models.two_step import Passkey, RecoveryCode, TwoStepKind, TwoStepMethod
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time, throttle

ISSUER = "Fluxent"
RECOVERY_CODES = 10
TICKET_MAX_ATTEMPTS = 5
# A code of the previous or next 30-second step is accepted too, for clocks a little apart.
_DRIFT_STEPS = 1
_SEAL_PURPOSE = "two_step.totp"
_RECOVERY_HASH = "two_step.recovery"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 3, 4

BAD_CODE = "That code is incorrect or was already used. Enter the current code from your app, or a recovery code."
BAD_ENROLMENT_CODE = "That code does not match. Check the app's clock and enter the code it shows now."
NOT_ENROLLED = "Two-step sign-in is not on for this account."
ALREADY_ENROLLED = "Two-step sign-in is already on. Remove it first to set up another app."
NO_ENROLMENT = "Start setting up an authenticator app first."
ENTER_IDENTITY_CHECK = "Say how you confirmed who the person is (for example: video call, ID document matched)."


@dataclass(frozen=True)
class Enrolment:
    """What the person's app needs: the secret as text and as a QR code (SVG) of its ``otpauth://`` URI."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def qr_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.qr_svg.encode()).decode()


@dataclass(frozen=True)
class Status:
    enabled: bool
    enabled_at: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int


@dataclass(frozen=True)
class Ticket:
    """An open login ticket: whose, and whether the person must enrol before signing in."""

    row: OneTimeToken
    user: User

    @property
    def enrol(self) -> bool:
        return bool(one_time.payload_of(self.row).get("enrol"))

    @property
    def first_step(self) -> str:
        return str(one_time.payload_of(self.row).get("first_step", ""))


# What a person has -------------------------------------------------------------


def active_method(session: Session, user_id: int | None) -> TwoStepMethod | None:
    return session.exec(
        select(TwoStepMethod).where(
            TwoStepMethod.user_id == user_id,
            TwoStepMethod.kind == TwoStepKind.TOTP,
            col(TwoStepMethod.confirmed_at).is_not(None),
        )
    ).first()


def status(session: Session, *, user: User) -> Status:
    method = active_method(session, user.id)
    left = len(_unused_codes(session, user.id)) if method is not None else 0
    return Status(
        enabled=method is not None,
        enabled_at=method.confirmed_at if method else None,
        last_used_at=method.last_used_at if method else None,
        recovery_codes_left=left,
    )


def required_for(user: User) -> bool:
    """Whether the person may not sign in without a second step (staff, when the setting says so)."""
    return get_settings().staff_two_step_required and authz.is_staff(user)


# Enrolment ---------------------------------------------------------------------


def begin_enrolment(session: Session, *, user: User, clock: Clock = now) -> Enrolment:
    """A fresh secret for the person's app, replacing any enrolment left unfinished."""
    if active_method(session, user.id) is not None:
        raise Conflict(ALREADY_ENROLLED)
    session.execute(delete(TwoStepMethod).where(TwoStepMethod.user_id == user.id))
    secret = pyotp.random_base32()
    session.add(
        TwoStepMethod(
            user_id=user.id,
            kind=TwoStepKind.TOTP,
            sealed_secret=seal(secret, purpose=_SEAL_PURPOSE, bound_to=_bound_to(user.id)),
            created_at=clock(),
        )
    )
    session.flush()
    return _enrolment(secret, user)


def confirm_enrolment(
    session: Session, *, user: User, code: str, ip: str = "", user_agent: str = "", clock: Clock = now
) -> list[str]:
    """Switch the unfinished enrolment on when ``code`` is the app's current one; returns new recovery codes.

    Wrong codes count against the account's sign-in throttle.
    """
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    pending = session.exec(
        select(TwoStepMethod).where(TwoStepMethod.user_id == user.id, col(TwoStepMethod.confirmed_at).is_(None))
    ).first()
    if pending is None:
        raise Conflict(ALREADY_ENROLLED if active_method(session, user.id) else NO_ENROLMENT)
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    if not _accept_totp(pending, code, clock()):
        throttle.record(session, *budget, clock=clock)
        trail.record(session, "auth.two_step_failed", actor=user, target=user, meta={"step": "enrolment"}, pii=pii)
        session.commit()
        raise ValidationFailed(BAD_ENROLMENT_CODE, fields={"code": BAD_ENROLMENT_CODE})
    pending.confirmed_at = clock()
    session.add(pending)
    codes = _replace_recovery_codes(session, user, clock)
    trail.record(session, "auth.two_step_enrolled", actor=user, target=user, meta={"method": "totp"}, pii=pii)
    emails.send_two_step_changed(session, user.email, enabled=True)
    return codes


def replace_recovery_codes(
    session: Session, *, user: User, code: str, ip: str = "", user_agent: str = "", clock: Clock = now
) -> list[str]:
    """New recovery codes (the old ones stop working); needs a current code from the app."""
    _require_second_step(session, user, code, allow_recovery=False, ip=ip, user_agent=user_agent, clock=clock)
    codes = _replace_recovery_codes(session, user, clock)
    trail.record(
        session,
        "auth.recovery_codes_replaced",
        actor=user,
        target=user,
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    return codes


def remove(session: Session, *, user: User, code: str, ip: str = "", user_agent: str = "", clock: Clock = now) -> None:
    """Switch two-step sign-in off; needs a current code from the app or an unused recovery code."""
    used = _require_second_step(session, user, code, allow_recovery=True, ip=ip, user_agent=user_agent, clock=clock)
    _forget(session, user.id)
    trail.record(
        session,
        "auth.two_step_removed",
        actor=user,
        target=user,
        meta={"by": "self", "confirmed_with": used},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    emails.send_two_step_changed(session, user.email, enabled=False)


def remove_for_person(
    session: Session, *, actor: User | None, user_id: int, identity_check: str, clock: Clock = now
) -> User:
    """Recovery by staff: an administrator removes a person's second step after checking who they are.

    The check is written down (audited) and the person is told by e-mail.
    """
    authz.require_admin(actor)
    person = session.get(User, user_id)
    if person is None or person.erased_at is not None:
        raise NotFound("No such person.")
    how = " ".join(unicodedata.normalize("NFKC", identity_check or "").split())
    if len(how) < 5 or any(unicodedata.category(char) == "Cc" for char in how):
        raise ValidationFailed(ENTER_IDENTITY_CHECK, fields={"identity_check": ENTER_IDENTITY_CHECK})
    has_passkeys = session.exec(select(Passkey.id).where(Passkey.user_id == person.id)).first() is not None
    if active_method(session, person.id) is None and not has_passkeys:
        raise Conflict(NOT_ENROLLED)
    _forget(session, person.id)
    session.execute(delete(Passkey).where(Passkey.user_id == person.id))
    trail.record(
        session,
        "auth.two_step_removed",
        actor=actor,
        target=person,
        meta={"by": "staff", "identity_check": how[:300]},
        clock=clock,
    )
    emails.send_two_step_removed_by_staff(session, person.email)
    return person


def enrolled_among(session: Session, user_ids: list[int]) -> set[int]:
    """Which of these people have a second step (for the console's lists)."""
    if not user_ids:
        return set()
    rows = session.exec(
        select(TwoStepMethod.user_id).where(
            col(TwoStepMethod.user_id).in_(user_ids), col(TwoStepMethod.confirmed_at).is_not(None)
        )
    ).all()
    with_passkeys = session.exec(select(Passkey.user_id).where(col(Passkey.user_id).in_(user_ids))).all()
    return set(rows) | set(with_passkeys)


# Login tickets -----------------------------------------------------------------


def issue_ticket(session: Session, *, user: User, first_step: str, enrol: bool, clock: Clock = now) -> str:
    """A login ticket for ``user`` after ``first_step`` (``enrol``: set up an app before signing in);
    returns the raw token (never stored)."""
    row, raw = one_time.issue_link(
        session,
        purpose=TokenPurpose.LOGIN_TICKET,
        email=user.email,
        user_id=user.id,
        payload={"first_step": first_step, "enrol": enrol},
        clock=clock,
    )
    row.max_attempts = TICKET_MAX_ATTEMPTS
    session.add(row)
    session.flush()
    return raw


def open_ticket(session: Session, token: str, *, clock: Clock = now) -> Ticket | None:
    """The live ticket behind ``token`` and its person (still allowed in), or None."""
    row = one_time.find_link(session, purpose=TokenPurpose.LOGIN_TICKET, token=token, clock=clock)
    user = session.get(User, row.user_id) if row is not None and row.user_id is not None else None
    if row is None or user is None or not user.is_active or user.erased_at is not None:
        return None
    return Ticket(row=row, user=user)


def begin_enrolment_with_ticket(session: Session, *, token: str, clock: Clock = now) -> Enrolment:
    """Enrolment for a person whose ticket says they must enrol before signing in."""
    ticket = open_ticket(session, token, clock=clock)
    if ticket is None or not ticket.enrol:
        raise NotAuthenticated("This sign-in has expired. Sign in again.")
    return begin_enrolment(session, user=ticket.user, clock=clock)


def pass_second_step(session: Session, ticket: Ticket, code: str, *, clock: Clock = now) -> str | None:
    """Check ``code`` for the ticket's person; the method used ("totp", "recovery_code") or None.

    An enrolment ticket confirms the person's new authenticator instead. A wrong
    code counts against the ticket, which dies after a few.
    """
    user, row = ticket.user, ticket.row
    if ticket.enrol:
        used = "totp" if _confirm_pending(session, user, code, clock) else None
    else:
        used = check_code(session, user, code, allow_recovery=True, clock=clock)
    one_time.settle_answer(session, row, passed=used is not None, clock=clock)
    session.flush()
    return used


def check_code(session: Session, user: User, code: str, *, allow_recovery: bool, clock: Clock = now) -> str | None:
    """Use ``code`` up if it is the person's current app code (or, if allowed, an unused recovery code)."""
    method = active_method(session, user.id)
    if method is None:
        return None
    moment = clock()
    if _accept_totp(method, code, moment):
        method.last_used_at = moment
        session.add(method)
        session.flush()
        return "totp"
    if allow_recovery:
        digest = _recovery_hash(code)
        for row in _unused_codes(session, user.id):
            if hmac.compare_digest(row.code_hash, digest):
                row.used_at = moment
                session.add(row)
                session.flush()
                return "recovery_code"
    return None


# Internals ---------------------------------------------------------------------


def _require_second_step(
    session: Session, user: User, code: str, *, allow_recovery: bool, ip: str, user_agent: str, clock: Clock
) -> str:
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    if active_method(session, user.id) is None:
        raise Conflict(NOT_ENROLLED)
    used = check_code(session, user, code, allow_recovery=allow_recovery, clock=clock)
    if used is None:
        throttle.record(session, *budget, clock=clock)
        trail.record(
            session,
            "auth.two_step_failed",
            actor=user,
            target=user,
            meta={"step": "confirmation"},
            pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
        )
        session.commit()
        raise ValidationFailed(BAD_CODE, fields={"code": BAD_CODE})
    return used


def _confirm_pending(session: Session, user: User, code: str, clock: Clock) -> bool:
    pending = session.exec(
        select(TwoStepMethod).where(TwoStepMethod.user_id == user.id, col(TwoStepMethod.confirmed_at).is_(None))
    ).first()
    if pending is None or not _accept_totp(pending, code, clock()):
        return False
    pending.confirmed_at = clock()
    session.add(pending)
    trail.record(session, "auth.two_step_enrolled", actor=user, target=user, meta={"method": "totp"})
    emails.send_two_step_changed(session, user.email, enabled=True)
    return True


def _accept_totp(method: TwoStepMethod, code: str, moment: datetime) -> bool:
    """Whether ``code`` is the app's code for a step near ``moment`` not used before; records the step."""
    digits = "".join(char for char in unicodedata.normalize("NFKC", code or "") if char not in " -\t")
    if len(digits) != 6 or not digits.isdigit():
        return False
    totp = pyotp.TOTP(unseal(method.sealed_secret, purpose=_SEAL_PURPOSE, bound_to=_bound_to(method.user_id)))
    current = totp.timecode(moment)
    for step in range(current - _DRIFT_STEPS, current + _DRIFT_STEPS + 1):
        if step > method.last_step and hmac.compare_digest(totp.generate_otp(step), digits):
            method.last_step = step
            return True
    return False


def _replace_recovery_codes(session: Session, user: User, clock: Clock) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    moment = clock()
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code), created_at=moment) for code in codes)
    session.flush()
    return codes


def _unused_codes(session: Session, user_id: int | None) -> list[RecoveryCode]:
    return list(
        session.exec(
            select(RecoveryCode).where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
        ).all()
    )


def _forget(session: Session, user_id: int | None) -> None:
    session.execute(delete(TwoStepMethod).where(TwoStepMethod.user_id == user_id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.flush()


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
        for _ in range(_RECOVERY_GROUPS)
    )
    return "-".join(groups)


def _recovery_hash(code: str) -> str:
    """Typed as shown, or with other case, spaces or no dashes: the same hash."""
    cleaned = "".join(char for char in unicodedata.normalize("NFKC", code or "").lower() if char.isalnum())
    return token_hash(cleaned[:64], purpose=_RECOVERY_HASH)


def _bound_to(user_id: int | None) -> str:
    return f"account_user:{user_id}"


def _enrolment(secret: str, user: User) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    image: Any = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return Enrolment(secret=secret, uri=uri, qr_svg=buffer.getvalue().decode())
