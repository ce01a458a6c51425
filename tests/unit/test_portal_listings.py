"""Read models for the engagements and documents lists, and the staff console's predicates."""

from __future__ import annotations

import re
from pathlib import Path

import fluxent.state
from fluxent.models.engagements import EngagementStatus
from fluxent.services.portal import engagements, listings, milestones


def test_only_an_owner_may_decide_a_submitted_milestone_of_an_active_engagement(session, world):
    (owner_line,) = listings.engagement_lines(session, actor=world.owner_a)
    assert (owner_line.id, owner_line.organization, owner_line.viewer_owns) == (
        world.engagement_a.id,
        "Northwind Robotics",
        True,
    )
    assert [(m.title, m.status, m.can_decide) for m in owner_line.milestones] == [
        ("Phase 1", "submitted", True),
        ("Phase 2", "planned", False),
        ("Phase 3", "planned", False),
    ]
    (member_line,) = listings.engagement_lines(session, actor=world.member_a)
    assert not member_line.viewer_owns and not any(m.can_decide for m in member_line.milestones)
    staff_lines = listings.engagement_lines(session, actor=world.staff)
    assert len(staff_lines) == 2 and not any(m.can_decide for line in staff_lines for m in line.milestones)
    submitted = world.milestones_a[0]
    assert milestones.can_decide(world.engagement_a, submitted, owner=True)
    world.engagement_a.status = EngagementStatus.DELIVERED  # in memory only: the rule, not a workflow
    assert not milestones.can_decide(world.engagement_a, submitted, owner=True)


def test_progress_is_the_accepted_share_of_the_price(session, world):
    milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
    )
    (line,) = listings.engagement_lines(session, actor=world.owner_a, organization_id=world.org_a)
    assert (line.accepted_minor, line.fixed_price_minor, line.progress_percent) == (300_000, 900_000, 33)
    assert engagements.progress_percent(1, 0) == 0


def test_document_lines_name_where_the_document_belongs(session, world):
    (line,) = listings.document_lines(session, actor=world.owner_b)
    assert (line.id, line.filename, line.organization, line.engagement, line.version) == (
        world.document_b.id,
        "plan.pdf",
        "Acme Widgets",
        "Build for Acme Widgets",
        1,
    )
    assert line.size > 2000
    assert [d.id for d in listings.document_lines(session, actor=world.staff, organization_id=world.org_a)] == [
        world.document_a.id
    ]


def test_staff_predicates_follow_the_engagement_status(session, world):
    assert not engagements.can_reprice(world.engagement_a) and not milestones.can_add_milestone(world.engagement_a)
    created = engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Second build",
        fixed_price_minor=100_000,
        currency="USD",
    )
    assert engagements.can_reprice(created) and milestones.can_add_milestone(created)


def test_no_state_module_queries_the_database_itself():
    pattern = re.compile(r"sqlalchemy|select\(|\.scalars\(|\.execute\(|Membership|OrgRole\.OWNER")
    state_dir = Path(fluxent.state.__file__).parent
    assert [path.name for path in sorted(state_dir.glob("*.py")) if pattern.search(path.read_text())] == []
