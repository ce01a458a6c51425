"""Staff console services: organizations and members, invitations, engagement and milestone
editing, staff management, the console's numbers. Refusals leave the data as it was."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone
from fluxent.models.marketing import Lead, LeadStatus
from fluxent.services.accounts import authz, invitations, organizations, staff
from fluxent.services.audit import trail
from fluxent.services.auth import sessions
from fluxent.services.marketing import team
from fluxent.services.portal import console, engagements, milestones
from tests.support.portal import outbox

S = EngagementStatus


def _actions(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def _roles(session, org_id):
    return {m.user_id: m.role for m in session.scalars(select(Membership).where(Membership.organization_id == org_id))}


def _scoping(session, world, price=200_000):
    return engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Second build",
        fixed_price_minor=price,
        currency="EUR",
    )


# Organizations ------------------------------------------------------------------


def test_staff_create_and_search_organizations(session, world):
    created = organizations.create_organization(session, actor=world.staff, name="  Globex   Freight ")
    assert (created.name, created.slug) == ("Globex Freight", "globex-freight")
    assert _actions(session, "accounts.organization_created")[-1].actor_id == world.staff.id
    found = organizations.search_organizations(session, actor=world.staff, query="GLOBEX")
    assert [o.id for o in found.items] == [created.id]
    assert organizations.search_organizations(session, actor=world.staff, query="").total == 3
    percent = organizations.create_organization(session, actor=world.staff, name="100% Uptime")
    assert [o.id for o in organizations.search_organizations(session, actor=world.staff, query="0%").items] == [
        percent.id
    ]
    assert organizations.search_organizations(session, actor=world.staff, query="_").total == 0


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", ValidationFailed),
        ("x" * 201, ValidationFailed),
        ("Ev\u202eil", ValidationFailed),
        ("northwind robotics", Conflict),
    ],
)
def test_bad_organization_names_change_nothing(session, world, name, error):
    before = session.scalar(select(func.count()).select_from(Organization))
    with pytest.raises(error):
        organizations.create_organization(session, actor=world.staff, name=name)
    assert session.scalar(select(func.count()).select_from(Organization)) == before


def test_clients_cannot_create_or_search_organizations(session, world):
    for client in (world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            organizations.create_organization(session, actor=client, name="Mine")
        with pytest.raises(PermissionDenied):
            organizations.search_organizations(session, actor=client, query="")


def test_members_list_owners_first_and_outsiders_see_nothing(session, world):
    members = organizations.members_of(session, actor=world.member_a, organization_id=world.org_a)
    assert [(m.name, m.role) for m in members] == [("Olivia Owner", OrgRole.OWNER), ("Mark Member", OrgRole.MEMBER)]
    with pytest.raises(NotFound):
        organizations.members_of(session, actor=world.owner_b, organization_id=world.org_a)


def test_owners_and_staff_change_roles_members_cannot(session, world):
    organizations.change_member_role(
        session, actor=world.owner_a, organization_id=world.org_a, user_id=world.member_a.id, role="owner"
    )
    assert _roles(session, world.org_a)[world.member_a.id] == OrgRole.OWNER
    event = _actions(session, "accounts.member_role_changed")[-1]
    assert (event.actor_id, event.organization_id, event.target_id) == (
        world.owner_a.id,
        world.org_a,
        str(world.member_a.id),
    )
    organizations.change_member_role(
        session, actor=world.staff, organization_id=world.org_a, user_id=world.member_a.id, role=OrgRole.MEMBER
    )
    before = _roles(session, world.org_a)
    with pytest.raises(PermissionDenied):
        organizations.change_member_role(
            session, actor=world.member_a, organization_id=world.org_a, user_id=world.member_a.id, role="owner"
        )
    with pytest.raises(NotFound):  # another organization's owner
        organizations.change_member_role(
            session, actor=world.owner_b, organization_id=world.org_a, user_id=world.member_a.id, role="owner"
        )
    with pytest.raises(ValidationFailed):
        organizations.change_member_role(
            session, actor=world.staff, organization_id=world.org_a, user_id=world.member_a.id, role="boss"
        )
    with pytest.raises(NotFound):  # not a member of this organization
        organizations.change_member_role(
            session, actor=world.staff, organization_id=world.org_a, user_id=world.owner_b.id, role="owner"
        )
    assert _roles(session, world.org_a) == before


def test_the_last_owner_stays(session, world):
    with pytest.raises(Conflict, match="at least one owner"):
        organizations.change_member_role(
            session, actor=world.owner_a, organization_id=world.org_a, user_id=world.owner_a.id, role="member"
        )
    with pytest.raises(Conflict, match="at least one owner"):
        organizations.remove_member(session, actor=world.staff, organization_id=world.org_a, user_id=world.owner_a.id)
    assert _roles(session, world.org_a)[world.owner_a.id] == OrgRole.OWNER
    # With a second owner, the first may step down.
    organizations.change_member_role(
        session, actor=world.staff, organization_id=world.org_a, user_id=world.member_a.id, role="owner"
    )
    organizations.change_member_role(
        session, actor=world.owner_a, organization_id=world.org_a, user_id=world.owner_a.id, role="member"
    )
    assert _roles(session, world.org_a) == {world.owner_a.id: OrgRole.MEMBER, world.member_a.id: OrgRole.OWNER}


def test_removing_a_member_ends_their_access_and_sessions(session, world):
    _, raw = sessions.start_session(session, user=world.member_a)
    organizations.remove_member(session, actor=world.owner_a, organization_id=world.org_a, user_id=world.member_a.id)
    assert world.member_a.id not in _roles(session, world.org_a)
    assert sessions.resolve(session, raw) is None
    live = session.scalars(
        select(AuthSession).where(AuthSession.user_id == world.member_a.id, AuthSession.revoked_at.is_(None))
    )
    assert live.all() == []
    with pytest.raises(NotFound):
        engagements.get_engagement(session, actor=world.member_a, engagement_id=world.engagement_a.id)
    event = _actions(session, "accounts.member_removed")[-1]
    assert event.actor_id == world.owner_a.id and trail.verify(session).ok


def test_members_cannot_remove_anyone(session, world):
    _, raw = sessions.start_session(session, user=world.owner_a)
    for actor, error in ((world.member_a, PermissionDenied), (world.owner_b, NotFound)):
        with pytest.raises(error):
            organizations.remove_member(session, actor=actor, organization_id=world.org_a, user_id=world.owner_a.id)
    assert _roles(session, world.org_a) == {world.owner_a.id: OrgRole.OWNER, world.member_a.id: OrgRole.MEMBER}
    assert sessions.resolve(session, raw) is not None


# Invitations --------------------------------------------------------------------


def test_staff_invite_list_and_revoke(session, world, data_dir):
    invitation = invitations.invite_member(
        session, actor=world.staff, organization_id=world.org_a, email="New.Person@Northwind.test", org_role="owner"
    )
    session.commit()  # the invitation e-mail goes once the transaction commits
    assert [m["To"] for m in outbox(data_dir, "new.person@northwind.test")] == ["new.person@northwind.test"]
    pending = invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_a)
    assert [(row.id, invitations.invitation_role(row)) for row in pending] == [(invitation.id, "owner")]
    assert invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_b) == []
    with pytest.raises(NotFound):  # the id belongs to another organization
        invitations.revoke_invitation(
            session, actor=world.staff, organization_id=world.org_b, invitation_id=invitation.id
        )
    invitations.revoke_invitation(session, actor=world.staff, organization_id=world.org_a, invitation_id=invitation.id)
    assert invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_a) == []
    assert _actions(session, "auth.invitation_revoked")
    with pytest.raises(NotFound):
        invitations.revoke_invitation(
            session, actor=world.staff, organization_id=world.org_a, invitation_id=invitation.id
        )


def test_members_and_other_organizations_cannot_invite_or_see_invitations(session, world, data_dir):
    """Owners invite members to their own organization (tests/api/test_team_invitations_api.py); nobody else."""
    for actor, error in ((world.member_a, PermissionDenied), (world.owner_b, NotFound)):
        with pytest.raises(error):
            invitations.invite_member(
                session, actor=actor, organization_id=world.org_a, email="x@y.test", org_role="member"
            )
        with pytest.raises(error):
            invitations.pending_invitations(session, actor=actor, organization_id=world.org_a)
    assert outbox(data_dir, "x@y.test") == []


def test_a_bad_invitation_is_refused(session, world, data_dir):
    for email, role in (("not-an-address", "member"), ("a@b.test", "boss")):
        with pytest.raises(ValidationFailed):
            invitations.invite_member(
                session, actor=world.staff, organization_id=world.org_a, email=email, org_role=role
            )
    assert invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_a) == []


# Engagement editing ---------------------------------------------------------------


def _details(engagement, **changes):
    values = dict(
        title=engagement.title,
        scope_summary=engagement.scope_summary,
        fixed_price_minor=engagement.fixed_price_minor,
        currency=engagement.currency,
        start_date=engagement.start_date,
        target_date=engagement.target_date,
    )
    return values | changes


def test_staff_edit_an_engagement_while_scoping(session, world):
    engagement = _scoping(session, world)
    updated = engagements.update_engagement(
        session,
        actor=world.staff,
        engagement_id=engagement.id,
        **_details(
            engagement,
            title="Fleet portal",
            fixed_price_minor=250_000,
            currency="usd",
            start_date=date(2026, 1, 5),
            target_date=date(2026, 3, 1),
            scope_summary="Routes and drivers",
        ),
    )
    assert (updated.title, updated.fixed_price_minor, updated.currency) == ("Fleet portal", 250_000, "USD")
    event = _actions(session, "engagements.updated")[-1]
    assert "fixed_price_minor" in event.meta and "title" in event.meta


def test_price_is_frozen_once_proposed_and_closed_engagements_are_read_only(session, world):
    engagement = world.engagement_a  # active
    with pytest.raises(Conflict, match="frozen"):
        engagements.update_engagement(
            session, actor=world.staff, engagement_id=engagement.id, **_details(engagement, fixed_price_minor=1_000)
        )
    renamed = engagements.update_engagement(
        session, actor=world.staff, engagement_id=engagement.id, **_details(engagement, title="Renamed")
    )
    assert renamed.title == "Renamed" and renamed.fixed_price_minor == 900_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"fixed_price_minor": 0}, "fixed_price_minor"),
        ({"currency": "EURO"}, "currency"),
        ({"start_date": date(2026, 5, 1), "target_date": date(2026, 4, 1)}, "target_date"),
    ],
)
def test_bad_engagement_details_change_nothing(session, world, changes, field):
    engagement = _scoping(session, world)
    before = _details(engagement)
    with pytest.raises(ValidationFailed) as raised:
        engagements.update_engagement(
            session, actor=world.staff, engagement_id=engagement.id, **_details(engagement, **changes)
        )
    assert field in raised.value.fields
    session.expire_all()
    assert _details(session.get(Engagement, engagement.id)) == before


def test_clients_cannot_edit_engagements(session, world):
    for actor in (world.owner_a, world.member_a, world.owner_b):
        with pytest.raises(PermissionDenied):
            engagements.update_engagement(
                session, actor=actor, engagement_id=world.engagement_a.id, **_details(world.engagement_a, title="Mine")
            )
        with pytest.raises(PermissionDenied):
            engagements.unassign_staff(
                session, actor=actor, engagement_id=world.engagement_a.id, user_id=world.staff.id
            )


def test_staff_are_unassigned_with_an_audit_entry(session, world):
    engagements.unassign_staff(session, actor=world.admin, engagement_id=world.engagement_a.id, user_id=world.staff.id)
    assert engagements.assigned_staff(session, world.engagement_a.id) == []
    assert _actions(session, "engagements.staff_unassigned")[-1].actor_id == world.admin.id
    with pytest.raises(NotFound):
        engagements.unassign_staff(
            session, actor=world.admin, engagement_id=world.engagement_a.id, user_id=world.staff.id
        )


# Milestone editing -----------------------------------------------------------------


def _milestone_values(m):
    return (m.title, m.description, m.due_date, m.amount_minor)


def test_the_plan_is_edited_while_scoping_and_the_sum_shows_what_is_left(session, world):
    engagement = _scoping(session, world)
    first = milestones.add_milestone(
        session, actor=world.staff, engagement_id=engagement.id, title="Design", amount_minor=50_000
    )
    second = milestones.add_milestone(
        session, actor=world.staff, engagement_id=engagement.id, title="Build", amount_minor=50_000
    )
    assert engagements.unallocated(session, engagement) == 100_000
    milestones.update_milestone(
        session,
        actor=world.staff,
        engagement_id=engagement.id,
        milestone_id=second.id,
        title="Build it",
        description="All of it",
        due_date=date(2026, 2, 1),
        amount_minor=150_000,
    )
    assert engagements.unallocated(session, engagement) == 0
    assert _actions(session, "engagements.milestone_updated")
    milestones.remove_milestone(session, actor=world.staff, engagement_id=engagement.id, milestone_id=first.id)
    assert session.get(Milestone, first.id) is None
    assert engagements.unallocated(session, engagement) == 50_000
    assert _actions(session, "engagements.milestone_removed")[-1].target_id == str(first.id)
    with pytest.raises(ValidationFailed):  # proposing still needs the amounts to add up
        engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.PROPOSED)


def test_amounts_freeze_and_milestones_stay_once_proposed(session, world):
    engagement, ms = world.engagement_a, world.milestones_a[1]
    before = _milestone_values(ms)
    with pytest.raises(Conflict, match="frozen"):
        milestones.update_milestone(
            session,
            actor=world.staff,
            engagement_id=engagement.id,
            milestone_id=ms.id,
            title=ms.title,
            description="",
            due_date=None,
            amount_minor=1,
        )
    with pytest.raises(Conflict):
        milestones.remove_milestone(session, actor=world.staff, engagement_id=engagement.id, milestone_id=ms.id)
    session.expire_all()
    assert _milestone_values(session.get(Milestone, ms.id)) == before
    renamed = milestones.update_milestone(
        session,
        actor=world.staff,
        engagement_id=engagement.id,
        milestone_id=ms.id,
        title="Phase two",
        description="More",
        due_date=date(2026, 6, 1),
        amount_minor=ms.amount_minor,
    )
    assert (renamed.title, renamed.due_date) == ("Phase two", date(2026, 6, 1))


def test_bad_milestone_edits_change_nothing(session, world):
    engagement = _scoping(session, world)
    ms = milestones.add_milestone(
        session, actor=world.staff, engagement_id=engagement.id, title="Design", amount_minor=50_000
    )
    before = _milestone_values(ms)
    for title, amount in (("", 10), ("Ok", 0), ("Ok", 200_001)):
        with pytest.raises(ValidationFailed):
            milestones.update_milestone(
                session,
                actor=world.staff,
                engagement_id=engagement.id,
                milestone_id=ms.id,
                title=title,
                description="",
                due_date=None,
                amount_minor=amount,
            )
    for actor, error in ((world.owner_a, PermissionDenied), (world.member_a, PermissionDenied)):
        with pytest.raises(error):
            milestones.remove_milestone(session, actor=actor, engagement_id=engagement.id, milestone_id=ms.id)
    with pytest.raises(NotFound):  # a milestone of another engagement
        milestones.remove_milestone(session, actor=world.staff, engagement_id=world.engagement_b.id, milestone_id=ms.id)
    session.expire_all()
    assert _milestone_values(session.get(Milestone, ms.id)) == before


# Staff management -----------------------------------------------------------------


def test_admins_list_and_edit_staff_and_the_team_page_follows(session, world):
    listed = staff.list_staff(session, actor=world.admin).items
    assert [(m.name, m.role) for m in listed] == [("Ada Admin", Role.ADMIN), ("Sam Staff", Role.STAFF)]
    member = staff.update_staff(
        session,
        actor=world.admin,
        user_id=world.staff.id,
        role="staff",
        title="Delivery lead",
        team="Platform",
        listed=True,
    )
    assert (member.title, member.team, member.listed) == ("Delivery lead", "Platform", True)
    assert [(m.name, m.title) for m in team.listed_team(session)] == [("Sam Staff", "Delivery lead")]
    event = _actions(session, "accounts.staff_updated")[-1]
    assert event.actor_id == world.admin.id and "listed" in event.meta
    staff.update_staff(
        session,
        actor=world.admin,
        user_id=world.staff.id,
        role="staff",
        title="Delivery lead",
        team="Platform",
        listed=False,
    )
    assert team.listed_team(session) == []


def test_staff_can_be_promoted_and_demoted_to_client(session, world):
    staff.update_staff(
        session, actor=world.admin, user_id=world.staff.id, role="admin", title="", team="", listed=False
    )
    assert authz.is_admin(session.get(User, world.staff.id))
    assert engagements.assigned_staff(session, world.engagement_a.id) == [session.get(User, world.staff.id)]
    staff.update_staff(
        session, actor=world.admin, user_id=world.staff.id, role="client", title="", team="", listed=False
    )
    assert not authz.is_staff(session.get(User, world.staff.id))
    assert engagements.assigned_staff(session, world.engagement_a.id) == []  # no longer on the engagements
    assert '"unassigned":2' in _actions(session, "accounts.staff_updated")[-1].meta
    with pytest.raises(NotFound):  # no longer staff: not in the staff list either
        staff.update_staff(
            session, actor=world.admin, user_id=world.staff.id, role="staff", title="", team="", listed=False
        )


def test_the_last_admin_cannot_be_demoted_even_by_themselves(session, world):
    with pytest.raises(Conflict, match="At least one administrator"):
        staff.update_staff(
            session, actor=world.admin, user_id=world.admin.id, role="staff", title="", team="", listed=False
        )
    assert session.get(User, world.admin.id).role == Role.ADMIN
    staff.update_staff(
        session, actor=world.admin, user_id=world.staff.id, role="admin", title="", team="", listed=False
    )
    staff.update_staff(
        session, actor=world.admin, user_id=world.admin.id, role="staff", title="", team="", listed=False
    )
    assert session.get(User, world.admin.id).role == Role.STAFF


def test_only_admins_manage_staff_and_bad_input_changes_nothing(session, world):
    for actor in (world.staff, world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            staff.list_staff(session, actor=actor)
        with pytest.raises(PermissionDenied):
            staff.update_staff(
                session, actor=actor, user_id=world.staff.id, role="admin", title="", team="", listed=True
            )
    with pytest.raises(NotFound):  # clients are not staff
        staff.update_staff(
            session, actor=world.admin, user_id=world.owner_a.id, role="admin", title="", team="", listed=False
        )
    for changes in ({"role": "owner"}, {"title": "x" * 121}, {"team": "bad\x00team"}):
        values = dict(role="staff", title="T", team="U", listed=True) | changes
        with pytest.raises(ValidationFailed):
            staff.update_staff(session, actor=world.admin, user_id=world.staff.id, **values)
    assert session.get(StaffProfile, world.staff.id) is None
    assert session.get(User, world.staff.id).role == Role.STAFF
    assert session.get(User, world.owner_a.id).role == Role.CLIENT


# Console home ----------------------------------------------------------------------


def test_the_overview_counts_and_is_for_staff(session, world):
    numbers = console.overview(session, actor=world.staff)
    assert (numbers.organizations, numbers.active_engagements, numbers.waiting_for_client, numbers.new_leads) == (
        2,
        2,
        2,
        1,
    )
    session.get(Lead, world.lead.id).status = LeadStatus.CONTACTED
    session.flush()
    assert console.overview(session, actor=world.staff).new_leads == 0
    with pytest.raises(PermissionDenied):
        console.overview(session, actor=world.owner_a)


def test_admins_list_and_revoke_staff_invitations(session, world, data_dir):
    staff_invitation = invitations.invite(
        session, actor=world.admin, email="noor@fluxent.tech", role="staff", title="Engineer"
    )
    invitations.invite(session, actor=world.staff, email="client@northwind.test", organization=world.org_a)
    invitations.invite(session, actor=world.staff, email="loose@client.test")  # a client invited to no organization
    assert [row.email for row in staff.pending_invitations(session, actor=world.admin)] == ["noor@fluxent.tech"]
    with pytest.raises(PermissionDenied):
        staff.pending_invitations(session, actor=world.staff)
    with pytest.raises(PermissionDenied):
        staff.revoke_invitation(session, actor=world.staff, invitation_id=staff_invitation.id)
    client_invitation = invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_a)[0]
    with pytest.raises(NotFound):  # not a staff invitation
        staff.revoke_invitation(session, actor=world.admin, invitation_id=client_invitation.id)
    staff.revoke_invitation(session, actor=world.admin, invitation_id=staff_invitation.id)
    assert staff.pending_invitations(session, actor=world.admin) == []
    assert invitations.pending_invitations(session, actor=world.staff, organization_id=world.org_a) == [
        client_invitation
    ]
