"""An organization's owners invite colleagues as members over the API, and resend or revoke
their pending invitations; never owners or staff, never into another organization."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fluxent.models.accounts import Role, User
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.accounts import invitations
from tests.support.portal import client_for, outbox


def _invitations(session) -> int:
    return session.scalar(
        select(func.count()).select_from(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.INVITATION)
    )


def test_an_owner_invites_a_colleague_who_gets_the_email(session, world, data_dir):
    owner = client_for(session, world.owner_a)
    base = f"/api/v1/organizations/{world.org_a}/invitations/"
    sent = owner.post(base, json={"email": "Colleague@Northwind.test"})
    assert sent.status_code == 201 and sent.json()["email"] == "colleague@northwind.test"
    assert sent.json()["org_role"] == "member"
    (mail,) = outbox(data_dir, "colleague@northwind.test")
    assert mail["Subject"] == "Olivia Owner invited you to Northwind Robotics on Fluxent"
    listed = owner.get(base).json()["items"]
    assert [item["email"] for item in listed] == ["colleague@northwind.test"]

    again = owner.post(f"{base}{sent.json()['id']}/resend/")
    assert again.status_code == 200 and again.json()["id"] != sent.json()["id"]
    assert len(outbox(data_dir, "colleague@northwind.test")) == 2
    assert [item["id"] for item in owner.get(base).json()["items"]] == [again.json()["id"]]  # the old link is gone
    assert owner.delete(f"{base}{again.json()['id']}/").json() == {"items": []}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "boss@northwind.test", "org_role": "owner"}, 403, None),
        ({"email": "mark@northwind.test"}, 409, "email"),  # already a member
        ({"email": "not-an-address"}, 422, "email"),
        ({"email": "a@b.test\r\nBcc: all@evil.test"}, 422, "email"),
        ({"email": "x" * 400 + "@b.test"}, 422, "email"),
        ({"email": "c@b.test", "role": "staff"}, 422, "role"),  # no such field for anyone
    ],
)
def test_owners_cannot_invite_owners_staff_or_bad_addresses(session, world, data_dir, body, status, field):
    before, mailed = _invitations(session), len(outbox(data_dir))
    answer = client_for(session, world.owner_a).post(f"/api/v1/organizations/{world.org_a}/invitations/", json=body)
    assert answer.status_code == status, answer.text
    if field:
        assert field in answer.text
    assert (_invitations(session), len(outbox(data_dir))) == (before, mailed)


def test_members_are_refused_and_other_organizations_are_missing(session, world, data_dir):
    pending = invitations.invite(session, actor=world.staff, email="p@northwind.test", organization=world.org_a)
    session.commit()
    member = client_for(session, world.member_a)
    outsider = client_for(session, world.owner_b)
    base = f"/api/v1/organizations/{world.org_a}/invitations/"
    for client, status in ((member, 403), (outsider, 404)):
        assert client.get(base).status_code == status
        assert client.post(base, json={"email": "new@northwind.test"}).status_code == status
        assert client.post(f"{base}{pending.id}/resend/").status_code == status
        assert client.delete(f"{base}{pending.id}/").status_code == status
    # Bea owns Acme: Northwind's invitation is not hers to resend through her own organization either.
    assert outsider.post(f"/api/v1/organizations/{world.org_b}/invitations/{pending.id}/resend/").status_code == 404
    assert outbox(data_dir, "new@northwind.test") == [] and len(outbox(data_dir, "p@northwind.test")) == 1
    assert client_for(session, None).post(base, json={"email": "x@northwind.test"}).status_code == 401


def test_accepting_an_owners_invitation_makes_a_member(session, world, data_dir):
    client_for(session, world.owner_a).post(
        f"/api/v1/organizations/{world.org_a}/invitations/", json={"email": "newbie@northwind.test"}
    )
    link = outbox(data_dir, "newbie@northwind.test")[0].get_body(("plain",)).get_content()
    token = link.split("/invite/")[1].split()[0]
    accepted = invitations.accept_invitation(
        session, token=token, name="New Bie", password="a long enough passphrase 42", ip="127.0.0.1", user_agent="t"
    )
    members = {
        m.email: m.role
        for m in invitations.organizations.members_of(session, actor=world.owner_a, organization_id=world.org_a)
    }
    assert accepted is not None and members["newbie@northwind.test"] == "member"
    assert session.scalars(select(User).where(User.email == "newbie@northwind.test")).one().role == Role.CLIENT


def test_an_owner_has_a_bounded_number_of_pending_invitations(session, world, data_dir, monkeypatch):
    monkeypatch.setattr(invitations, "MAX_PENDING", 2)
    owner = client_for(session, world.owner_a)
    base = f"/api/v1/organizations/{world.org_a}/invitations/"
    assert [owner.post(base, json={"email": f"p{n}@northwind.test"}).status_code for n in range(3)] == [201, 201, 409]
    # Staff are not bound by it.
    assert client_for(session, world.staff).post(base, json={"email": "p9@northwind.test"}).status_code == 201
