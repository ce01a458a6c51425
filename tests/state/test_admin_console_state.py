"""Staff console states: every event re-resolves the person; refusals are on-page messages
and change nothing; a removed member loses access on their next event."""

from __future__ import annotations

import reflex as rx
from reflex.istate.data import RouterData
from sqlalchemy import func, select

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile
from fluxent.models.engagements import Milestone
from fluxent.services.accounts import organizations, users
from fluxent.services.marketing import team
from fluxent.services.portal import engagements
from fluxent.state.admin_console import ConsoleHomeState
from fluxent.state.admin_engagement import EngagementEditorState
from fluxent.state.admin_orgs import AdminOrganizationState, OrganizationsState
from fluxent.state.admin_staff import AdminStaffState
from fluxent.state.portal import EngagementsState
from fluxent.state.session import SessionState
from tests.support.auth import IP
from tests.support.state import FIREFOX, person, run


def console_tab(state_class, *, cookie: str, url: str = "/", params: dict | None = None):
    """A tab on ``url`` (with its route parameters) that connected with ``cookie``."""
    root = rx.State()
    root.router = RouterData.from_router_data(
        {"asPath": url, "query": params or {}, "headers": {"cookie": cookie, "user-agent": FIREFOX}, "ip": IP}
    )
    return root.get_substate(state_class.get_full_name().split(".")[1:])


def _organization_id(name: str) -> int:
    with session_scope() as db:
        return organizations.get_or_create_organization(db, name=name).id


def _engagement(organization_id: int, staff_id: int, price: int = 200_000) -> int:
    with session_scope() as db:
        actor = db.get(users.User, staff_id)
        return engagements.create_engagement(
            db,
            actor=actor,
            organization_id=organization_id,
            title="Fleet portal",
            fixed_price_minor=price,
            currency="EUR",
        ).id


def test_a_removed_member_loses_access_on_their_next_event(database):
    staff_id, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    person("olivia@northwind.test", organization="Northwind", org_role=OrgRole.OWNER)
    member_id, member_cookie = person("mark@northwind.test", organization="Northwind", name="Mark Member")
    org_id = _organization_id("Northwind")
    _engagement(org_id, staff_id)
    member_tab = console_tab(EngagementsState, cookie=member_cookie)
    member_tab.load()
    assert [row.title for row in member_tab.rows] == ["Fleet portal"]
    member_frame = console_tab(SessionState, cookie=member_cookie)
    member_frame.load_portal()
    assert member_frame.signed_in and member_frame.organizations == [
        {"id": str(org_id), "name": "Northwind", "role": "Member"}
    ]

    staff_tab = console_tab(
        AdminOrganizationState,
        cookie=staff_cookie,
        url=routes.admin_organization(org_id),
        params={"organization_id": str(org_id)},
    )
    staff_tab.load()
    assert [m.name for m in staff_tab.members] == ["Test Person", "Mark Member"]
    staff_tab.ask_remove(member_id)
    staff_tab.remove(member_id)
    assert [m.name for m in staff_tab.members] == ["Test Person"]
    assert staff_tab.notice == "Member removed and signed out."

    member_tab.load()  # the member's open tab, next event
    assert member_tab.rows == []
    member_frame.recheck()
    assert not member_frame.signed_in and member_frame.organizations == []
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == member_id)) == 0


def test_clients_see_the_console_refused_and_cannot_act(database):
    _, owner_cookie = person("olivia@northwind.test", organization="Northwind", org_role=OrgRole.OWNER)
    person("mark@northwind.test", organization="Northwind")
    org_id = _organization_id("Northwind")
    home = console_tab(ConsoleHomeState, cookie=owner_cookie)
    home.load()
    assert home.access == "denied" and home.numbers == {}
    page = console_tab(AdminOrganizationState, cookie=owner_cookie, params={"organization_id": str(org_id)})
    page.load()
    assert page.access == "denied" and page.members == [] and page.name == ""
    editor = console_tab(EngagementEditorState, cookie=owner_cookie, params={"engagement_id": "1"})
    editor.load()
    assert editor.access == "denied" and editor.details == {}
    run(page.invite({"invite.email": "x@y.test", "invite.org_role": "owner"}))
    # Owners invite members only (on the portal's Team page); never owners.
    assert page.notice_is_error and "Owners invite colleagues as members" in page.notice
    listing = console_tab(OrganizationsState, cookie=owner_cookie)
    run(listing.create({"create.name": "Mine"}))
    assert listing.errors == {"create.form": "Only Fluxent staff can do this."}
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(Organization)) == 1


def test_an_unknown_organization_is_missing(database):
    _, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF)
    page = console_tab(AdminOrganizationState, cookie=staff_cookie, params={"organization_id": "999"})
    page.load()
    assert page.access == "missing"


def test_staff_create_an_organization_and_bad_names_are_explained(database):
    _, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF)
    _organization_id("Northwind")
    listing = console_tab(OrganizationsState, cookie=staff_cookie)
    listing.load()
    assert [row.name for row in listing.rows] == ["Northwind"]
    run(listing.create({"create.name": "  "}))
    assert listing.errors == {"create.name": "1-200 characters."} and listing.notice_is_error
    run(listing.create({"create.name": "northwind"}))
    assert listing.errors == {"create.name": "Already exists."}
    events = run(listing.create({"create.name": "Globex Freight"}))
    with session_scope() as db:
        created = db.scalars(select(Organization).where(Organization.name == "Globex Freight")).one()
    assert listing.errors == {} and len(events) == 2 and events[-1] is not None  # busy update, then the redirect
    listing.search({"q": "glob"})
    assert [row.href for row in listing.rows] == [routes.admin_organization(created.id)]


def test_the_engagement_editor_shows_the_sum_rule_and_refuses_bad_amounts(database):
    staff_id, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    engagement_id = _engagement(_organization_id("Northwind"), staff_id)
    editor = console_tab(EngagementEditorState, cookie=staff_cookie, params={"engagement_id": str(engagement_id)})
    editor.load()
    assert (editor.access, editor.allocation, editor.allocation_ok) == ("ok", "EUR 2,000.00 left to allocate", False)
    assert [m.label for m in editor.moves] == ["Mark as proposed"]
    run(editor.add_milestone({"milestone.title": "Design", "milestone.amount_minor": "12abc"}))
    assert "milestone.amount_minor" in editor.errors
    run(
        editor.add_milestone(
            {"milestone.title": "Design", "milestone.amount_minor": "1,500.00", "milestone.due_date": "2026-02-30"}
        )
    )
    assert editor.errors == {"milestone.due_date": "Enter a date as YYYY-MM-DD."}
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(Milestone)) == 0
    run(editor.add_milestone({"milestone.title": "Design", "milestone.amount_minor": "1,500.00"}))
    run(editor.add_milestone({"milestone.title": "Build", "milestone.amount_minor": "500"}))
    assert (editor.allocation, editor.allocation_ok) == ("The milestones add up to the fixed price", True)
    design = editor.plan[0]
    editor.save_milestone(
        {"milestone_id": str(design.id), f"m{design.id}.title": "Design", f"m{design.id}.amount_minor": "1600"}
    )
    assert editor.allocation == "EUR 100.00 over the fixed price"
    editor.move("proposed")
    assert editor.notice_is_error and editor.status == "scoping"
    editor.save_milestone(
        {"milestone_id": str(design.id), f"m{design.id}.title": "Design", f"m{design.id}.amount_minor": "1500"}
    )
    editor.move("proposed")
    editor.move("active")
    assert editor.status == "active" and editor.plan[0].can_start and not editor.plan[0].can_remove
    editor.start_milestone(design.id)
    editor.submit_milestone(design.id)
    assert editor.plan[0].status_label == "Waiting for the client"


def test_only_admins_manage_staff_and_the_last_admin_stays(database):
    _, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    admin_id, admin_cookie = person("ada@fluxent.tech", role=Role.ADMIN, name="Ada Admin")
    refused = console_tab(AdminStaffState, cookie=staff_cookie)
    refused.load()
    assert refused.access == "denied" and refused.rows == []
    page = console_tab(AdminStaffState, cookie=admin_cookie)
    page.load()
    assert [row.name for row in page.rows] == ["Ada Admin", "Sam Staff"]
    page.open_editor(admin_id)
    page.save({"profile.name": "Ada Admin", "profile.role": "staff"})
    assert page.errors == {"profile.role": "Last administrator."} and page.notice_is_error
    assert page.editing == admin_id  # the drawer stays open with the message
    sam = page.rows[1]
    page.open_editor(sam.user_id)
    assert page.edited.name == "Sam Staff"
    page.save(
        {
            "profile.name": "Sam Staff",
            "profile.role": "staff",
            "profile.title": "Lead engineer",
            "profile.team": "Delivery",
            "profile.listed": "on",
        }
    )
    assert page.errors == {} and page.rows[1].listed and page.editing == 0
    with session_scope() as db:
        assert [(m.name, m.title, m.team) for m in team.listed_team(db)] == [("Sam Staff", "Lead engineer", "Delivery")]
        assert db.get(StaffProfile, sam.user_id).listed_on_team_page
        assert db.get(users.User, admin_id).role == Role.ADMIN


def test_a_refused_invitation_keeps_its_messages_next_to_the_form(database):
    _, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF)
    org_id = _organization_id("Northwind")
    page = console_tab(AdminOrganizationState, cookie=staff_cookie, params={"organization_id": str(org_id)})
    page.load()
    run(page.invite({"invite.email": "not an address", "invite.org_role": "owner"}))
    assert page.errors == {"invite.email": "Enter a valid e-mail address."}
    assert page.invitations == [] and page.form_version == 0
    run(page.invite({"invite.email": "lena@northwind.test", "invite.org_role": "owner"}))
    assert page.errors == {} and page.form_version == 1
    assert [(row.email, row.role) for row in page.invitations] == [("lena@northwind.test", "owner")]
    page.revoke(page.invitations[0].id)
    assert page.invitations == [] and page.notice == "Invitation revoked."


def test_roles_staff_assignment_and_plan_removal_from_the_pages(database):
    staff_id, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    owner_id, _ = person("olivia@northwind.test", organization="Northwind", org_role=OrgRole.OWNER, name="Olivia Owner")
    member_id, _ = person("mark@northwind.test", organization="Northwind", name="Mark Member")
    org_id = _organization_id("Northwind")
    page = console_tab(AdminOrganizationState, cookie=staff_cookie, params={"organization_id": str(org_id)})
    page.load()
    page.change_role(owner_id, "member")
    assert page.errors == {"members.form": "An organization needs at least one owner: make someone else owner first."}
    page.change_role(member_id, "owner")
    assert page.errors == {} and {m.name: m.role for m in page.members} == {
        "Olivia Owner": "owner",
        "Mark Member": "owner",
    }

    editor = console_tab(
        EngagementEditorState, cookie=staff_cookie, params={"engagement_id": str(_engagement(org_id, staff_id))}
    )
    editor.load()
    assert [p["name"] for p in editor.assignable] == ["Sam Staff"] and editor.assigned == []
    editor.assign({"staff.user_id": str(staff_id)})
    assert [p.name for p in editor.assigned] == ["Sam Staff"] and editor.assignable == []
    editor.unassign(staff_id)
    assert editor.assigned == [] and editor.notice == "Staff member unassigned."
    run(editor.add_milestone({"milestone.title": "Design", "milestone.amount_minor": "500"}))
    assert editor.plan[0].can_remove
    editor.remove_milestone(editor.plan[0].id)
    assert editor.plan == [] and editor.allocation == "EUR 2,000.00 left to allocate"
    run(
        editor.save_details(
            {
                "details.title": "Fleet portal",
                "details.fixed_price_minor": "3000",
                "details.currency": "eur",
                "details.start_date": "2026-03-01",
                "details.target_date": "2026-01-01",
            }
        )
    )
    assert editor.errors == {"details.target_date": "The target date cannot be before the start date."}
    run(
        editor.save_details(
            {"details.title": "Fleet portal v2", "details.fixed_price_minor": "3000", "details.currency": "eur"}
        )
    )
    assert editor.details["title"] == "Fleet portal v2" and editor.details["price_label"] == "EUR 3,000.00"


def test_an_admin_invites_a_staff_member(database, outbox):
    _, admin_cookie = person("ada@fluxent.tech", role=Role.ADMIN, name="Ada Admin")
    page = console_tab(AdminStaffState, cookie=admin_cookie)
    page.load()
    run(page.invite({"invite.email": "nope", "invite.title": "Engineer"}))
    assert page.errors == {"invite.email": "Enter a valid e-mail address."} and outbox.messages() == []
    run(page.invite({"invite.email": "noor@fluxent.tech", "invite.title": "Engineer", "invite.team": "Delivery"}))
    assert page.errors == {} and page.notice == "Invitation sent to noor@fluxent.tech."
    assert "/invite/" in outbox.text(outbox.last("noor@fluxent.tech"))
    assert [row.email for row in page.invitations] == ["noor@fluxent.tech"]
    page.revoke(page.invitations[0].id)
    assert page.invitations == [] and page.notice == "Invitation revoked."
