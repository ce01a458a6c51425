"""The staff leads pipeline: listing with filters and search, notes, and converting a lead into a client."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlmodel import Session

from fluxent.core import db
from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.accounts import Membership, Organization, Role
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.marketing import Lead, LeadNote, LeadSource, LeadStatus
from fluxent.services.accounts import invitations
from fluxent.services.marketing import leads, pipeline
from tests.support.auth import IP, OTHER_IP, PASSWORD, make_user
from tests.support.marketing import lead_form

DEAL = {"title": "Dispatch board", "fixed_price_minor": 4_800_000, "currency": "usd"}


@pytest.fixture
def people(session):
    return {
        "staff": make_user(session, "sam@fluxent.tech", role=Role.STAFF, name="Sam Staff"),
        "client": make_user(session, "carla@client.example", role=Role.CLIENT),
    }


def _lead(session, clock, ip=IP, **overrides) -> Lead:
    lead = leads.submit(session, lead_form(clock, **overrides), ip=ip, clock=clock)
    assert lead is not None
    return lead


def _counts() -> tuple[int, ...]:
    """Rows a conversion creates, read in a session of its own (what is really stored)."""
    with Session(db.get_engine()) as fresh:
        return tuple(
            fresh.scalar(select(func.count()).select_from(model))
            for model in (Organization, Engagement, OneTimeToken, LeadNote)
        )


def test_only_staff_use_the_pipeline(session, outbox, clock, people):
    lead = _lead(session, clock)
    for user in (None, people["client"]):
        with pytest.raises(PermissionDenied):
            pipeline.list_leads(session, actor=user)
        with pytest.raises(PermissionDenied):
            pipeline.status_counts(session, actor=user)
        with pytest.raises(PermissionDenied):
            pipeline.add_note(session, actor=user, lead_id=lead.id, body="Called them")
        with pytest.raises(PermissionDenied):
            pipeline.notes_of(session, actor=user, lead_id=lead.id)
        with pytest.raises(PermissionDenied):
            pipeline.convert(session, actor=user, lead_id=lead.id, **DEAL)
    session.commit()
    assert _counts() == (0, 0, 0, 0)
    assert session.get(Lead, lead.id).status == LeadStatus.NEW


def test_list_filters_searches_and_pages(session, outbox, clock, people):
    first = _lead(session, clock, name="Dana Whitfield", company="Northwind Robotics")
    clock.advance(minutes=1)
    second = _lead(session, clock, ip=OTHER_IP, name="Omar Reyes", email="omar@bluefin.example", company="Bluefin 100%")
    clock.advance(minutes=1)
    third = _lead(
        session,
        clock,
        ip="192.0.2.5",
        name="Li Wei",
        email="li@lanterns.example",
        company="",
        source=LeadSource.SCOPE,
        audience="Field teams",
        timeline="Within 1 month",
        budget="Not sure yet",
    )
    leads.set_status(session, user=people["staff"], lead_id=second.id, status="qualified", clock=clock)
    staff = people["staff"]

    def ids(**filters) -> list[int]:
        return [lead.id for lead in pipeline.list_leads(session, actor=staff, **filters).items]

    assert ids() == [third.id, second.id, first.id], "most recent activity first"
    assert ids(status="qualified") == [second.id]
    assert ids(source="scope") == [third.id]
    assert ids(q="NORTHWIND") == [first.id], "company, any case"
    assert ids(q="omar@") == [second.id], "e-mail"
    assert ids(q="li wei") == [third.id], "name"
    assert ids(q="100%") == [second.id], "wildcards are literal"
    assert ids(q="%") == [second.id]
    assert ids(q="_") == []
    assert ids(q="dana", status="new") == [first.id]
    page = pipeline.list_leads(session, actor=staff, page=2, page_size=2)
    assert ([lead.id for lead in page.items], page.total, page.pages) == ([first.id], 3, 2)
    counts = pipeline.status_counts(session, actor=staff)
    assert counts == {"new": 2, "contacted": 0, "qualified": 1, "won": 0, "lost": 0, "archived": 0}
    for bad in ({"status": "hot"}, {"source": "fax"}, {"q": "x" * 201}, {"page_size": 0}):
        with pytest.raises(ValidationFailed):
            pipeline.list_leads(session, actor=staff, **bad)


def test_notes_form_a_timeline_and_count_as_activity(session, outbox, clock, people):
    lead = _lead(session, clock)
    clock.advance(hours=2)
    note = pipeline.add_note(
        session, actor=people["staff"], lead_id=lead.id, body="  Called Dana.\nSend a proposal.\x07 ", clock=clock
    )
    assert note.body == "Called Dana.\nSend a proposal."
    assert session.get(Lead, lead.id).last_activity_at == clock()
    clock.advance(minutes=5)
    pipeline.add_note(session, actor=people["staff"], lead_id=lead.id, body="Proposal sent", clock=clock)
    timeline = pipeline.notes_of(session, actor=people["staff"], lead_id=lead.id)
    assert [(entry.note.body, entry.author) for entry in timeline] == [
        ("Proposal sent", "Sam Staff"),
        ("Called Dana.\nSend a proposal.", "Sam Staff"),
    ]
    assert (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "leads.note_added")) == 2
    )


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 4001])
def test_a_bad_note_is_refused_and_changes_nothing(session, outbox, clock, people, body):
    lead = _lead(session, clock)
    before = lead.last_activity_at
    clock.advance(hours=1)
    with pytest.raises(ValidationFailed) as refused:
        pipeline.add_note(session, actor=people["staff"], lead_id=lead.id, body=body, clock=clock)
    assert "body" in refused.value.fields
    with pytest.raises(NotFound):
        pipeline.add_note(session, actor=people["staff"], lead_id=lead.id + 99, body="Hello", clock=clock)
    assert session.get(Lead, lead.id).last_activity_at == before
    assert session.scalar(select(func.count()).select_from(LeadNote)) == 0


def test_archiving_counts_note_activity(session, outbox, clock, people):
    lead = _lead(session, clock)
    clock.advance(days=700)
    session.add(LeadNote(lead_id=lead.id, author_id=people["staff"].id, body="Still talking", created_at=clock()))
    session.flush()
    clock.advance(days=40)
    assert leads.archive_due(session, clock=clock) == 0
    clock.advance(days=700)
    assert leads.archive_due(session, clock=clock) == 1


def test_convert_makes_organization_draft_engagement_and_owner_invitation(session, outbox, clock, people):
    lead = _lead(session, clock)
    pipeline.add_note(session, actor=people["staff"], lead_id=lead.id, body="Ready to start", clock=clock)
    done = pipeline.convert(session, actor=people["staff"], lead_id=lead.id, clock=clock, **DEAL)
    assert done.organization.name == "Northwind Robotics"
    assert (done.engagement.organization_id, done.engagement.status) == (done.organization.id, EngagementStatus.SCOPING)
    assert (done.engagement.title, done.engagement.fixed_price_minor, done.engagement.currency) == (
        "Dispatch board",
        4_800_000,
        "USD",
    )
    assert done.engagement.scope_summary == lead.message
    stored = session.get(Lead, lead.id)
    assert (stored.status, stored.organization_id, stored.converted_at) == (
        LeadStatus.WON,
        done.organization.id,
        clock(),
    )
    assert done.invitation.email == "dana@northwind.example"
    assert (
        done.invitation.purpose == TokenPurpose.INVITATION and done.invitation.organization_id == done.organization.id
    )
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {
        "leads.converted",
        "engagements.created",
        "auth.invitation_sent",
        "accounts.organization_created",
    } <= actions
    session.commit()
    assert _counts() == (1, 1, 1, 1)

    # The e-mail invites Dana as the organization's owner: accepting it makes her one.
    token = outbox.link_token("dana@northwind.example", "/invite/")
    assert "Northwind Robotics" in outbox.last("dana@northwind.example")["Subject"]
    _, _, user = invitations.accept_invitation(
        session, token=token, name="Dana", password=PASSWORD, ip=IP, user_agent="t", clock=clock
    )
    membership = session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.organization_id, membership.role) == (done.organization.id, "owner")

    with pytest.raises(Conflict, match="already converted"):
        pipeline.convert(session, actor=people["staff"], lead_id=lead.id, clock=clock, **DEAL)


@pytest.mark.parametrize(
    ("lead_values", "deal", "error"),
    [
        ({"company": ""}, {}, ValidationFailed),  # no company, no organization
        ({"company": "Acme Widgets"}, {}, Conflict),  # the organization name is taken
        ({}, {"title": " "}, ValidationFailed),
        ({}, {"fixed_price_minor": 0}, ValidationFailed),
        ({}, {"currency": "dollars"}, ValidationFailed),
        ({"email": "sam@fluxent.tech"}, {}, ValidationFailed),  # a staff account's address
    ],
)
def test_a_refused_conversion_leaves_nothing_behind(session, outbox, clock, people, lead_values, deal, error):
    pipeline.organizations.get_or_create_organization(session, name="ACME  widgets!")
    lead = _lead(session, clock, **lead_values)
    session.commit()
    before = _counts()
    mailed = len(outbox.messages(lead.email))  # the sender's own confirmation of the contact form
    with pytest.raises(error) as refused:
        pipeline.convert(session, actor=people["staff"], lead_id=lead.id, clock=clock, **{**DEAL, **deal})
    assert refused.value.fields
    session.commit()  # even a door that commits afterwards keeps nothing of it
    assert _counts() == before
    stored = session.get(Lead, lead.id)
    assert (stored.status, stored.organization_id, stored.converted_at) == (LeadStatus.NEW, None, None)
    assert len(outbox.messages(lead.email)) == mailed


def test_a_failure_after_the_invitation_is_made_rolls_everything_back(session, outbox, clock, people, monkeypatch):
    lead = _lead(session, clock)
    session.commit()
    mailed = len(outbox.messages("dana@northwind.example"))  # the sender's own confirmation of the contact form
    real = invitations.invite

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr(pipeline.invitations, "invite", failing)
    with pytest.raises(RuntimeError):
        pipeline.convert(session, actor=people["staff"], lead_id=lead.id, clock=clock, **DEAL)
    session.commit()
    assert _counts() == (0, 0, 0, 0)
    assert session.get(Lead, lead.id).organization_id is None
    assert len(outbox.messages("dana@northwind.example")) == mailed
    assert not session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("leads.converted", "engagements.created")))
    ).all()


def test_prices_typed_by_staff_become_minor_units():
    assert pipeline.price_to_minor("48,000") == 4_800_000
    assert pipeline.price_to_minor(" 48000.5 ") == 4_800_050
    assert pipeline.price_to_minor("0.07") == 7
    for bad in ("", "-5", "12.345", "1e6", "ten", "1.2.3"):
        with pytest.raises(ValidationFailed):
            pipeline.price_to_minor(bad)


def test_deleting_a_lead_takes_its_notes_along(session, outbox, clock, people):
    lead = _lead(session, clock)
    pipeline.add_note(session, actor=people["staff"], lead_id=lead.id, body="Called", clock=clock)
    session.commit()
    session.execute(delete(Lead).where(Lead.id == lead.id))
    session.commit()
    assert _counts()[3] == 0
