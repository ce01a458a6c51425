"""Privacy registrations for the notification centre (imported from ``privacy.entries``).

The export lists a person's notifications and their e-mail choices; erasing the person
deletes both (they describe events, which stay recorded where they happened).
"""

from __future__ import annotations

from sqlalchemy import select

from fluxent.models.notifications import Notification, NotificationPreference
from fluxent.services.privacy.policy import CONTACT, PROJECT_CONTENT, RETENTION_ACCOUNTS, LegalBasis
from fluxent.services.privacy.registry import Delete, Registry
from fluxent.services.privacy.sections import BOOLEAN, OPTIONAL_TIMESTAMP, STRING, TIMESTAMP, rows_section

NOTIFICATIONS = rows_section(
    "notifications",
    {
        "kind": STRING,
        "title": STRING,
        "link": STRING,
        "created_at": TIMESTAMP,
        "read_at": OPTIONAL_TIMESTAMP,
        "waiting_for_digest": BOOLEAN,
    },
    lambda ctx: (
        select(
            Notification.kind,
            Notification.title,
            Notification.link,
            Notification.created_at,
            Notification.read_at,
            Notification.digest_due,
        )
        .where(Notification.user_id == ctx.user.id)
        .order_by(Notification.created_at, Notification.id)
    ),
)

EMAIL_PREFERENCES = rows_section(
    "email_preferences",
    {"category": STRING, "delivery": STRING},
    lambda ctx: (
        select(NotificationPreference.category, NotificationPreference.delivery)
        .where(NotificationPreference.user_id == ctx.user.id)
        .order_by(NotificationPreference.category)
    ),
)


def register_notifications(registry: Registry) -> None:
    register = registry.area(basis=LegalBasis.CONTRACT, retention=RETENTION_ACCOUNTS, erase=Delete())
    register(
        table="notification",
        description="Your notifications: what happened in the portal that concerned you, and whether you read it",
        personal=("user_id", "title"),
        categories=(PROJECT_CONTENT,),
        export=NOTIFICATIONS,
    )
    register(
        table="notification_preference",
        description="How you chose to get e-mail per category (at once, daily digest, or off)",
        personal=("user_id",),
        categories=(CONTACT,),
        export=EMAIL_PREFERENCES,
    )
