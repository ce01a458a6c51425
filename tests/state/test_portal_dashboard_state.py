"""The dashboard and the organization switcher: the choice is per tab and only ever narrows."""

from __future__ import annotations

from sqlmodel import select

from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization, OrgRole, User
from fluxent.models.engagements import Milestone, MilestoneStatus
from fluxent.services.accounts import organizations
from fluxent.services.auth import sessions
from fluxent.services.portal import engagements
from fluxent.state.dashboard import DashboardState
from fluxent.state.organization import OrganizationState
from fluxent.state.portal import DocumentsState, EngagementsState
from tests.support.portal import build_world
from tests.support.state import cookie_for, tab


def _world_with_a_second_organization():
    """Olivia owns Northwind and is a member of Acme; a tab's cookie for her, and the world."""
    with session_scope() as db:
        world = build_world(db)
        organizations.add_membership(
            db, user=db.get(User, world.owner_a.id), organization=db.get(Organization, world.org_b), role=OrgRole.MEMBER
        )
        _, raw = sessions.start_session(db, user=db.get(User, world.owner_a.id))
    return world, cookie_for(raw)


def _tab(state_class, cookie):
    state = tab(state_class, cookie=cookie)
    state.load_portal()
    return state


def test_switching_narrows_dashboard_engagements_and_documents(database, data_dir):
    world, cookie = _world_with_a_second_organization()
    board = _tab(DashboardState, cookie)
    board.load()
    assert {c.title for c in board.cards} == {"Build for Northwind Robotics", "Build for Acme Widgets"}
    assert [o["name"] for o in board.organizations] == ["Acme Widgets", "Northwind Robotics"]

    board.choose_organization(str(world.org_b))
    board.load()
    assert board.organization_id == str(world.org_b)
    assert [c.title for c in board.cards] == ["Build for Acme Widgets"]
    assert board.actions == []  # only a member at Acme: nothing to decide there
    assert [d.id for d in board.documents] == [world.document_b.id]

    # The other pages of the same tab read the same choice.
    root = board._get_root_state()
    pages = root.get_substate(EngagementsState.get_full_name().split(".")[1:])
    pages.load()
    assert [r.title for r in pages.rows] == ["Build for Acme Widgets"]
    documents = root.get_substate(DocumentsState.get_full_name().split(".")[1:])
    documents.load()
    assert [r.id for r in documents.rows] == [world.document_b.id]
    assert [t.value for t in documents.targets] == [f"org:{world.org_b}", f"eng:{world.engagement_b.id}"]

    # Another organization's id (Olivia is in both, so a made-up one) changes nothing.
    board.choose_organization("999999")
    assert board.organization_id == str(world.org_b) and board.notice == "No such organization."
    board.choose_organization("")
    board.load()
    assert len(board.cards) == 2 and [a.milestone for a in board.actions] == ["Phase 1"]


def test_another_organization_is_refused_and_shows_nothing(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=db.get(User, world.owner_b.id))
    board = _tab(DashboardState, cookie_for(raw))
    for wish in (str(world.org_a), "999999", "abc", "1 OR 1=1", "9" * 40):
        board.choose_organization(wish)
        assert board.organization_id == "" and board.notice_is_error
        assert board.notice == "No such organization."
    board.load()
    assert [c.title for c in board.cards] == ["Build for Acme Widgets"]
    # A value forced into the state (not through the switcher) still shows nothing of Northwind.
    board.organization_id = str(world.org_a)
    board.load()
    assert [c.title for c in board.cards] == ["Build for Acme Widgets"]  # back to all of Bea's own
    assert board.notice == "No such organization." and board.organization_id == ""
    engagements_tab = _tab(EngagementsState, cookie_for(raw))
    engagements_tab.organization_id = str(world.org_a)
    engagements_tab.load()
    assert engagements_tab.rows == []


def test_the_owner_accepts_from_the_dashboard(database, data_dir):
    world, cookie = _world_with_a_second_organization()
    board = _tab(DashboardState, cookie)
    board.load()
    (item,) = board.actions
    assert item.can_accept and item.milestone == "Phase 1"
    # The same confirmation as on the engagements page: the amount and what follows, nothing changed yet.
    board.ask_accept(item.engagement_id, item.milestone_id)
    assert (board.confirming, board.confirm_title, board.confirm_amount) == (item.milestone_id, "Phase 1", item.amount)
    assert board.confirm_engagement_title == "Build for Northwind Robotics"
    with session_scope() as db:
        assert db.get(Milestone, item.milestone_id).status == MilestoneStatus.SUBMITTED
    board.accept()
    assert board.notice == "Phase 1 accepted. Thank you! A receipt is on its way by e-mail."
    assert board.confirming == 0
    assert board.actions == []
    board.load_portal()  # coming back to the page later: the message has been read
    board.load()
    assert board.notice == ""
    with session_scope() as db:
        assert db.get(Milestone, item.milestone_id).status == MilestoneStatus.ACCEPTED


def test_a_member_cannot_accept_from_the_dashboard(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=db.get(User, world.member_a.id))
    board = _tab(DashboardState, cookie_for(raw))
    board.load()
    assert board.actions == []
    board.ask_accept(world.engagement_a.id, world.milestones_a[0].id)
    assert board.confirming == 0 and board.notice == "This milestone cannot be accepted now."
    board.confirming, board.confirm_engagement = world.milestones_a[0].id, world.engagement_a.id
    board.accept()
    assert board.notice == "Only the organization's owners can do this."
    with session_scope() as db:
        assert db.get(Milestone, world.milestones_a[0].id).status == MilestoneStatus.SUBMITTED


def test_the_choice_is_kept_in_server_state_only():
    """A plain state var: not a cookie, not localStorage (only ``view_as_role`` may be there)."""
    assert type(OrganizationState.get_fields()["organization_id"].default) is str


def test_hostile_ids_in_a_form_are_refused_with_a_message(database, data_dir):
    world, cookie = _world_with_a_second_organization()
    pages = _tab(EngagementsState, cookie)
    for bad in ("9" * 40, str(2**31), "-1", "\u0663", "1; drop", ""):
        pages.request_changes({"engagement_id": bad, "milestone_id": bad, "reason": "Please change the colours."})
        assert pages.notice and pages.notice_is_error, bad
    with session_scope() as db:
        assert all(m.status != MilestoneStatus.CHANGES_REQUESTED for m in db.exec(select(Milestone)).all())


def test_a_scoping_engagement_without_milestones_claims_no_count(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        staff = db.get(User, world.staff.id)
        scoping = engagements.create_engagement(
            db,
            actor=staff,
            organization_id=world.org_a,
            title="Fleet telemetry",
            fixed_price_minor=500_000,
            currency="USD",
        ).id
        _, raw = sessions.start_session(db, user=db.get(User, world.owner_a.id))
    board = _tab(DashboardState, cookie_for(raw))
    board.load()
    by_id = {card.id: card for card in board.cards}
    assert by_id[scoping].milestones == "" and by_id[scoping].next_milestone == ""
    assert by_id[world.engagement_a.id].milestones == "0 of 3 milestones accepted"
