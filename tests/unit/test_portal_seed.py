"""The demo data includes a portal engagement, and seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services import documents, engagements
from fluxent.services.seed import DEMO_CLIENT, DEMO_OTHER_CLIENT, DEMO_STAFF, seed_demo
from fluxent.services.accounts import user_by_email
from tests.portal_support import data_dir  # noqa: F401


def test_seed_builds_the_demo_engagement_once(session, data_dir):
    assert "engagement 'Fleet telemetry dashboard' with 3 milestones and a document" in seed_demo(session)
    assert seed_demo(session) == []
    engagement = session.scalars(select(Engagement)).one()
    assert engagement.status == EngagementStatus.ACTIVE
    statuses = session.scalars(select(Milestone.status).order_by(Milestone.position)).all()
    assert statuses == [MilestoneStatus.ACCEPTED, MilestoneStatus.SUBMITTED, MilestoneStatus.PLANNED]
    assert session.scalar(select(func.count()).select_from(Document)) == 1
    staff = user_by_email(session, DEMO_STAFF.email)
    assert [u.id for u in engagements.assigned_staff(session, engagement.id)] == [staff.id]
    owner, other = user_by_email(session, DEMO_CLIENT.email), user_by_email(session, DEMO_OTHER_CLIENT.email)
    assert documents.list_documents(session, actor=owner).total == 1
    assert documents.list_documents(session, actor=other).total == 0
    assert engagements.list_engagements(session, actor=other).total == 0
