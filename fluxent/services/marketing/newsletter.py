"""The newsletter with double opt-in, one-click unsubscribe and a suppression list.

* ``subscribe`` e-mails a confirmation link (its token is stored as a keyed hash);
  nothing is sent to the list until ``confirm`` records the consent.
* Unsubscribe links carry ``<subscription id>.<keyed signature of id and address>``,
  computed when a message is sent, so no unsubscribe token is stored at all.
* ``unsubscribe`` deletes the subscription and its consent records and keeps only a
  keyed hash of the address, so it is never mailed again; ``withdraw`` does the same for
  an address (an objection to marketing through a privacy request), subscribed or not.
* A suppressed address that signs up again gets the confirmation e-mail, and stays
  suppressed until it opens the link: confirming is a new, explicit consent.
* Issues skip addresses under a restriction of processing (``privacy.restriction``).

Answers never reveal whether an address is already subscribed.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlmodel import Session, delete, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import ValidationFailed
from fluxent.core.tokens import new_token, token_hash
from fluxent.models.marketing import (
    ConsentRecord,
    ConsentSubject,
    NewsletterSubscription,
    NewsletterSuppression,
)
from fluxent.services.marketing import consent, emails, spam
from fluxent.services.marketing.leads import normalize_email, validate_email
from fluxent.services.privacy import restriction

CONFIRM_FOR = timedelta(days=7)
_CONFIRM_PURPOSE = "newsletter-confirm"
_UNSUBSCRIBE_PURPOSE = "newsletter-unsubscribe"
_SUPPRESSION_PURPOSE = "newsletter-suppression"
CONSENT_REQUIRED = "Please confirm that you want to receive the newsletter."


def subscribe(session: Session, *, email: str, agree: bool, ip: str, honeypot: str = "", clock: Clock = now) -> None:
    """Ask the address to confirm. The same answer whether or not it is already on the list."""
    spam.count(session, spam.NEWSLETTER_IP, ip, clock=clock)
    if spam.is_bot(honeypot):
        return
    errors = {}
    if email_error := validate_email(email):
        errors["email"] = email_error
    if not agree:
        errors["agree"] = CONSENT_REQUIRED
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", fields=errors)
    address = normalize_email(email)
    spam.count(session, spam.NEWSLETTER_ADDRESS, address, clock=clock)
    row = session.exec(select(NewsletterSubscription).where(NewsletterSubscription.email == address)).first()
    if row is not None and row.confirmed_at is not None:
        return
    token = new_token()
    row = row or NewsletterSubscription(email=address)
    row.confirm_token_hash = token_hash(token, purpose=_CONFIRM_PURPOSE)
    row.confirm_expires_at = clock() + CONFIRM_FOR
    row.requested_at = clock()
    session.add(row)
    session.commit()
    emails.send_newsletter_confirmation(address, token)


def confirm(session: Session, *, token: str, clock: Clock = now) -> NewsletterSubscription | None:
    """Confirm the sign-up the link belongs to; None for an unknown, used or expired link."""
    if not token:
        return None
    row = session.exec(
        select(NewsletterSubscription).where(
            NewsletterSubscription.confirm_token_hash == token_hash(token, purpose=_CONFIRM_PURPOSE)
        )
    ).first()
    if row is None or row.confirm_expires_at is None or row.confirm_expires_at < clock():
        return None
    row.confirmed_at = clock()
    row.confirm_token_hash = None
    row.confirm_expires_at = None
    session.add(row)
    session.flush()
    consent.record(session, email=row.email, subject=ConsentSubject.NEWSLETTER, subscription_id=row.id, clock=clock)
    session.exec(delete(NewsletterSuppression).where(NewsletterSuppression.email_hash == suppression_hash(row.email)))
    session.flush()
    return row


def unsubscribe_token(subscription: NewsletterSubscription) -> str:
    return f"{subscription.id}.{_signature(subscription.id, subscription.email)}"


def unsubscribe(session: Session, *, token: str, clock: Clock = now) -> bool:
    """Remove the subscription the link belongs to. False for a link that matches none."""
    raw_id, _, signature = (token or "").partition(".")
    if not raw_id.isdigit() or len(raw_id) > 12:
        return False
    row = session.get(NewsletterSubscription, int(raw_id))
    if row is None or not hmac.compare_digest(signature, _signature(row.id, row.email)):
        return False
    withdraw(session, email=row.email, clock=clock)
    return True


def withdraw(session: Session, *, email: str, clock: Clock = now) -> None:
    """Suppress ``email`` and remove its subscription and newsletter consent, if any."""
    address = normalize_email(email)
    suppress(session, email=address, clock=clock)
    row = session.exec(select(NewsletterSubscription).where(NewsletterSubscription.email == address)).first()
    if row is not None:
        session.exec(delete(ConsentRecord).where(ConsentRecord.subscription_id == row.id))
        session.delete(row)
    session.flush()


def suppress(session: Session, *, email: str, clock: Clock = now) -> None:
    key = suppression_hash(email)
    if session.get(NewsletterSuppression, key) is None:
        session.add(NewsletterSuppression(email_hash=key, created_at=clock()))
        session.flush()


def is_suppressed(session: Session, email: str) -> bool:
    return session.get(NewsletterSuppression, suppression_hash(email)) is not None


def suppression_hash(email: str) -> str:
    return token_hash(normalize_email(email), purpose=_SUPPRESSION_PURPOSE)


def send_issue(session: Session, *, subject: str, paragraphs: list[str]) -> int:
    """Send one issue to every confirmed, unsuppressed, unrestricted subscriber. Returns how many were sent."""
    rows = session.exec(
        select(NewsletterSubscription).where(
            NewsletterSubscription.confirmed_at.is_not(None),  # type: ignore[union-attr]
            ~restriction.restricted(NewsletterSubscription.email),
        )
    ).all()
    sent = 0
    for row in rows:
        if is_suppressed(session, row.email):
            continue
        emails.send_newsletter_issue(row.email, unsubscribe_token(row), subject=subject, paragraphs=paragraphs)
        sent += 1
    return sent


def _signature(subscription_id: int | None, email: str) -> str:
    return token_hash(f"{subscription_id}:{email}", purpose=_UNSUBSCRIBE_PURPOSE)
