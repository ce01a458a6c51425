"""Consent records: what a person agreed to, under which policy version, and when.

The statements are the exact words shown beside the checkbox or button, so a
record proves what was on the screen. The version is the privacy policy in force at
that moment, named by its effective date (``2026-05-11``) as read from the policy's
front matter, so a newer version announced but not yet in effect does not count.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.models.marketing import ConsentRecord, ConsentSubject
from fluxent.services.policies import versions

PRIVACY_POLICY = "privacy"

CONTACT_STATEMENT = (
    "I agree that Fluxent may store the details I entered and use them to reply to this inquiry, "
    "as described in the Privacy Policy."
)
NEWSLETTER_STATEMENT = (
    "Send me The Delivery Brief, Fluxent's monthly e-mail. I can unsubscribe at any time with the link in every issue."
)

STATEMENTS = {ConsentSubject.CONTACT: CONTACT_STATEMENT, ConsentSubject.NEWSLETTER: NEWSLETTER_STATEMENT}


def privacy_policy_version(on: date) -> str:
    """How a consent record names the privacy policy in force on ``on``: its effective date."""
    return versions.in_force(PRIVACY_POLICY, on).effective.isoformat()


def record(
    session: Session,
    *,
    email: str,
    subject: ConsentSubject,
    lead_id: int | None = None,
    subscription_id: int | None = None,
    clock: Clock = now,
) -> ConsentRecord:
    moment = clock()
    row = ConsentRecord(
        email=email,
        subject=subject,
        statement=STATEMENTS[subject],
        policy_version=privacy_policy_version(moment.date()),
        agreed_at=moment,
        lead_id=lead_id,
        subscription_id=subscription_id,
    )
    session.add(row)
    session.flush()
    return row
