"""Portal notices by e-mail: milestones to decide or decided (with a receipt to the owner who
accepted), documents added.

Each goes once the caller's transaction commits (a rolled-back change tells no one).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from fluxent.models.accounts import User
from fluxent.routes import PORTAL_DOCUMENTS, PORTAL_ENGAGEMENTS
from fluxent.services.auth.emails import _deliver, url


def _each(
    session: Session, recipients: Iterable[User], subject: str, paragraphs: list[str], link: tuple[str, str]
) -> int:
    sent = 0
    for person in {user.id: user for user in recipients if user.is_active and user.erased_at is None}.values():
        _deliver(person.email, subject, paragraphs, link=link, session=session)
        sent += 1
    return sent


def milestone_submitted(session: Session, recipients: Iterable[User], *, engagement: str, milestone: str) -> int:
    return _each(
        session,
        recipients,
        f"Milestone ready for your acceptance: {milestone}",
        [
            f"Fluxent has submitted the milestone \u201c{milestone}\u201d of {engagement} for your acceptance.",
            "Review it in the portal, then accept it or tell us what should change.",
        ],
        (url(PORTAL_ENGAGEMENTS), "Review the milestone"),
    )


def milestone_decided(
    session: Session, recipients: Iterable[User], *, engagement: str, milestone: str, accepted: bool, note: str
) -> int:
    verdict = "accepted" if accepted else "asked for changes to"
    paragraphs = [f"The client {verdict} the milestone \u201c{milestone}\u201d of {engagement}."]
    if note:
        paragraphs.append(f"Their note: {note}")
    subject = f"Milestone accepted: {milestone}" if accepted else f"Changes requested: {milestone}"
    return _each(session, recipients, subject, paragraphs, (url(PORTAL_ENGAGEMENTS), "Open the engagement"))


def milestone_accepted_receipt(
    session: Session, recipient: User, *, engagement: str, milestone: str, amount: str, note: str
) -> int:
    """The accepting owner's own record of what they accepted and what follows."""
    paragraphs = [
        f"You accepted the milestone \u201c{milestone}\u201d of {engagement}.",
        f"{amount} will be invoiced; the invoice follows by e-mail and appears under Billing in the portal.",
    ]
    if note:
        paragraphs.append(f"Your note: {note}")
    return _each(
        session,
        [recipient],
        f"Receipt: you accepted {milestone}",
        paragraphs,
        (url(PORTAL_ENGAGEMENTS), "Open the engagement"),
    )


def document_added(session: Session, recipients: Iterable[User], *, filename: str, where: str, by_staff: bool) -> int:
    who = "Fluxent" if by_staff else "Your client"
    return _each(
        session,
        recipients,
        f"New document: {filename}",
        [f"{who} added the document \u201c{filename}\u201d to {where}."],
        (url(PORTAL_DOCUMENTS), "Open documents"),
    )
