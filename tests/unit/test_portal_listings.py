"""Read models for the engagements and documents lists and the staff console's rows, and the console's predicates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fluxent.state
from fluxent.core.errors import Conflict, NotFound, PermissionDenied
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import invitations, staff
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


def test_staff_may_start_and_submit_a_milestone_exactly_when_the_service_lets_them(session, world):
    engagement = world.engagement_a
    submitted, planned, _ = world.milestones_a
    assert not milestones.can_start(engagement, submitted) and not milestones.can_submit(engagement, submitted)
    assert milestones.can_start(engagement, planned) and not milestones.can_submit(engagement, planned)
    with pytest.raises(Conflict):
        milestones.submit(session, actor=world.staff, engagement_id=engagement.id, milestone_id=planned.id)
    milestones.start(session, actor=world.staff, engagement_id=engagement.id, milestone_id=planned.id)
    assert not milestones.can_start(engagement, planned) and milestones.can_submit(engagement, planned)
    scoping = engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Draft",
        fixed_price_minor=100_000,
        currency="USD",
    )
    draft = milestones.add_milestone(
        session, actor=world.staff, engagement_id=scoping.id, title="Phase 1", amount_minor=100_000
    )
    assert not milestones.can_start(scoping, draft)  # only while the engagement is active
    with pytest.raises(Conflict):
        milestones.start(session, actor=world.staff, engagement_id=scoping.id, milestone_id=draft.id)


def test_pending_invitations_as_rows_name_the_role_they_grant(session, world, data_dir):
    member = invitations.invite_member(
        session, actor=world.staff, organization_id=world.org_a, email="new@northwind.test", org_role="owner"
    )
    colleague = invitations.invite(session, actor=world.admin, email="noor@fluxent.tech", role="staff")
    (row,) = invitations.pending_rows(session, actor=world.staff, organization_id=world.org_a)
    assert (row.id, row.email, row.org_role, row.expires_at) == (
        member.id,
        "new@northwind.test",
        "owner",
        member.expires_at,
    )
    assert invitations.pending_rows(session, actor=world.staff, organization_id=world.org_b) == []
    assert [(r.id, r.org_role) for r in staff.pending_invitation_rows(session, actor=world.admin)] == [
        (colleague.id, "")
    ]
    # The organization's owners see them too (its Team page); its other members and outsiders do not.
    assert [r.id for r in invitations.pending_rows(session, actor=world.owner_a, organization_id=world.org_a)] == [
        member.id
    ]
    for actor, error in ((world.member_a, PermissionDenied), (world.owner_b, NotFound)):
        with pytest.raises(error):
            invitations.pending_rows(session, actor=actor, organization_id=world.org_a)
    with pytest.raises(PermissionDenied):
        staff.pending_invitation_rows(session, actor=world.staff)


def test_no_state_module_queries_the_database_itself():
    pattern = re.compile(r"sqlalchemy|select\(|\.scalars\(|\.execute\(|Membership|OrgRole\.OWNER")
    state_dir = Path(fluxent.state.__file__).parent
    assert [path.name for path in sorted(state_dir.glob("*.py")) if pattern.search(path.read_text())] == []
