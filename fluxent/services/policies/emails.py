"""The notice e-mailed about an upcoming version of a legal document."""

from __future__ import annotations

from fluxent import routes
from fluxent.core.email import Email
from fluxent.core.email_layout import Content, compose
from fluxent.core.settings import get_settings
from fluxent.models.policies import PolicyAnnouncement
from fluxent.services.policies.versions import display_date


def notice(announcement: PolicyAnnouncement, to: str) -> Email:
    effective = display_date(announcement.effective_on)
    link = get_settings().base_url + routes.LEGAL_DOCUMENTS[announcement.document]
    return compose(
        to,
        f"Our {announcement.title} changes on {effective}",
        Content(
            heading=f"An update to our {announcement.title}",
            paragraphs=(
                f"Version {announcement.version} of our {announcement.title} takes effect on {effective}.",
                f"What changes: {announcement.changes}",
                "You do not need to do anything. If you have a Client Portal account, the portal shows this "
                "notice until you acknowledge it. Questions are welcome at support@fluxent.tech.",
            ),
            button=(f"Read the new {announcement.title}", link),
            details=(("Version", str(announcement.version)), ("Effective", effective)),
        ),
    )
