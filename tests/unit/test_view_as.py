"""Viewing as a client: admins only, audited, and never granted by the browser's say-so."""

from __future__ import annotations

import pytest

from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import OrgRole, Role
from fluxent.services.accounts import organizations
from fluxent.services.portal import view_as
from tests.support.auth import audit_actions, make_user


@pytest.fixture
def people(session):
    org = organizations.get_or_create_organization(session, name="Northwind Robotics")
    other = organizations.get_or_create_organization(session, name="Contoso")
    client = make_user(session, "client@example.com")
    organizations.add_membership(session, user=client, organization=org, role=OrgRole.OWNER)
    return {
        "org": org,
        "other": other,
        "client": client,
        "staff": make_user(session, "staff@example.com", role=Role.STAFF),
        "admin": make_user(session, "admin@example.com", role=Role.ADMIN),
    }


def test_admins_start_and_stop_viewing_as_and_it_is_audited(session, people):
    org = view_as.start_view_as(session, actor=people["admin"], organization_id=people["org"].id)
    view_as.stop_view_as(session, actor=people["admin"], organization_id=org.id)
    assert audit_actions(session)[-2:] == ["auth.view_as_started", "auth.view_as_stopped"]


@pytest.mark.parametrize("who", ["client", "staff"])
def test_nobody_else_may_view_as(session, people, who):
    with pytest.raises(PermissionDenied):
        view_as.start_view_as(session, actor=people[who], organization_id=people["org"].id)
    with pytest.raises(PermissionDenied):
        view_as.stop_view_as(session, actor=people[who], organization_id=None)


def test_unknown_organization_is_not_found(session, people):
    with pytest.raises(NotFound):
        view_as.start_view_as(session, actor=people["admin"], organization_id=999_999)


def test_viewable_organization_answers_admins_and_members_only(session, people):
    org, other = people["org"], people["other"]
    assert view_as.viewable_organization(session, user=people["admin"], organization_id=other.id) == other
    assert view_as.viewable_organization(session, user=people["client"], organization_id=org.id) == org
    assert view_as.viewable_organization(session, user=people["client"], organization_id=other.id) is None
    assert view_as.viewable_organization(session, user=people["staff"], organization_id=org.id) is None
    assert view_as.viewable_organization(session, user=None, organization_id=org.id) is None
    for made_up in (None, 0, -1, 2**63, "1", True):  # the browser's localStorage value may be anything
        assert view_as.viewable_organization(session, user=people["admin"], organization_id=made_up) is None


def test_the_viewer_is_the_first_active_owner_and_only_for_admins(session, people):
    org, other = people["org"], people["other"]
    later = make_user(session, "later-owner@example.com")
    organizations.add_membership(session, user=later, organization=org, role=OrgRole.OWNER)
    member = make_user(session, "member@example.com")
    organizations.add_membership(session, user=member, organization=other, role=OrgRole.MEMBER)
    assert view_as.viewer(session, admin=people["admin"], organization_id=org.id) == people["client"]
    # Nobody to act for: an organization without owners, or one that does not exist.
    assert view_as.viewer(session, admin=people["admin"], organization_id=other.id) is None
    assert view_as.viewer(session, admin=people["admin"], organization_id=999_999) is None
    for who in ("client", "staff"):
        assert view_as.viewer(session, admin=people[who], organization_id=org.id) is None
    people["client"].is_active = False
    session.add(people["client"])
    session.flush()
    assert view_as.viewer(session, admin=people["admin"], organization_id=org.id) == later
