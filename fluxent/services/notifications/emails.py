"""The notification centre's e-mails: one notice at once, or the daily digest of several."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from fluxent.core.dates import moment
from fluxent.models.accounts import User
from fluxent.models.notifications import Notification
from fluxent.routes import PORTAL_NOTIFICATION_SETTINGS, PORTAL_NOTIFICATIONS
from fluxent.services.auth.emails import _deliver, url

SETTINGS_LINE = "Choose which e-mails you get, and when, under Notifications → E-mail preferences in the portal."


def notice(session: Session, person: User, *, title: str, link: str) -> None:
    _deliver(
        person.email,
        title,
        [title, SETTINGS_LINE],
        link=(url(link), "Open in the portal"),
        session=session,
    )


def digest(session: Session, person: User, items: Sequence[Notification]) -> None:
    count = len(items)
    _deliver(
        person.email,
        f"Your Fluxent digest: {count} update{'s' if count != 1 else ''}",
        [
            f"Here is what happened in the portal since your last digest ({count}).",
            f"You get this digest once a day; change it at {url(PORTAL_NOTIFICATION_SETTINGS)}.",
        ],
        link=(url(PORTAL_NOTIFICATIONS), "Open your notifications"),
        details=tuple((moment(item.created_at), item.title) for item in items),
        session=session,
    )
