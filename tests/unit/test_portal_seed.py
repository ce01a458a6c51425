"""The demo data includes portal engagements in two organizations, and seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from fluxent.models.accounts import OrgRole
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.accounts import organizations
from fluxent.services.accounts.users import user_by_email
from fluxent.services.portal import documents, engagements
from fluxent.services.seed import (
    DEMO_CLIENT,
    DEMO_ENGAGEMENT,
    DEMO_OTHER_CLIENT,
    DEMO_OTHER_ENGAGEMENT,
    DEMO_STAFF,
    seed_demo,
)


def test_seed_builds_the_demo_engagement_once(session, data_dir):
    created = seed_demo(session)
    assert "engagement 'Fleet telemetry dashboard' with 3 milestones and a document" in created
    assert "engagement 'Route planning API' with 2 milestones" in created
    assert seed_demo(session) == []
    engagement = session.scalars(select(Engagement).where(Engagement.title == DEMO_ENGAGEMENT)).one()
    assert session.scalar(select(func.count()).select_from(Engagement)) == 2
    assert engagement.status == EngagementStatus.ACTIVE
    statuses = session.scalars(
        select(Milestone.status).where(Milestone.engagement_id == engagement.id).order_by(Milestone.position)
    ).all()
    assert statuses == [MilestoneStatus.ACCEPTED, MilestoneStatus.SUBMITTED, MilestoneStatus.PLANNED]
    assert session.scalar(select(func.count()).select_from(Document)) == 1
    staff = user_by_email(session, DEMO_STAFF.email)
    assert [u.id for u in engagements.assigned_staff(session, engagement.id)] == [staff.id]
    owner, other = user_by_email(session, DEMO_CLIENT.email), user_by_email(session, DEMO_OTHER_CLIENT.email)
    assert documents.list_documents(session, actor=owner).total == 1
    assert documents.list_documents(session, actor=other).total == 0
    # The demo client owns Northwind and is a member of Bluefin (to try the organization switcher);
    # Bluefin's owner sees Bluefin's engagement only.
    assert [(m.name, m.role) for m in organizations.memberships_of(session, owner)] == [
        ("Bluefin Logistics", OrgRole.MEMBER),
        ("Northwind Robotics", OrgRole.OWNER),
    ]
    assert [e.title for e in engagements.list_engagements(session, actor=other).items] == [DEMO_OTHER_ENGAGEMENT]
    assert engagements.list_engagements(session, actor=owner).total == 2


def test_seed_gives_northwind_one_paid_and_one_open_invoice(session, data_dir):
    from fluxent.models.billing import InvoiceStatus
    from fluxent.services.billing import invoices

    seed_demo(session)
    owner, other = user_by_email(session, DEMO_CLIENT.email), user_by_email(session, DEMO_OTHER_CLIENT.email)
    seen = invoices.list_invoices(session, actor=owner).items
    assert sorted(str(i.status) for i in seen) == [InvoiceStatus.OPEN, InvoiceStatus.PAID]
    assert all(i.number and i.number.startswith("FLX-") for i in seen)
    assert invoices.list_invoices(session, actor=other).items == []
    seed_demo(session)
    assert len(invoices.list_invoices(session, actor=owner).items) == 2


def test_seed_leaves_one_envelope_waiting_for_the_demo_client(session, data_dir):
    from fluxent.models.esign import Envelope, EnvelopeStatus
    from fluxent.services.esign import listings
    from fluxent.services.seed import DEMO_ENVELOPE

    created = seed_demo(session)
    assert f"envelope {DEMO_ENVELOPE!r} waiting for {DEMO_CLIENT.email}" in created
    assert seed_demo(session) == []
    envelope = session.scalars(select(Envelope)).one()
    assert envelope.status == EnvelopeStatus.SENT
    waiting = listings.signatures_of(session, user=user_by_email(session, DEMO_CLIENT.email)).waiting
    assert [row.envelope_id for row in waiting] == [envelope.id]
    assert listings.signatures_of(session, user=user_by_email(session, DEMO_STAFF.email)).waiting == []
