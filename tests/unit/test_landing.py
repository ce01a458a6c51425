"""Where sign-in leads: staff to the console, clients to the portal, and a ``next`` path only
when it stays on this site."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.models.accounts import Role, User
from fluxent.services.auth import landing


def _person(role: Role, *, active: bool = True) -> User:
    return User(email="p@example.com", username="p", role=role, is_active=active)


@pytest.mark.parametrize(
    ("role", "home"), [(Role.CLIENT, routes.PORTAL), (Role.STAFF, routes.ADMIN), (Role.ADMIN, routes.ADMIN)]
)
def test_each_role_lands_on_its_home(role, home):
    assert landing.landing(_person(role)) == home


def test_a_deactivated_staff_account_gets_no_console():
    assert landing.landing(_person(Role.STAFF, active=False)) == routes.PORTAL


@pytest.mark.parametrize("path", ["/portal/engagements", "/admin/leads?stage=won", "/portal/invoices?year=2026#due"])
def test_a_same_site_path_wins_over_the_landing(path):
    assert landing.destination(_person(Role.STAFF), path) == path
    assert landing.destination(_person(Role.CLIENT), path) == path


HOSTILE = [
    "//evil.com",
    "https://evil.com",
    "/\\evil.com",
    "javascript:alert(1)",
    "/%2F%2Fevil.com",
    "/%5Cevil.com",
    "/%252F%252Fevil.com",
    "/portal\r\nLocation: https://evil.com",
    "portal",
    "",
    None,
    ["/portal"],
    "/" + "a" * 2001,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_next_values_fall_back_to_the_landing(value):
    assert landing.safe_next(value) == ""
    assert landing.destination(_person(Role.ADMIN), value) == routes.ADMIN
    assert landing.destination(_person(Role.CLIENT), value) == routes.PORTAL
