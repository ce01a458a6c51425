"""One-time secrets: e-mail codes, magic links, password-reset links, invitations, login tickets.

One table (``auth_one_time_token``) holds them all as keyed hashes only. Each is
single use and short-lived; issuing a new one of a purpose for a person revokes
that person's older ones. Codes are six digits, so besides expiring they allow
five wrong attempts, and the count survives asking for a new code: it carries over
from the person's previous code while that one has not expired.

Codes serve several purposes (signing in, confirming a new e-mail address,
confirming account deletion, opening a document to sign); each purpose keeps its own codes and attempt count.

Links are found by their hash. Codes are found by (purpose, e-mail) and then
compared by hash; each code's hash is salted with a random value kept beside it,
so two people who happen to get the same six digits never share a hash.
"""

from __future__ import annotations

import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.tokens import new_token, token_hash
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.auth import throttle

CODE_DIGITS = 6
CODE_MAX_ATTEMPTS = 5
TIME_TO_LIVE = {
    TokenPurpose.EMAIL_CODE: timedelta(minutes=10),
    TokenPurpose.MAGIC_LINK: timedelta(minutes=15),
    TokenPurpose.PASSWORD_RESET: timedelta(minutes=15),
    TokenPurpose.INVITATION: timedelta(days=7),
    TokenPurpose.EMAIL_CHANGE: timedelta(minutes=10),
    TokenPurpose.REAUTH: timedelta(minutes=10),
    TokenPurpose.ESIGN_CODE: timedelta(minutes=10),
    TokenPurpose.SSO_STATE: timedelta(minutes=10),
    # Between the first and the second step of a sign-in.
    TokenPurpose.LOGIN_TICKET: timedelta(minutes=5),
    TokenPurpose.PRIVACY_CODE: timedelta(minutes=10),
    # The e-mailed link to a privacy request's data export.
    TokenPurpose.PRIVACY_EXPORT: timedelta(hours=72),
    # The challenge a browser's passkey signs.
    TokenPurpose.PASSKEY_REGISTRATION: timedelta(minutes=5),
    TokenPurpose.PASSKEY_SIGN_IN: timedelta(minutes=3),
}
CODE_PURPOSES = frozenset(
    {
        TokenPurpose.EMAIL_CODE,
        TokenPurpose.EMAIL_CHANGE,
        TokenPurpose.REAUTH,
        TokenPurpose.ESIGN_CODE,
        TokenPurpose.PRIVACY_CODE,
    }
)
# Longer input is not a token this module issued; refuse it without hashing.
_MAX_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class IssuedCode:
    """A new code (``code`` is what goes in the e-mail), or, when the person's
    previous code used up its attempts and has not expired yet, no code and the
    time after which one may be issued again."""

    token: OneTimeToken | None
    code: str | None
    blocked_until: datetime | None = None


def normalize_address(email: str) -> str:
    return throttle.normalize_login(email)


def issue_link(
    session: Session,
    *,
    purpose: TokenPurpose,
    email: str,
    user_id: int | None = None,
    organization_id: int | None = None,
    payload: dict[str, Any] | None = None,
    clock: Clock = now,
) -> tuple[OneTimeToken, str]:
    """A new link token for ``purpose``; returns the row and the raw token (never stored).

    A token for nobody yet (no address: a single sign-on that has not said who) revokes nothing.
    """
    purpose = TokenPurpose(purpose)
    if purpose in CODE_PURPOSES:
        raise ValueError("codes are issued with issue_code")
    moment = clock()
    address = normalize_address(email)
    if address:
        revoke_outstanding(session, purpose=purpose, email=address, organization_id=organization_id, clock=clock)
    raw = new_token()
    row = OneTimeToken(
        purpose=purpose,
        token_hash=_link_hash(raw, purpose),
        user_id=user_id,
        email=address,
        organization_id=organization_id,
        payload=json.dumps(payload or {}, sort_keys=True),
        attempts=0,
        max_attempts=1,
        created_at=moment,
        expires_at=moment + TIME_TO_LIVE[purpose],
    )
    session.add(row)
    session.flush()
    return row, raw


def issue_code(
    session: Session,
    *,
    email: str,
    user_id: int | None,
    purpose: TokenPurpose = TokenPurpose.EMAIL_CODE,
    payload: dict[str, Any] | None = None,
    clock: Clock = now,
) -> IssuedCode:
    """A new six-digit code for ``email`` carrying over the previous code's failed attempts."""
    purpose = _code_purpose(purpose)
    moment = clock()
    address = normalize_address(email)
    previous = _latest_code(session, purpose, address, moment, live_only=False, lock=True)
    carried = previous.attempts if previous is not None and previous.used_at is None else 0
    if previous is not None and carried >= previous.max_attempts:
        return IssuedCode(token=None, code=None, blocked_until=previous.expires_at)
    revoke_outstanding(session, purpose=purpose, email=address, clock=clock)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = new_token(16)
    row = OneTimeToken(
        purpose=purpose,
        token_hash=_code_hash(code, salt, purpose),
        user_id=user_id,
        email=address,
        payload=json.dumps({**(payload or {}), "salt": salt}, sort_keys=True),
        attempts=carried,
        max_attempts=CODE_MAX_ATTEMPTS,
        created_at=moment,
        expires_at=moment + TIME_TO_LIVE[purpose],
    )
    session.add(row)
    session.flush()
    return IssuedCode(token=row, code=code)


def redeem_code(
    session: Session,
    *,
    email: str,
    code: str,
    purpose: TokenPurpose = TokenPurpose.EMAIL_CODE,
    clock: Clock = now,
) -> OneTimeToken | None:
    """Use the person's live code if ``code`` matches it; otherwise count a wrong attempt
    (the fifth burns the code) and return None."""
    purpose = _code_purpose(purpose)
    moment = clock()
    row = _latest_code(session, purpose, normalize_address(email), moment, live_only=True, lock=True)
    if row is None:
        return None
    salt = json.loads(row.payload).get("salt", "")
    candidate = _code_hash(_clean_code(code), salt, purpose)
    if hmac.compare_digest(candidate, row.token_hash):
        row.used_at = moment
    else:
        row.attempts += 1
        if row.attempts >= row.max_attempts:
            row.revoked_at = moment
    session.add(row)
    session.flush()
    return row if row.used_at is not None else None


def find_link(
    session: Session, *, purpose: TokenPurpose, token: str, lock: bool = True, clock: Clock = now
) -> OneTimeToken | None:
    """The live token behind ``token`` without using it up (locked until the transaction ends,
    unless ``lock`` is False: a read that only checks the token, in a read-only unit of work)."""
    purpose = TokenPurpose(purpose)
    if purpose in CODE_PURPOSES or not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    statement = (
        select(OneTimeToken)
        .where(
            OneTimeToken.token_hash == _link_hash(token, purpose),
            OneTimeToken.purpose == purpose,
            col(OneTimeToken.used_at).is_(None),
            col(OneTimeToken.revoked_at).is_(None),
            OneTimeToken.expires_at > clock(),
        )
        .execution_options(populate_existing=True)
    )
    if lock:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def redeem_link(session: Session, *, purpose: TokenPurpose, token: str, clock: Clock = now) -> OneTimeToken | None:
    """Find and use up the live token behind ``token``, or None."""
    row = find_link(session, purpose=purpose, token=token, clock=clock)
    if row is not None:
        mark_used(session, row, clock=clock)
    return row


def mark_used(session: Session, row: OneTimeToken, *, clock: Clock = now) -> None:
    row.used_at = clock()
    session.add(row)
    session.flush()


def settle_answer(session: Session, row: OneTimeToken, *, passed: bool, clock: Clock = now) -> None:
    """A sign-in ticket's second step was answered: a right answer uses the ticket up; a wrong one
    counts against it, and enough wrong ones end it."""
    if passed:
        mark_used(session, row, clock=clock)
        return
    row.attempts += 1
    if row.attempts >= row.max_attempts:
        row.revoked_at = clock()
    session.add(row)


def pending_invitations(session: Session, *, organization_id: int | None, clock: Clock = now) -> list[OneTimeToken]:
    """Invitations to the organization (None: to no organization) not yet used, revoked or expired, newest first."""
    statement = select(OneTimeToken).where(
        *_pending_invitation(clock()),
        OneTimeToken.organization_id == organization_id
        if organization_id is not None
        else col(OneTimeToken.organization_id).is_(None),
    )
    return list(
        session.exec(statement.order_by(col(OneTimeToken.created_at).desc(), col(OneTimeToken.id).desc())).all()
    )


def revoke(session: Session, row: OneTimeToken, *, clock: Clock = now) -> None:
    row.revoked_at = clock()
    session.add(row)
    session.flush()


def revoke_outstanding(
    session: Session,
    *,
    purpose: TokenPurpose,
    email: str | None = None,
    user_id: int | None = None,
    organization_id: int | None = None,
    clock: Clock = now,
) -> int:
    """Revoke the unused tokens of ``purpose`` for a person (by e-mail or user id).

    Invitations are per organization: a new invitation to one organization leaves
    a pending invitation to another standing.
    """
    purpose = TokenPurpose(purpose)
    if email is None and user_id is None:
        raise ValueError("say whose tokens to revoke")
    statement = update(OneTimeToken).where(
        OneTimeToken.purpose == purpose,
        col(OneTimeToken.used_at).is_(None),
        col(OneTimeToken.revoked_at).is_(None),
    )
    if email is not None:
        statement = statement.where(OneTimeToken.email == normalize_address(email))
    if user_id is not None:
        statement = statement.where(OneTimeToken.user_id == user_id)
    if purpose is TokenPurpose.INVITATION:
        statement = statement.where(
            OneTimeToken.organization_id == organization_id
            if organization_id is not None
            else col(OneTimeToken.organization_id).is_(None)
        )
    result = session.execute(statement.values(revoked_at=clock()).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0


def revoke_all_of(session: Session, *, user_id: int, clock: Clock = now) -> int:
    """Revoke every unused code and link of a person (not invitations, which add a
    membership and sign no existing account in); for when the password or address changes."""
    statement = update(OneTimeToken).where(
        OneTimeToken.user_id == user_id,
        OneTimeToken.purpose != TokenPurpose.INVITATION,
        col(OneTimeToken.used_at).is_(None),
        col(OneTimeToken.revoked_at).is_(None),
    )
    result = session.execute(statement.values(revoked_at=clock()).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0


def _spent(moment: datetime):
    """Used or expired: nothing can redeem them any more. A code burned by wrong attempts stays
    until it expires, because it holds the attempt count a new code carries over."""
    return or_(col(OneTimeToken.used_at).is_not(None), OneTimeToken.expires_at <= moment)


def count_spent(session: Session, *, moment: datetime) -> int:
    return session.scalar(select(func.count()).select_from(OneTimeToken).where(_spent(moment))) or 0


def purge_spent(session: Session, *, moment: datetime, limit: int) -> int:
    """Delete up to ``limit`` used or expired tokens (retention), and with them what their
    payload held, such as a new e-mail address waiting for its code. Returns how many went."""
    batch = select(OneTimeToken.id).where(_spent(moment)).limit(limit)
    result = session.execute(delete(OneTimeToken).where(col(OneTimeToken.id).in_(batch)))
    return result.rowcount or 0


def invitations_expiring(session: Session, *, within: timedelta, clock: Clock = now) -> list[OneTimeToken]:
    """Pending invitations (to any organization or none) that expire within ``within`` from now."""
    moment = clock()
    statement = select(OneTimeToken).where(*_pending_invitation(moment), OneTimeToken.expires_at <= moment + within)
    return list(session.exec(statement.order_by(col(OneTimeToken.id))).all())


def _pending_invitation(moment: datetime) -> tuple[Any, ...]:
    return (
        OneTimeToken.purpose == TokenPurpose.INVITATION,
        col(OneTimeToken.used_at).is_(None),
        col(OneTimeToken.revoked_at).is_(None),
        OneTimeToken.expires_at > moment,
    )


def payload_of(row: OneTimeToken) -> dict[str, Any]:
    return json.loads(row.payload or "{}")


def _latest_code(
    session: Session, purpose: TokenPurpose, address: str, moment: datetime, *, live_only: bool, lock: bool
) -> OneTimeToken | None:
    """The person's most recent unexpired code (used, revoked or burned too unless ``live_only``)."""
    statement = select(OneTimeToken).where(
        OneTimeToken.purpose == purpose,
        OneTimeToken.email == address,
        OneTimeToken.expires_at > moment,
    )
    if live_only:
        statement = statement.where(col(OneTimeToken.used_at).is_(None), col(OneTimeToken.revoked_at).is_(None))
    statement = statement.order_by(col(OneTimeToken.id).desc()).limit(1)
    if lock:
        statement = statement.with_for_update()
    return session.exec(statement.execution_options(populate_existing=True)).first()


def _clean_code(code: str) -> str:
    """What people type: full-width digits, spaces or a dash in the middle are fine."""
    cleaned = unicodedata.normalize("NFKC", code or "")
    return "".join(char for char in cleaned if char not in " -\t")[:_MAX_TOKEN_LENGTH]


def _link_hash(token: str, purpose: TokenPurpose) -> str:
    return token_hash(token, purpose=f"one_time.{purpose.value}")


def _code_purpose(purpose: TokenPurpose) -> TokenPurpose:
    purpose = TokenPurpose(purpose)
    if purpose not in CODE_PURPOSES:
        raise ValueError(f"{purpose.value} tokens are links, not codes")
    return purpose


def _code_hash(code: str, salt: str, purpose: TokenPurpose) -> str:
    return token_hash(f"{salt}.{code}", purpose=f"one_time.{purpose.value}")
