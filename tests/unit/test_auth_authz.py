"""Role and membership checks: outsiders learn nothing, members are not owners."""

from __future__ import annotations

import pytest

from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import OrgRole, Role
from fluxent.services.accounts import authz, organizations
from tests.support.auth import make_user


@pytest.fixture
def world(session):
    admin = make_user(session, "root@fluxent.tech", role=Role.ADMIN, password=None)
    staff = make_user(session, "sam@fluxent.tech", role=Role.STAFF, password=None)
    owner = make_user(session, "olga@example.com", password=None)
    member = make_user(session, "mia@example.com", password=None)
    stranger = make_user(session, "sid@example.com", password=None)
    org = organizations.get_or_create_organization(session, name="Northwind Robotics")
    organizations.add_membership(session, user=owner, organization=org, role=OrgRole.OWNER)
    organizations.add_membership(session, user=member, organization=org, role=OrgRole.MEMBER)
    return admin, staff, owner, member, stranger, org


def test_staff_and_admin_roles(session, world):
    admin, staff, owner, *_ = world
    assert authz.require_staff(staff) is staff and authz.require_staff(admin) is admin
    assert authz.require_admin(admin) is admin
    for user in (owner, None):
        with pytest.raises(PermissionDenied):
            authz.require_staff(user)
    with pytest.raises(PermissionDenied):
        authz.require_admin(staff)


def test_a_deactivated_admin_is_no_admin(session, world):
    admin = world[0]
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        authz.require_admin(admin)
    with pytest.raises(PermissionDenied):
        authz.require_staff(admin)


def test_organization_membership(session, world):
    admin, staff, owner, member, stranger, org = world
    assert authz.require_org_member(session, member, org.id).role == OrgRole.MEMBER
    assert authz.require_org_owner(session, owner, org.id).role == OrgRole.OWNER
    with pytest.raises(PermissionDenied):
        authz.require_org_owner(session, member, org.id)
    for outsider, org_id in ((stranger, org.id), (stranger, 10**9), (member, 10**9), (staff, org.id)):
        with pytest.raises(NotFound) as hidden:
            authz.require_org_member(session, outsider, org_id)
        assert hidden.value.message == "No such organization."
        with pytest.raises(NotFound):
            authz.require_org_owner(session, outsider, org_id)


def test_staff_pass_membership_checks_only_when_allowed(session, world):
    admin, staff, _, _, stranger, org = world
    assert authz.require_org_member(session, staff, org.id, allow_staff=True) is None
    assert authz.require_org_owner(session, admin, org.id, allow_staff=True) is None
    with pytest.raises(NotFound):
        authz.require_org_member(session, stranger, org.id, allow_staff=True)
