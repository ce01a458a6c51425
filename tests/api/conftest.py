"""API tests: browser-like clients of the real app, the people they act as, and clients of the
test-only router in ``tests/support/hardening_api.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from fluxent.api.app import create_api, wrap_asgi
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import OrgRole, Role
from fluxent.services.accounts import organizations
from tests.support.auth import make_user
from tests.support.auth_api import ADA, BOB, Browser, People
from tests.support.hardening_api import ClientFactory, router


@pytest.fixture
def make_browser(database) -> Iterator:
    """Browsers on the test database (the fixture configures the app's database)."""
    browsers: list[Browser] = []

    def make(peer: str = "testclient") -> Browser:
        browsers.append(Browser(peer))
        return browsers[-1]

    yield make
    for browser in browsers:
        browser.close()


@pytest.fixture
def browser(make_browser) -> Browser:
    return make_browser()


@pytest.fixture
def people(session: Session) -> People:
    ada = make_user(session, ADA, name="Ada Lovelace", username="ada.l", company="Analytical Engines")
    bob = make_user(session, BOB, name="Bob Builder", username="bob.b")
    staff = make_user(session, "staff@example.com", role=Role.STAFF, name="Sam Staff")
    admin = make_user(session, "admin@example.com", role=Role.ADMIN, name="Alex Admin")
    acme = organizations.get_or_create_organization(session, name="Acme Widgets")
    organizations.add_membership(session, user=bob, organization=acme, role=OrgRole.OWNER)
    organizations.add_membership(session, user=ada, organization=acme, role=OrgRole.MEMBER)
    session.commit()
    return People(ada=ada, bob=bob, staff=staff, admin=admin, acme=acme)


@pytest.fixture
def make_client(monkeypatch) -> Iterator[ClientFactory]:
    """Build the app as production does, after applying FLUXENT_* overrides."""
    clients: list[TestClient] = []

    def make(**env: str) -> TestClient:
        for name, value in env.items():
            monkeypatch.setenv(f"FLUXENT_{name.upper()}", value)
        reset_settings()
        client = TestClient(wrap_asgi(create_api(router)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()
