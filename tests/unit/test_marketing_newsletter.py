"""Newsletter: double opt-in, consent on confirmation, one-click unsubscribe, suppression."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from fluxent import routes
from fluxent.core.errors import RateLimited, ValidationFailed
from fluxent.models.marketing import ConsentRecord, ConsentSubject, NewsletterSubscription, NewsletterSuppression
from fluxent.services.marketing import newsletter, spam
from tests.support.auth import IP, OTHER_IP

ADDRESS = "reader@example.com"


def _confirm_token(outbox) -> str:
    found = re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", outbox.text(outbox.last(ADDRESS)))
    assert found, "no confirmation link in the e-mail"
    return found.group(1)


def _subscribed(session, outbox, clock) -> NewsletterSubscription:
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=IP, clock=clock)
    return newsletter.confirm(session, token=_confirm_token(outbox), clock=clock)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_sign_up_sends_a_link_and_stores_only_its_hash(session, outbox, clock):
    newsletter.subscribe(session, email=" Reader@Example.com ", agree=True, ip=IP, clock=clock)
    row = session.scalars(select(NewsletterSubscription)).one()
    token = _confirm_token(outbox)
    assert row.email == ADDRESS and row.confirmed_at is None
    assert token not in (row.confirm_token_hash or "") and len(row.confirm_token_hash) == 64
    assert _count(session, ConsentRecord) == 0, "no consent until the link is opened"


def test_confirming_records_consent_and_the_link_works_once(session, outbox, clock):
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=IP, clock=clock)
    token = _confirm_token(outbox)
    clock.advance(hours=2)
    row = newsletter.confirm(session, token=token, clock=clock)
    assert row is not None and row.confirmed_at == clock()
    record = session.scalars(select(ConsentRecord)).one()
    assert (record.subject, record.subscription_id, record.agreed_at) == (ConsentSubject.NEWSLETTER, row.id, clock())
    assert newsletter.confirm(session, token=token, clock=clock) is None


def test_an_expired_or_unknown_link_confirms_nothing(session, outbox, clock):
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=IP, clock=clock)
    token = _confirm_token(outbox)
    assert newsletter.confirm(session, token="nope", clock=clock) is None
    clock.advance(days=8)
    assert newsletter.confirm(session, token=token, clock=clock) is None
    assert _count(session, ConsentRecord) == 0


def test_sign_up_needs_an_address_and_consent(session, outbox, clock):
    with pytest.raises(ValidationFailed) as refused:
        newsletter.subscribe(session, email="nope", agree=False, ip=IP, clock=clock)
    assert set(refused.value.fields) == {"email", "agree"}
    session.rollback()
    assert _count(session, NewsletterSubscription) == 0 and outbox.messages() == []


def test_an_address_already_subscribed_gets_no_new_mail(session, outbox, clock):
    _subscribed(session, outbox, clock)
    sent = len(outbox.messages())
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=OTHER_IP, clock=clock)
    assert len(outbox.messages()) == sent


def test_a_filled_honeypot_is_dropped(session, outbox, clock):
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=IP, honeypot="x", clock=clock)
    assert _count(session, NewsletterSubscription) == 0 and outbox.messages() == []


def test_confirmation_mails_to_one_address_are_throttled(session, outbox, clock):
    for n in range(spam.NEWSLETTER_ADDRESS.free + 1):
        newsletter.subscribe(session, email=ADDRESS, agree=True, ip=f"198.51.100.{n}", clock=clock)
    with pytest.raises(RateLimited):
        newsletter.subscribe(session, email=ADDRESS, agree=True, ip="198.51.100.99", clock=clock)


def test_issues_carry_one_click_unsubscribe_headers(session, outbox, clock):
    row = _subscribed(session, outbox, clock)
    assert newsletter.send_issue(session, subject="The Delivery Brief: June", paragraphs=["Hello."]) == 1
    issue = outbox.last(ADDRESS)
    token = newsletter.unsubscribe_token(row)
    assert issue["List-Unsubscribe"] == f"<http://testserver{routes.api_newsletter_unsubscribe(token)}>"
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://testserver{routes.newsletter_unsubscribe(token)}" in outbox.text(issue)


def test_unsubscribing_keeps_only_a_suppression_hash(session, outbox, clock):
    row = _subscribed(session, outbox, clock)
    token = newsletter.unsubscribe_token(row)
    assert newsletter.unsubscribe(session, token=token, clock=clock) is True
    assert _count(session, NewsletterSubscription) == 0
    assert _count(session, ConsentRecord) == 0
    suppression = session.scalars(select(NewsletterSuppression)).one()
    assert ADDRESS not in suppression.email_hash and len(suppression.email_hash) == 64
    assert newsletter.is_suppressed(session, "READER@example.com")
    assert newsletter.unsubscribe(session, token=token, clock=clock) is False


@pytest.mark.parametrize("bad", ["", "abc", "1.", "1.deadbeef", "99.x", "1" * 40 + ".x"])
def test_a_forged_unsubscribe_token_removes_nothing(session, outbox, clock, bad):
    _subscribed(session, outbox, clock)
    assert newsletter.unsubscribe(session, token=bad, clock=clock) is False
    assert _count(session, NewsletterSubscription) == 1


def test_another_subscribers_signature_does_not_work(session, outbox, clock):
    row = _subscribed(session, outbox, clock)
    forged = f"{row.id}.{newsletter.unsubscribe_token(row).split('.')[1][::-1]}"
    assert newsletter.unsubscribe(session, token=forged, clock=clock) is False


def test_a_suppressed_address_is_not_mailed_until_it_confirms_again(session, outbox, clock):
    row = _subscribed(session, outbox, clock)
    newsletter.unsubscribe(session, token=newsletter.unsubscribe_token(row), clock=clock)
    assert newsletter.send_issue(session, subject="June", paragraphs=["Hi"]) == 0
    clock.advance(minutes=61)
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=OTHER_IP, clock=clock)
    assert newsletter.is_suppressed(session, ADDRESS), "a request alone does not lift the suppression"
    newsletter.confirm(session, token=_confirm_token(outbox), clock=clock)
    assert not newsletter.is_suppressed(session, ADDRESS)
