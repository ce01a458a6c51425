"""The desk's actions on a request, through the self-service services: the export by e-mailed
link, erasure, correction, restriction (honoured by the newsletter and the pipeline) and
objection to marketing (a suppression that only a new confirmation lifts)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.accounts import Role
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.models.marketing import Lead, NewsletterSubscription
from fluxent.models.privacy import PrivacyRequest
from fluxent.services.marketing import leads, newsletter, pipeline
from fluxent.services.privacy import fulfilment, requests, restriction
from fluxent.services.privacy.export import validate_export
from tests.support.auth import IP, make_user
from tests.support.marketing import lead_form
from tests.support.rights import AGENT, SUBJECT, code_for, sent_request


@pytest.fixture
def admin(session):
    person = make_user(session, "ana.admin@fluxent.example", role=Role.ADMIN, name="Ana Admin")
    session.commit()
    return person


@pytest.fixture
def lead(session, clock) -> Lead:
    return leads.submit(session, lead_form(clock, email=SUBJECT), ip="192.0.2.50", clock=clock)


def _export_token(outbox) -> str:
    found = re.search(r"/api/v1/privacy-requests/exports/([A-Za-z0-9_-]+)/", outbox.text(outbox.last(SUBJECT)))
    assert found, "no export link in the e-mail"
    return found.group(1)


def _subscribe(session, outbox, clock, address=SUBJECT) -> None:
    newsletter.subscribe(session, email=address, agree=True, ip=IP, clock=clock)
    token = re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", outbox.text(outbox.last(address))).group(1)
    assert newsletter.confirm(session, token=token, clock=clock) is not None
    session.commit()


def test_a_lead_without_an_account_gets_the_same_export_document_by_an_expiring_link(
    session, outbox, clock, admin, lead
):
    request = sent_request(session, outbox, clock)
    fulfilment.send_export(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    token = _export_token(outbox)
    stored = session.scalars(select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.PRIVACY_EXPORT)).one()
    assert token not in stored.token_hash and stored.email == SUBJECT

    document = fulfilment.download_export(session, token=token, clock=clock)
    validate_export(document)
    assert [row["message"] for row in document["leads"]] == [lead.message]
    assert document["profile"]["id"] == 0 and document["privacy_requests"][0]["kind"] == "access"
    assert fulfilment.download_export(session, token=token, clock=clock)["leads"], "works again until it expires"
    clock.advance(hours=73)
    with pytest.raises(NotFound):
        fulfilment.download_export(session, token=token, clock=clock)
    with pytest.raises(NotFound):
        fulfilment.download_export(session, token="forged", clock=clock)


def test_nothing_is_released_before_the_subject_confirms_and_only_admins_act(session, outbox, clock, admin):
    agent = {"agent": True, "agent_name": "Pat", "agent_email": AGENT, "agent_authority": "Signed"}
    request = sent_request(session, outbox, clock, **agent)
    with pytest.raises(Conflict):
        fulfilment.send_export(session, actor=admin, request_id=request.id, clock=clock)
    staff = make_user(session, "sam@fluxent.example", role=Role.STAFF)
    requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=code_for(outbox, SUBJECT), clock=clock)
    with pytest.raises(PermissionDenied):
        fulfilment.send_export(session, actor=staff, request_id=request.id, clock=clock)
    with pytest.raises(Conflict):  # an access request is not a deletion
        fulfilment.erase(session, actor=admin, request_id=request.id, clock=clock)
    fulfilment.send_export(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    assert _export_token(outbox), "the link goes to the subject"
    assert all("/exports/" not in outbox.text(message) for message in outbox.messages(AGENT))


def test_deleting_a_leads_data_keeps_only_the_record_of_the_request(session, outbox, clock, admin, lead):
    request = sent_request(session, outbox, clock, kind="deletion")
    fulfilment.erase(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Lead)) == 0
    assert session.get(PrivacyRequest, request.id).subject_email == SUBJECT


def test_deleting_an_account_holders_data_erases_the_account(session, outbox, clock, admin):
    person = make_user(session, SUBJECT, name="Dana Whitfield")
    request = sent_request(session, outbox, clock, kind="deletion")
    assert request.user_id == person.id
    fulfilment.erase(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    session.refresh(person)
    assert person.erased_at is not None and person.email != SUBJECT


def test_a_childs_data_reported_by_a_parent_is_deleted(session, outbox, clock, admin):
    leads.submit(session, lead_form(clock, email="kid@example.com"), ip="192.0.2.51", clock=clock)
    parent = {"child": True, "agent_name": "Pat Parent", "agent_email": AGENT}
    request = sent_request(session, outbox, clock, kind="deletion", email="kid@example.com", **parent)
    fulfilment.erase(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Lead)) == 0


def test_corrections_go_through_the_profile_or_the_leads(session, outbox, clock, admin, lead):
    request = sent_request(session, outbox, clock, kind="correction", details="My company is Northwind Labs")
    with pytest.raises(ValidationFailed) as refused:
        fulfilment.correct(session, actor=admin, request_id=request.id, changes={"email": "x@y.z"}, clock=clock)
    assert "email" in refused.value.fields
    changed = fulfilment.correct(
        session, actor=admin, request_id=request.id, changes={"company": "Northwind Labs"}, clock=clock
    )
    assert changed == ("company",) and session.get(Lead, lead.id).company == "Northwind Labs"

    person = make_user(session, "ada@example.com", name="Ada")
    account = sent_request(session, outbox, clock, kind="correction", email="ada@example.com", details="Name")
    fulfilment.correct(session, actor=admin, request_id=account.id, changes={"name": "Ada Lovelace"}, clock=clock)
    assert person.name == "Ada Lovelace"


def test_a_restriction_stops_marketing_mail_takes_leads_out_of_the_pipeline_and_freezes_them(
    session, outbox, clock, admin, lead
):
    _subscribe(session, outbox, clock)
    _subscribe(session, outbox, clock, "other@example.com")
    request = sent_request(session, outbox, clock, kind="restriction")
    fulfilment.restrict(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    assert restriction.is_restricted(session, "Dana@Northwind.example")

    assert newsletter.send_issue(session, subject="Issue 1", paragraphs=["Hello"]) == 1
    assert [m["To"] for m in outbox.messages() if m["Subject"] == "Issue 1"] == ["other@example.com"]
    assert pipeline.list_leads(session, actor=admin).total == 0
    assert sum(pipeline.status_counts(session, actor=admin).values()) == 0
    with pytest.raises(Conflict):
        leads.set_status(session, user=admin, lead_id=lead.id, status="contacted", clock=clock)
    with pytest.raises(Conflict):
        pipeline.add_note(session, actor=admin, lead_id=lead.id, body="Called", clock=clock)
    assert session.get(Lead, lead.id).status == "new"

    fulfilment.lift_restriction(session, actor=admin, request_id=request.id, clock=clock)
    assert not restriction.is_restricted(session, SUBJECT) and pipeline.list_leads(session, actor=admin).total == 1
    with pytest.raises(Conflict):
        fulfilment.lift_restriction(session, actor=admin, request_id=request.id, clock=clock)


def test_an_objection_unsubscribes_and_only_a_new_confirmation_lifts_the_suppression(session, outbox, clock, admin):
    _subscribe(session, outbox, clock)
    request = sent_request(session, outbox, clock, kind="objection")
    fulfilment.object_to_marketing(session, actor=admin, request_id=request.id, clock=clock)
    session.commit()
    assert session.scalar(select(func.count()).select_from(NewsletterSubscription)) == 0
    assert newsletter.is_suppressed(session, SUBJECT)

    newsletter.subscribe(session, email=SUBJECT, agree=True, ip="192.0.2.60", clock=clock)
    assert newsletter.is_suppressed(session, SUBJECT), "a sign-up alone does not lift it"
    token = re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", outbox.text(outbox.last(SUBJECT))).group(1)
    newsletter.confirm(session, token=token, clock=clock)
    assert not newsletter.is_suppressed(session, SUBJECT)


def test_an_objection_from_someone_never_subscribed_still_suppresses(session, outbox, clock, admin):
    request = sent_request(session, outbox, clock, kind="objection", email="stranger@example.com")
    fulfilment.object_to_marketing(session, actor=admin, request_id=request.id, clock=clock)
    assert newsletter.is_suppressed(session, "stranger@example.com")


def test_a_closed_request_cannot_be_acted_on(session, outbox, clock, admin):
    request = sent_request(session, outbox, clock, kind="restriction")
    requests.close(session, actor=admin, request_id=request.id, outcome="nothing_held", note="None held", clock=clock)
    with pytest.raises(Conflict):
        fulfilment.restrict(session, actor=admin, request_id=request.id, clock=clock)
    assert not restriction.is_restricted(session, SUBJECT)
