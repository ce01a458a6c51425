"""The portal's team page: owners invite colleagues as members, resend and revoke; members
only see the people; a refused address is named in the summary and beside the field, which gets the focus."""

from __future__ import annotations

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.services.accounts import invitations
from fluxent.services.auth import sessions
from fluxent.state.team import PortalTeamState
from tests.support.portal import build_world, outbox
from tests.support.state import cookie_for, tab


def _team_tab(person: str, world=None):
    with session_scope() as db:
        world = world or build_world(db)
        _, raw = sessions.start_session(db, user=db.get(User, getattr(world, person).id))
    state = tab(PortalTeamState, cookie=cookie_for(raw))
    state.load_portal()
    state.load()
    return world, state


def test_an_owner_invites_resends_and_revokes(database, data_dir):
    world, page = _team_tab("owner_a")
    assert page.team_organization == "Northwind Robotics" and page.may_invite
    assert [(m.name, m.role) for m in page.members] == [("Olivia Owner", "Owner"), ("Mark Member", "Member")]
    version = page.form_version
    assert page.invite({"email": "dana@northwind.test"}) is None
    assert page.notice == "Invitation sent. It is valid for seven days." and page.errors == {}
    assert page.form_version == version + 1  # the sent form clears
    (pending,) = page.pending
    assert pending.email == "dana@northwind.test"
    assert len(outbox(data_dir, "dana@northwind.test")) == 1

    page.resend(pending.id)
    assert page.notice == "Invitation sent again with a new link."
    (again,) = page.pending
    assert again.id != pending.id and len(outbox(data_dir, "dana@northwind.test")) == 2
    page.revoke(again.id)
    assert page.pending == [] and page.notice == "Invitation revoked: its link no longer works."


def test_a_bad_address_is_named_beside_the_field_which_gets_the_focus(database, data_dir):
    world, page = _team_tab("owner_a")
    focus = page.invite({"email": "dana at northwind"})
    assert page.errors == {"form": "Enter a valid e-mail address.", "email": "Enter a valid e-mail address."}
    assert focus is not None and focus.args[0][1]._var_value == "ref_invite_email"
    assert page.pending == [] and page.notice == ""
    page.invite({"email": "mark@northwind.test"})
    assert page.errors["email"] == "Already a member."


def test_members_see_the_people_but_cannot_invite(database, data_dir):
    world, page = _team_tab("member_a")
    assert not page.may_invite and page.pending == [] and len(page.members) == 2
    page.invite({"email": "dana@northwind.test"})
    assert page.errors["form"] == "Only the organization's owners can do this."
    with session_scope() as db:
        staff = db.get(User, world.staff.id)
        pending = invitations.invite(db, actor=staff, email="p@northwind.test", organization=world.org_a)
    page.revoke(pending.id)
    assert page.notice_is_error
    with session_scope() as db:
        owner = db.get(User, world.owner_a.id)
        assert [p.id for p in invitations.pending_rows(db, actor=owner, organization_id=world.org_a)] == [pending.id]


def test_another_organization_stays_out_of_reach(database, data_dir):
    world, page = _team_tab("owner_b")
    assert page.team_organization == "Acme Widgets"
    page.organization_id = str(world.org_a)  # forced into the state, not through the switcher
    page.load()
    assert page.team_organization_id == 0 and page.members == [] and page.notice == "No such organization."
    page.team_organization_id = world.org_a  # forced again: the service still refuses
    page.invite({"email": "spy@acme.test"})
    assert page.errors["form"] == "No such organization."
    assert outbox(data_dir, "spy@acme.test") == []
