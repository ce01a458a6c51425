"""Invitations: who may send them, what accepting creates, and that each works once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.passwords import BCRYPT_ROUNDS
from fluxent.models.accounts import Membership, OrgRole, Role, StaffProfile
from fluxent.models.auth import AuthSession
from fluxent.services.accounts import invitations, organizations
from fluxent.services.auth import sessions, sign_in
from tests.support.auth import AGENT, IP, Secrets, assert_no_secret_in_audit, audit_actions, make_user

INVITE = "/invite/"
NEW = "nora@example.com"
NEW_PASSWORD = "granite sparrow lullaby"


@pytest.fixture
def team(session):
    admin = make_user(session, "root@fluxent.tech", role=Role.ADMIN, name="Marcus Cole")
    staff = make_user(session, "sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    client = make_user(session, "cleo@example.com", name="Cleo Client")
    org = organizations.get_or_create_organization(session, name="Northwind Robotics")
    organizations.add_membership(session, user=client, organization=org, role=OrgRole.OWNER)
    session.commit()
    return admin, staff, client, org


def _accept(session, token, clock, *, name="Nora North", password=NEW_PASSWORD, signed_in_as=None):
    return invitations.accept_invitation(
        session,
        token=token,
        name=name,
        password=password,
        ip=IP,
        user_agent=AGENT,
        signed_in_as=signed_in_as,
        clock=clock,
    )


def test_staff_invite_a_client_who_accepts_and_is_signed_in(session, team, outbox, clock):
    admin, staff, client, org = team
    invitations.invite(session, actor=staff, email=NEW, organization=org, org_role="owner", clock=clock)
    message = outbox.last(NEW)
    assert "Sam Staff invited you to Northwind Robotics" in message["Subject"]
    token = outbox.link_token(NEW, INVITE)

    details = invitations.describe_invitation(session, token=token, clock=clock)
    assert details["email"] == NEW and details["organization"] == "Northwind Robotics"
    assert details["inviter"] == "Sam Staff"
    assert details["has_account"] is False

    _, raw, user = _accept(session, token, clock)
    assert user.email == NEW and user.role == Role.CLIENT and user.name == "Nora North"
    assert user.password_hash.startswith(f"$2b${BCRYPT_ROUNDS}$")
    assert sessions.resolve(session, raw, clock=clock)[1].id == user.id
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.organization_id, membership.role) == (org.id, OrgRole.OWNER)
    assert {"auth.invitation_sent", "auth.invitation_accepted", "auth.login_succeeded"} <= set(audit_actions(session))

    with pytest.raises(NotAuthenticated):  # single use
        _accept(session, token, clock)
    assert invitations.describe_invitation(session, token=token, clock=clock) is None
    secrets = Secrets()
    secrets.add(token, raw, NEW_PASSWORD)
    assert_no_secret_in_audit(session, secrets)


def test_clients_cannot_invite_and_only_admins_invite_staff(session, team, outbox, clock):
    admin, staff, client, org = team
    with pytest.raises(PermissionDenied):
        invitations.invite(session, actor=client, email=NEW, organization=org, clock=clock)
    with pytest.raises(PermissionDenied):
        invitations.invite(session, actor=staff, email=NEW, role="staff", clock=clock)
    with pytest.raises(ValidationFailed):
        invitations.invite(session, actor=admin, email=NEW, role="admin", clock=clock)
    with pytest.raises(ValidationFailed):
        invitations.invite(session, actor=admin, email=NEW, org_role="boss", clock=clock)
    with pytest.raises(NotFound):
        invitations.invite(session, actor=admin, email=NEW, organization=10**9, clock=clock)
    assert outbox.messages(NEW) == []


def test_an_admin_invites_staff_who_get_a_staff_profile(session, team, outbox, clock):
    admin = team[0]
    invitations.invite(session, actor=admin, email=NEW, role="staff", title="Engineer", team="Delivery", clock=clock)
    _, _, user = _accept(session, outbox.link_token(NEW, INVITE), clock)
    assert user.role == Role.STAFF
    profile = session.get(StaffProfile, user.id)
    assert (profile.title, profile.team) == ("Engineer", "Delivery")


def test_an_existing_person_gets_the_membership_only_once_signed_in_and_keeps_their_password(
    session, team, outbox, clock
):
    admin, staff, client, _ = team
    other_org = organizations.get_or_create_organization(session, name="Contoso Labs")
    previous_hash = client.password_hash
    invitations.invite(session, actor=staff, email=client.email, organization=other_org, clock=clock)
    token = outbox.link_token(client.email, INVITE)
    assert invitations.describe_invitation(session, token=token, clock=clock)["needs_sign_in"] is True
    assert invitations.describe_invitation(session, token=token, viewer=client, clock=clock)["needs_sign_in"] is False
    sessions_before = len(session.exec(select(AuthSession)).all())

    for someone in (None, staff):  # signed out, or signed in as somebody else: no way in
        with pytest.raises(PermissionDenied):
            _accept(session, token, clock, signed_in_as=someone)
        session.rollback()
    assert len(session.exec(select(AuthSession)).all()) == sessions_before
    assert {m.organization_id for m in organizations.memberships_of(session, client)} == {team[3].id}

    assert (
        _accept(session, token, clock, name="Someone Else", password="a different granite comet", signed_in_as=client)
        is None
    )
    session.refresh(client)
    assert client.name == "Cleo Client" and client.password_hash == previous_hash
    assert {m.organization_id for m in organizations.memberships_of(session, client)} == {team[3].id, other_org.id}
    assert len(session.exec(select(AuthSession)).all()) == sessions_before
    with pytest.raises(NotAuthenticated):  # used up
        _accept(session, token, clock, signed_in_as=client)


def test_an_invitation_expires_after_seven_days(session, team, outbox, clock):
    invitations.invite(session, actor=team[1], email=NEW, organization=team[3], clock=clock)
    token = outbox.link_token(NEW, INVITE)
    clock.advance(days=7)
    with pytest.raises(NotAuthenticated):
        _accept(session, token, clock)


def test_a_new_invitation_revokes_the_older_one_to_the_same_organization(session, team, outbox, clock):
    staff, org = team[1], team[3]
    other_org = organizations.get_or_create_organization(session, name="Contoso Labs")
    invitations.invite(session, actor=staff, email=NEW, organization=other_org, clock=clock)
    elsewhere = outbox.link_token(NEW, INVITE)
    invitations.invite(session, actor=staff, email=NEW, organization=org, clock=clock)
    first = outbox.link_token(NEW, INVITE)
    invitations.invite(session, actor=staff, email=NEW, organization=org, clock=clock)
    second = outbox.link_token(NEW, INVITE)
    with pytest.raises(NotAuthenticated):
        _accept(session, first, clock)
    _, _, nora = _accept(session, second, clock)
    # A pending invitation to another organization still stands (for the account, once signed in).
    assert _accept(session, elsewhere, clock, signed_in_as=nora) is None


def test_a_weak_password_or_missing_name_leaves_the_invitation_usable(session, team, outbox, clock):
    invitations.invite(session, actor=team[1], email=NEW, organization=team[3], clock=clock)
    token = outbox.link_token(NEW, INVITE)
    with pytest.raises(ValidationFailed) as weak:
        _accept(session, token, clock, password="password12345678")
    assert "password" in weak.value.fields
    with pytest.raises(ValidationFailed) as personal:
        _accept(session, token, clock, password="nora north forever 22")
    assert "password" in personal.value.fields
    with pytest.raises(ValidationFailed):
        _accept(session, token, clock, name="   ")
    _accept(session, token, clock)


def test_an_invitation_link_is_not_a_sign_in_link(session, team, outbox, clock):
    invitations.invite(session, actor=team[1], email=NEW, organization=team[3], clock=clock)
    token = outbox.link_token(NEW, INVITE)
    with pytest.raises(NotAuthenticated):
        sign_in.consume_magic_link(session, token=token, ip=IP, user_agent=AGENT, clock=clock)
    with pytest.raises(NotAuthenticated):
        sign_in.confirm_password_reset(session, token=token, new_password=NEW_PASSWORD, clock=clock)
    _accept(session, token, clock)
