"""Announcing an upcoming version of a legal document (``python -m fluxent policy announce``).

1. :func:`announce` records the announcement (the newest file's version, title and summary of
   changes) and writes one notice row per person: every active account holder and every
   confirmed newsletter subscriber, once per address. Run again, it finds the announcement and
   adds only people not listed yet (accounts opened since).
2. :func:`send_notices` sends the rows not yet sent, one by one: each is claimed (an UPDATE only
   one sender wins), sent outside any transaction, then marked sent. A run that stops part-way
   is resumed by running the command again; only a message in flight at the stop can go twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select, update
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.core.email import send
from fluxent.core.errors import Conflict, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.marketing import NewsletterSubscription
from fluxent.models.policies import PolicyAnnouncement, PolicyNotice
from fluxent.routes import LEGAL_DOCUMENTS
from fluxent.services.audit import trail
from fluxent.services.marketing.content import CONTENT_DIR
from fluxent.services.policies import emails, versions

log = logging.getLogger(__name__)

CLAIM = timedelta(minutes=5)  # longer than any SMTP conversation


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int
    waiting: int  # rows still unsent afterwards (failures, or claimed by another sender)


def announce(
    session: Session, *, document: str, effective: date, clock: Clock = now, directory: Path = CONTENT_DIR
) -> PolicyAnnouncement:
    """Record the announcement of ``document``'s newest version (once) and list who is told.

    ``effective`` must be the date in the newest file's front matter: the command names the
    change it means to announce, and a mismatch stops it before anyone is mailed. ``directory``
    holds the content (tests give their own).
    """
    if document not in LEGAL_DOCUMENTS:
        raise ValidationFailed(
            f"There is no legal document {document!r}.", fields={"document": f"one of {', '.join(LEGAL_DOCUMENTS)}"}
        )
    newest = versions.versions(document, directory)[0]
    if newest.effective != effective:
        raise ValidationFailed(
            f"The newest {newest.title} (version {newest.number}) takes effect on {newest.effective.isoformat()}, "
            f"not {effective.isoformat()}.",
            fields={"effective": f"the 'effective' date in content/legal/{document}.md"},
        )
    announcement = session.scalars(
        select(PolicyAnnouncement).where(
            PolicyAnnouncement.document == document, PolicyAnnouncement.version == newest.number
        )
    ).one_or_none()
    if announcement is None:
        announcement = _record(session, newest, clock=clock)
    elif announcement.effective_on != effective:  # the file was edited after the announcement
        raise Conflict(
            f"Version {newest.number} of the {newest.title} was announced as taking effect on "
            f"{announcement.effective_on.isoformat()}; publish a new version to change the date."
        )
    _list_recipients(session, announcement)
    return announcement


def _record(session: Session, newest: versions.PolicyVersion, *, clock: Clock) -> PolicyAnnouncement:
    if newest.number == 1:
        raise ValidationFailed(f"The {newest.title} has only its first version: there is no change to announce.")
    if newest.effective < clock().date():
        raise ValidationFailed(
            f"Version {newest.number} of the {newest.title} took effect on {newest.effective.isoformat()}: "
            "a change is announced before it takes effect."
        )
    announcement = PolicyAnnouncement(
        document=newest.document,
        version=newest.number,
        title=newest.title,
        changes=newest.changes,
        effective_on=newest.effective,
        announced_at=clock(),
    )
    session.add(announcement)
    session.flush()
    trail.record(
        session,
        "policy.announced",
        target=announcement,
        meta={"document": newest.document, "version": newest.number, "effective": newest.effective.isoformat()},
        clock=clock,
    )
    return announcement


def recipients(session: Session) -> list[str]:
    """Every address a policy notice goes to, once each: account holders, then confirmed subscribers."""
    accounts = session.scalars(
        select(User.email).where(User.is_active.is_(True), User.erased_at.is_(None)).order_by(User.id)
    )
    subscribers = session.scalars(
        select(NewsletterSubscription.email)
        .where(NewsletterSubscription.confirmed_at.is_not(None))
        .order_by(NewsletterSubscription.id)
    )
    return list(dict.fromkeys(address.strip().lower() for address in [*accounts, *subscribers]))


def _list_recipients(session: Session, announcement: PolicyAnnouncement) -> None:
    listed = set(session.scalars(select(PolicyNotice.email).where(PolicyNotice.announcement_id == announcement.id)))
    session.add_all(
        PolicyNotice(announcement_id=announcement.id, email=address)
        for address in recipients(session)
        if address not in listed
    )
    session.flush()


def _due(announcement_id: int, moment):
    return (
        PolicyNotice.announcement_id == announcement_id,
        PolicyNotice.sent_at.is_(None),
        or_(PolicyNotice.claimed_until.is_(None), PolicyNotice.claimed_until < moment),
    )


def send_notices(announcement_id: int, *, clock: Clock = now) -> Delivery:
    """Send every notice of the announcement not sent yet (see the module's docstring)."""
    with read_scope() as session:
        ids = list(
            session.scalars(select(PolicyNotice.id).where(*_due(announcement_id, clock())).order_by(PolicyNotice.id))
        )
    sent = failed = 0
    for notice_id in ids:
        message = _claim(notice_id, announcement_id, clock)
        if message is None:
            continue  # another sender has it
        try:
            send(message)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server leaves the row for the next run
            failed += 1
            log.warning("policy notice %s not sent: %s", notice_id, error)
            _finish(notice_id, sent_at=None)
        else:
            sent += 1
            _finish(notice_id, sent_at=clock())
    with read_scope() as session:
        waiting = session.scalar(
            select(func.count())
            .select_from(PolicyNotice)
            .where(PolicyNotice.announcement_id == announcement_id, PolicyNotice.sent_at.is_(None))
        )
    return Delivery(sent=sent, failed=failed, waiting=waiting)


def _claim(notice_id: int, announcement_id: int, clock: Clock):
    moment = clock()
    with session_scope() as session:
        won = session.execute(
            update(PolicyNotice)
            .where(PolicyNotice.id == notice_id, *_due(announcement_id, moment))
            .values(claimed_until=moment + CLAIM)
        ).rowcount
        if not won:
            return None
        notice = session.get(PolicyNotice, notice_id)
        return emails.notice(session.get(PolicyAnnouncement, announcement_id), notice.email)


def _finish(notice_id: int, *, sent_at) -> None:
    with session_scope() as session:
        session.execute(
            update(PolicyNotice).where(PolicyNotice.id == notice_id).values(claimed_until=None, sent_at=sent_at)
        )
