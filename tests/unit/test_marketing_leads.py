"""Leads: consent is required and recorded, spam defences hold, nothing is stored on refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from fluxent.models.accounts import Role
from fluxent.models.marketing import ConsentRecord, ConsentSubject, Lead, LeadSource, LeadStatus
from fluxent.services.marketing import consent, leads, spam
from tests.support.auth import IP, OTHER_IP, make_user
from tests.support.marketing import aged_stamp, lead_form

INJECTION = "<script>alert('x')</script> Robert'); DROP TABLE marketing_lead;-- {{7*7}} ${jndi:ldap://x}"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_lead_is_stored_with_its_consent_record_and_staff_are_told(session, outbox, clock):
    lead = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    assert lead is not None and lead.id
    stored = session.get(Lead, lead.id)
    assert (stored.email, stored.status, stored.source) == (
        "dana@northwind.example",
        LeadStatus.NEW,
        LeadSource.CONTACT,
    )
    record = session.scalars(select(ConsentRecord)).one()
    assert record.lead_id == lead.id
    assert record.subject == ConsentSubject.CONTACT
    assert record.statement == consent.CONTACT_STATEMENT
    assert record.policy_version == consent.privacy_policy_version(clock().date())
    assert record.agreed_at == clock()
    notice = outbox.last("support@fluxent.tech")
    assert "Dana Whitfield" in notice["Subject"]
    assert f"/admin/leads/{lead.id}" in outbox.text(notice)


def test_the_sender_is_told_what_happens_next_without_their_words_repeated(session, outbox, clock):
    leads.submit(session, lead_form(clock, message=INJECTION), ip=IP, clock=clock)
    confirmation = outbox.last("dana@northwind.example")
    text = outbox.text(confirmation)
    assert "Thank you, Dana." in text
    assert "1. An engineer" in text and "3. If it is a fit" in text
    assert "DROP TABLE" not in text and "<script>" not in outbox.html(confirmation)


def test_a_refused_form_sends_no_confirmation(session, outbox, clock):
    with pytest.raises(ValidationFailed):
        leads.submit(session, lead_form(clock, email="dana@northwind.example", country=""), ip=IP, clock=clock)
    assert outbox.messages() == []


def test_without_consent_nothing_is_stored(session, outbox, clock):
    with pytest.raises(ValidationFailed) as refused:
        leads.submit(session, lead_form(clock, agree=False), ip=IP, clock=clock)
    assert refused.value.fields == {"agree": leads.CONSENT_REQUIRED}
    session.rollback()
    assert _count(session, Lead) == 0
    assert _count(session, ConsentRecord) == 0
    assert outbox.messages() == []


def test_each_bad_field_gets_its_own_message(session, clock):
    form = lead_form(clock, name="", email="not-an-email", phone="call me", country="", message="hi", agree=False)
    with pytest.raises(ValidationFailed) as refused:
        leads.submit(session, form, ip=IP, clock=clock)
    assert set(refused.value.fields) == {"name", "email", "phone", "country", "message", "agree"}


def test_oversize_input_is_refused(session, clock):
    with pytest.raises(ValidationFailed) as refused:
        leads.submit(session, lead_form(clock, message="x" * 5001, company="c" * 201), ip=IP, clock=clock)
    assert set(refused.value.fields) == {"message", "company"}


def test_the_scope_form_needs_its_four_answers(session, clock):
    with pytest.raises(ValidationFailed) as refused:
        leads.submit(
            session, lead_form(clock, source=LeadSource.SCOPE, timeline="tomorrow", budget=""), ip=IP, clock=clock
        )
    assert set(refused.value.fields) == {"audience", "timeline", "budget"}
    lead = leads.submit(
        session,
        lead_form(
            clock,
            source=LeadSource.SCOPE,
            audience="40 technicians",
            timeline=leads.TIMELINES[1],
            budget=leads.BUDGETS[2],
        ),
        ip=OTHER_IP,
        clock=clock,
    )
    assert (lead.source, lead.timeline, lead.budget) == (LeadSource.SCOPE, leads.TIMELINES[1], leads.BUDGETS[2])


def test_a_filled_honeypot_stores_nothing_and_says_nothing(session, outbox, clock):
    assert leads.submit(session, lead_form(clock, honeypot="http://spam.example"), ip=IP, clock=clock) is None
    assert _count(session, Lead) == 0
    assert outbox.messages() == []


@pytest.mark.parametrize("age, message", [(1, spam.TOO_FAST), (13 * 3600, spam.STALE)])
def test_a_form_sent_too_fast_or_too_late_is_refused(session, clock, age, message):
    with pytest.raises(ValidationFailed, match=message[:20]):
        leads.submit(session, lead_form(clock, stamp=aged_stamp(clock, age)), ip=IP, clock=clock)
    assert _count(session, Lead) == 0


@pytest.mark.parametrize("stamp", ["", "123", "99999.abc", "1700000000.0000"])
def test_a_forged_stamp_is_refused(session, clock, stamp):
    with pytest.raises(ValidationFailed):
        leads.submit(session, lead_form(clock, stamp=stamp), ip=IP, clock=clock)


def test_one_ip_address_is_throttled_and_others_are_not(session, outbox, clock):
    for _ in range(spam.LEAD_IP.free + 1):
        leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    with pytest.raises(RateLimited) as limited:
        leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    assert limited.value.retry_after > 0
    assert leads.submit(session, lead_form(clock), ip=OTHER_IP, clock=clock) is not None
    clock.advance(hours=3)
    assert leads.submit(session, lead_form(clock), ip=IP, clock=clock) is not None


def test_refused_posts_do_not_use_up_the_ip_allowance(session, outbox, clock):
    refusals = [dict(agree=False), dict(email="not-an-address"), dict(stamp=aged_stamp(clock, 1)), dict(stamp="")]
    for overrides in refusals * spam.LEAD_IP.free:
        with pytest.raises(ValidationFailed):
            leads.submit(session, lead_form(clock, **overrides), ip=IP, clock=clock)
        session.rollback()
    assert leads.submit(session, lead_form(clock), ip=IP, clock=clock) is not None


def test_robots_count_against_the_ip(session, clock):
    for _ in range(spam.LEAD_IP.free + 1):
        assert leads.submit(session, lead_form(clock, honeypot="http://spam.example"), ip=IP, clock=clock) is None
    with pytest.raises(RateLimited):
        leads.submit(session, lead_form(clock), ip=IP, clock=clock)


def test_injection_strings_are_stored_verbatim_and_escaped_in_the_notification(session, outbox, clock):
    lead = leads.submit(
        session, lead_form(clock, name=INJECTION[:200], company=INJECTION[:200], message=INJECTION), ip=IP, clock=clock
    )
    session.expire_all()
    stored = session.get(Lead, lead.id)
    assert (stored.name, stored.message) == (INJECTION[:200], INJECTION)
    html = outbox.html(outbox.last("support@fluxent.tech"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_only_staff_read_and_move_leads(session, outbox, clock):
    lead = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    client = make_user(session, "client@example.com", role=Role.CLIENT)
    staff = make_user(session, "staff@example.com", role=Role.STAFF)
    for user in (None, client):
        with pytest.raises(PermissionDenied):
            leads.lead_for_staff(session, user=user, lead_id=lead.id)
        with pytest.raises(PermissionDenied):
            leads.set_status(session, user=user, lead_id=lead.id, status="won")
    assert leads.lead_for_staff(session, user=staff, lead_id=lead.id).id == lead.id
    clock.advance(days=1)
    moved = leads.set_status(session, user=staff, lead_id=lead.id, status="qualified", clock=clock)
    assert (moved.status, moved.last_activity_at) == (LeadStatus.QUALIFIED, clock())
    with pytest.raises(ValidationFailed):
        leads.set_status(session, user=staff, lead_id=lead.id, status="bogus")
    with pytest.raises(NotFound):
        leads.lead_for_staff(session, user=staff, lead_id=lead.id + 100)


def test_leads_inactive_for_24_months_are_archived(session, outbox, clock):
    old = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    clock.advance(days=400)
    recent = leads.submit(session, lead_form(clock), ip=OTHER_IP, clock=clock)
    clock.advance(days=331)
    assert leads.archive_due(session, clock=clock) == 1
    assert leads.archive_due(session, clock=clock) == 0
    assert session.get(Lead, old.id).status == LeadStatus.ARCHIVED
    assert session.get(Lead, recent.id).status == LeadStatus.NEW


def test_one_field_can_be_checked_alone_with_the_same_rules():
    assert leads.field_error("email", "ada@") == "Enter an e-mail address like name@company.com."
    assert leads.field_error("email", "ada@engines.example") is None
    assert leads.field_error("phone", "") is None
    assert leads.field_error("phone", "call me") == "Use digits, spaces and + ( ) - only."
    assert leads.field_error("message", "short") == "Tell us a little more (10 characters at least)."
    assert leads.field_error("audience", "") is None, "not asked on the contact form"
    assert leads.field_error("audience", "", source=LeadSource.SCOPE) == "Enter who it is for."
    assert leads.field_error("budget", "a lot", source=LeadSource.SCOPE) == "Choose a budget band."
    assert leads.field_error("unknown", "x") is None
