"""Signed-in sessions: start, resolve on every request or event, revoke.

The browser holds a random ``sessionid``; the database holds only its keyed hash.
A session ends after ``FLUXENT_SESSION_IDLE_MINUTES`` without use or
``FLUXENT_SESSION_ABSOLUTE_DAYS`` after sign-in, whichever comes first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.db import write_soon
from fluxent.core.settings import get_settings
from fluxent.core.tokens import new_token, token_hash
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession

_PURPOSE = "session"
# Refreshing last_seen_at on every event would make every read a write; a minute is precise enough.
_TOUCH_EVERY = timedelta(minutes=1)


# Built once: the hot statements of every request and event (statement objects are
# immutable; SQLAlchemy caches their compiled form, and building them costs more than running them).
_BY_KEY = (
    select(AuthSession, User)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.key_hash == bindparam("key_hash"))
)


def start_session(
    session: Session, *, user: User, ip: str = "", user_agent: str = "", clock: Clock = now
) -> tuple[AuthSession, str]:
    """Create a session for ``user``; returns it and the raw cookie value (never stored)."""
    raw = new_token()
    moment = clock()
    auth_session = AuthSession(
        key_hash=token_hash(raw, purpose=_PURPOSE),
        user_id=user.id,
        ip=ip[:45],
        user_agent=user_agent[:300],
        created_at=moment,
        last_seen_at=moment,
        expires_at=moment + timedelta(days=get_settings().session_absolute_days),
    )
    session.add(auth_session)
    session.flush()
    return auth_session, raw


def binding_key(raw: str | None) -> str:
    """A keyed hash naming the session a ``sessionid`` value stands for ("" and None: nobody).

    Browser-tab state records it to notice that the cookie behind the tab changed;
    it is not the hash the database stores, so the state never holds a lookup key.
    """
    return token_hash(raw or "", purpose="tab-binding")


def resolve(
    session: Session, raw: str | None, *, touch: bool = True, clock: Clock = now
) -> tuple[AuthSession, User] | None:
    """The live session and active user behind a ``sessionid``, or None.

    ``touch=False`` is for checks the browser makes on its own (an open tab's timer):
    they are not activity, so they leave the idle clock running. In a read-only unit
    of work the refresh runs in a brief write of its own after the read commits.
    """
    if not raw or len(raw) > 128:
        return None
    found = session.exec(_BY_KEY, params={"key_hash": token_hash(raw, purpose=_PURPOSE)}).first()
    if found is None:
        return None
    auth_session, user = found
    moment = clock()
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    if (
        auth_session.revoked_at is not None
        or moment >= auth_session.expires_at
        or moment - auth_session.last_seen_at >= idle_limit
        or not user.is_active
        or user.erased_at is not None
    ):
        return None
    if touch and moment - auth_session.last_seen_at >= _TOUCH_EVERY:
        write_soon(session, lambda writer: _touch(writer, auth_session.id, moment))
    return auth_session, user


def adopt(session: Session, found: tuple[AuthSession, User] | None) -> tuple[AuthSession, User] | None:
    """What :func:`resolve` found in another unit of work, as objects of ``session``, without reading them again.

    For a caller that checks a session once and then works in several units (one
    page event): the objects are attached to ``session`` as they were resolved.
    """
    if found is None:
        return None
    auth_session, user = found
    return session.merge(auth_session, load=False), session.merge(user, load=False)


def _touch(session: Session, session_id: int | None, moment: datetime) -> None:
    # Never moves the time backwards, whichever of two concurrent requests lands first.
    session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.last_seen_at < moment)
        .values(last_seen_at=moment)
    )


def revoke(session: Session, auth_session: AuthSession, *, clock: Clock = now) -> None:
    if auth_session.revoked_at is None:
        auth_session.revoked_at = clock()
        session.add(auth_session)


def ended_at(row: AuthSession) -> datetime:
    """When a session ends (or ended): sign-out, its absolute limit, or its idle limit, whichever is first."""
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    ends = [row.expires_at, row.last_seen_at + idle]
    return min([*ends, row.revoked_at] if row.revoked_at is not None else ends)


def _ended_untraced(ended_before: datetime):
    """Sessions that ended (signed out, past their absolute or idle limit) before ``ended_before``
    and still hold an IP address or browser name."""
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    return (
        or_(
            col(AuthSession.revoked_at) < ended_before,
            AuthSession.expires_at < ended_before,
            AuthSession.last_seen_at < ended_before - idle,
        ),
        or_(AuthSession.ip != "", AuthSession.user_agent != ""),
    )


def count_traced(session: Session, *, ended_before: datetime) -> int:
    statement = select(func.count()).select_from(AuthSession).where(*_ended_untraced(ended_before))
    return session.scalar(statement) or 0


def forget_traces(session: Session, *, ended_before: datetime, limit: int) -> int:
    """Retention: clear the IP address and user agent of up to ``limit`` sessions that ended
    before ``ended_before`` (the rows stay: they are the account's sign-in history)."""
    batch = select(AuthSession.id).where(*_ended_untraced(ended_before)).limit(limit)
    result = session.execute(update(AuthSession).where(col(AuthSession.id).in_(batch)).values(ip="", user_agent=""))
    return result.rowcount or 0
