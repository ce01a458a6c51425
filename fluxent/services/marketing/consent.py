"""Consent records: what a person agreed to, under which policy version, and when.

The statements are the exact words shown beside the checkbox or button, so a
record proves what was on the screen.
"""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.models.marketing import ConsentRecord, ConsentSubject

# The privacy policy's effective date; bump with the policy text under content/legal/.
PRIVACY_POLICY_VERSION = "2026-05-11"

CONTACT_STATEMENT = (
    "I agree that Fluxent may store the details I entered and use them to reply to this inquiry, "
    "as described in the Privacy Policy."
)
NEWSLETTER_STATEMENT = (
    "Send me The Delivery Brief, Fluxent's monthly e-mail. I can unsubscribe at any time with the link in every issue."
)

STATEMENTS = {ConsentSubject.CONTACT: CONTACT_STATEMENT, ConsentSubject.NEWSLETTER: NEWSLETTER_STATEMENT}


def record(
    session: Session,
    *,
    email: str,
    subject: ConsentSubject,
    lead_id: int | None = None,
    subscription_id: int | None = None,
    clock: Clock = now,
) -> ConsentRecord:
    row = ConsentRecord(
        email=email,
        subject=subject,
        statement=STATEMENTS[subject],
        policy_version=PRIVACY_POLICY_VERSION,
        agreed_at=clock(),
        lead_id=lead_id,
        subscription_id=subscription_id,
    )
    session.add(row)
    session.flush()
    return row
