"""Billing profiles: owners edit them, billing contacts are members, changes are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fluxent.core.errors import NotFound, PermissionDenied, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.models.billing import BillingContact, BillingProfile
from fluxent.services.billing import profiles
from fluxent.services.billing.profiles import ProfileInput
from tests.support.billing import save_profile

GOOD = ProfileInput(billing_email="AP@Northwind.test", legal_name="Northwind Robotics, Inc.", address="1 Harbor Way")


def test_owners_save_the_profile_and_the_change_is_audited_without_values(session, world):
    profile = profiles.update_profile(session, actor=world.owner_a, organization_id=world.org_a, details=GOOD)
    assert (profile.billing_email, profile.legal_name) == ("ap@northwind.test", "Northwind Robotics, Inc.")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "billing.profile_changed")).one()
    assert "northwind.test" not in event.meta
    again = profiles.update_profile(session, actor=world.owner_a, organization_id=world.org_a, details=GOOD)
    assert again.id == profile.id
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "billing.profile_changed")).all()) == 1


@pytest.mark.parametrize("who", ["member_a", "staff", "admin"])
def test_only_owners_change_the_profile(session, world, who):
    with pytest.raises(PermissionDenied):
        profiles.update_profile(session, actor=getattr(world, who), organization_id=world.org_a, details=GOOD)
    assert session.scalars(select(BillingProfile)).all() == []


def test_outsiders_learn_nothing(session, world):
    with pytest.raises(NotFound):
        profiles.update_profile(session, actor=world.owner_b, organization_id=world.org_a, details=GOOD)
    with pytest.raises(NotFound):
        profiles.get_profile(session, actor=world.owner_b, organization_id=world.org_a)


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (ProfileInput(billing_email="not-an-email", legal_name="N"), "billing_email"),
        (ProfileInput(billing_email="a@b.test", legal_name="  "), "legal_name"),
        (ProfileInput(billing_email="a@b.test", legal_name="N", tax_id="x" * 65), "tax_id"),
        (ProfileInput(billing_email="a@b.test", legal_name="N", address="a\x00b"), "address"),
    ],
)
def test_bad_details_are_named_and_change_nothing(session, world, details, field):
    save_profile(session, world)
    before = profiles.profile_of(session, world.org_a).model_dump()
    with pytest.raises(ValidationFailed) as refused:
        profiles.update_profile(session, actor=world.owner_a, organization_id=world.org_a, details=details)
    assert field in refused.value.fields
    assert profiles.profile_of(session, world.org_a).model_dump() == before


def test_billing_contacts_are_members_of_the_organization(session, world):
    for wrong in (world.owner_b.id, world.owner_a.id, 999_999):
        with pytest.raises(ValidationFailed, match="missing or invalid"):
            save_profile(session, world, contacts=(wrong,))
    save_profile(session, world, contacts=(world.member_a.id,))
    assert profiles.contact_ids(session, world.org_a) == [world.member_a.id]
    assert profiles.get_profile(session, actor=world.member_a, organization_id=world.org_a).legal_name
    save_profile(session, world)
    assert session.scalars(select(BillingContact)).all() == []


def test_members_who_are_not_billing_contacts_cannot_read_the_profile(session, world):
    save_profile(session, world)
    with pytest.raises(PermissionDenied):
        profiles.get_profile(session, actor=world.member_a, organization_id=world.org_a)
    assert profiles.get_profile(session, actor=world.staff, organization_id=world.org_a).billing_email
