"""A person's leads, consents and newsletter subscription are in their export and go with erasure."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from fluxent.models.marketing import ConsentRecord, Lead, NewsletterSubscription
from fluxent.services.marketing import leads, newsletter
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data, validate_export
from tests.support.auth import IP, OTHER_IP, make_user
from tests.support.marketing import lead_form

ADDRESS = "dana@northwind.example"


def _with_marketing_data(session, outbox, clock, email_address: str, ip: str) -> None:
    leads.submit(session, lead_form(clock, email=email_address), ip=ip, clock=clock)
    newsletter.subscribe(session, email=email_address, agree=True, ip=ip, clock=clock)
    token = re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", outbox.text(outbox.last(email_address))).group(1)
    newsletter.confirm(session, token=token, clock=clock)


def test_the_export_holds_the_persons_leads_consents_and_subscription(session, outbox, clock):
    _with_marketing_data(session, outbox, clock, ADDRESS, IP)
    _with_marketing_data(session, outbox, clock, "someone@else.example", OTHER_IP)
    user = make_user(session, ADDRESS)
    document = export_user_data(session, user=user, clock=clock)
    validate_export(document)  # raises when the document breaks its schema
    assert [lead["email"] for lead in document["leads"]] == [ADDRESS]
    assert document["leads"][0]["message"] == lead_form(clock).message
    assert sorted(c["subject"] for c in document["consents"]) == ["contact_form", "newsletter"]
    assert document["newsletter"]["email"] == ADDRESS and document["newsletter"]["confirmed_at"]


def test_erasure_removes_them_and_leaves_other_people_alone(session, outbox, clock):
    _with_marketing_data(session, outbox, clock, ADDRESS, IP)
    _with_marketing_data(session, outbox, clock, "someone@else.example", OTHER_IP)
    user = make_user(session, ADDRESS)
    report = erase_user(session, user=user, actor=user, clock=clock)
    deleted = {d.table: d.rows for d in report.deleted}
    assert deleted["marketing_lead"] == 1 and deleted["marketing_newsletter_subscription"] == 1
    for model in (Lead, ConsentRecord, NewsletterSubscription):
        emails = session.scalars(select(model.email)).all()
        assert emails and set(emails) == {"someone@else.example"}, model.__name__
    assert session.scalar(select(func.count()).select_from(ConsentRecord)) == 2


def test_notes_on_a_persons_leads_are_exported_and_erased_with_them(session, outbox, clock):
    from fluxent.models.accounts import Role
    from fluxent.models.marketing import LeadNote
    from fluxent.services.marketing import pipeline

    staff = make_user(session, "sam@fluxent.tech", role=Role.STAFF)
    for address, ip in ((ADDRESS, IP), ("someone@else.example", OTHER_IP)):
        lead = leads.submit(session, lead_form(clock, email=address), ip=ip, clock=clock)
        pipeline.add_note(session, actor=staff, lead_id=lead.id, body=f"Called {address}", clock=clock)
    user = make_user(session, ADDRESS)
    document = export_user_data(session, user=user, clock=clock)
    validate_export(document)
    assert [note["note"] for note in document["lead_notes"]] == [f"Called {ADDRESS}"]

    report = erase_user(session, user=user, actor=user, clock=clock)
    assert {d.table: d.rows for d in report.deleted}["marketing_lead_note"] == 1
    assert session.scalars(select(LeadNote.body)).all() == ["Called someone@else.example"]
