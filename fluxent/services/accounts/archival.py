"""Archiving client accounts once their engagements are over (privacy policy, section 5:
"for the duration of the engagement plus a defined archival window").

A client whose engagements have all closed keeps the account for
``FLUXENT_ACCOUNT_ARCHIVE_MONTHS`` after the last one closed. Thirty days before the end
the person is told by e-mail (once per closing); the account is archived when the window
is over and the notice has had its thirty days: signed out everywhere, its codes and links
revoked, and no longer able to sign in. Reopening an engagement, or a new one, stops the
clock; a later closing starts it again, with a new notice.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from sqlalchemy import case, func, type_coerce, update
from sqlmodel import Session, col, select

from fluxent.core.db import UTCDateTime
from fluxent.core.settings import get_settings
from fluxent.models.accounts import Membership, Role, User
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.routes import LOGIN
from fluxent.services.audit import trail
from fluxent.services.auth import one_time
from fluxent.services.auth.emails import _deliver, url

NOTICE_BEFORE = timedelta(days=30)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _last_closed():
    """Per client, when the last engagement of their organizations closed; only clients
    whose engagements are all closed."""
    closed_at = type_coerce(func.coalesce(Engagement.closed_at, Engagement.updated_at), UTCDateTime())
    per_user = (
        select(
            col(Membership.user_id).label("user_id"),
            type_coerce(func.max(closed_at), UTCDateTime()).label("last_closed"),
        )
        .join(Engagement, Engagement.organization_id == Membership.organization_id)
        .group_by(col(Membership.user_id))
        .having(func.sum(case((Engagement.status != EngagementStatus.CLOSED, 1), else_=0)) == 0)
        .subquery()
    )
    return per_user.c.user_id, per_user.c.last_closed, per_user


def _clients_closed_before(cutoff: datetime):
    user_id, last_closed, per_user = _last_closed()
    statement = (
        select(User, last_closed)
        .join(per_user, user_id == User.id)
        .where(
            User.role == Role.CLIENT,
            col(User.archived_at).is_(None),
            col(User.erased_at).is_(None),
            last_closed <= cutoff,
        )
    )
    return statement, last_closed


def _notice_due(moment: datetime):
    statement, last_closed = _clients_closed_before(months_before(moment + NOTICE_BEFORE, _window()))
    return statement.where(
        (col(User.archive_notice_sent_at).is_(None)) | (col(User.archive_notice_sent_at) < last_closed)
    )


def _archive_due(moment: datetime):
    statement, last_closed = _clients_closed_before(months_before(moment, _window()))
    return statement.where(
        col(User.archive_notice_sent_at) >= last_closed,
        col(User.archive_notice_sent_at) <= moment - NOTICE_BEFORE,
    )


def archival_date(session: Session, *, user: User, moment: datetime) -> datetime | None:
    """When ``user``'s account will be archived, as things stand at ``moment``: the archival window
    after the last engagement closed, and never sooner than thirty days after the notice (sent, or
    still to send). None for staff, for an archived account, and while any engagement is open."""
    if user.role != Role.CLIENT or user.archived_at is not None or user.erased_at is not None:
        return None
    user_id, last_closed, per_user = _last_closed()
    closed = session.exec(select(last_closed).select_from(per_user).where(user_id == user.id)).first()
    if closed is None:
        return None
    window_ends = _add_months(closed, _window())
    notice = user.archive_notice_sent_at
    if notice is not None and notice >= closed:
        return max(window_ends, notice + NOTICE_BEFORE)
    return max(window_ends, moment + NOTICE_BEFORE)


def count_notices_due(session: Session, *, moment: datetime) -> int:
    return len(session.exec(_notice_due(moment)).all())


def count_archives_due(session: Session, *, moment: datetime) -> int:
    return len(session.exec(_archive_due(moment)).all())


def send_notices(session: Session, *, moment: datetime, limit: int) -> int:
    """E-mail up to ``limit`` clients whose account is 30 days from archival (each once); returns how many."""
    rows = session.exec(_notice_due(moment).limit(limit)).all()
    for user, last_closed in rows:
        archive_on = max(_add_months(last_closed, _window()), moment + NOTICE_BEFORE)
        user.archive_notice_sent_at = moment
        session.add(user)
        trail.record(
            session,
            "accounts.archive_notice_sent",
            target=user,
            meta={"archive_on": archive_on.date()},
            clock=lambda: moment,
        )
        _deliver(
            user.email,
            "Your Fluxent account will be archived",
            [
                f"All your engagements with Fluxent have closed, so under our privacy policy your client "
                f"portal account will be archived on {archive_on:%B} {archive_on.day}, {archive_on.year}.",
                "Archived accounts can no longer sign in. Sign in before then to download your documents and "
                "invoices, or write to support@fluxent.tech if you are starting new work with us.",
            ],
            link=(url(LOGIN), "Sign in"),
            session=session,
        )
    session.flush()
    return len(rows)


def archive_accounts(session: Session, *, moment: datetime, limit: int) -> int:
    """Archive up to ``limit`` accounts whose archival window and notice period are over; returns how many."""
    rows = session.exec(_archive_due(moment).limit(limit)).all()
    for user, _last in rows:
        user.archived_at, user.is_active = moment, False
        session.add(user)
        session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user.id, col(AuthSession.revoked_at).is_(None))
            .values(revoked_at=moment)
        )
        one_time.revoke_all_of(session, user_id=user.id, clock=lambda: moment)
        trail.record(session, "accounts.archived", target=user, clock=lambda: moment)
    session.flush()
    return len(rows)


def _window() -> int:
    return get_settings().account_archive_months


def _add_months(moment: datetime, months: int) -> datetime:
    return months_before(moment, -months)
