"""The sign-in page sends a person already signed in on (to ``next`` or their landing), and a
portal page seen signed out offers a way in that comes back to it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from fluxent import routes
from fluxent.models.accounts import Role
from fluxent.state.session import SessionState
from fluxent.state.sign_in import SignInState
from tests.state.conftest import redirect_target
from tests.support.state import person


@pytest.mark.parametrize(
    ("role", "home"), [(Role.CLIENT, routes.PORTAL), (Role.STAFF, routes.ADMIN), (Role.ADMIN, routes.ADMIN)]
)
def test_a_signed_in_person_is_sent_on_from_the_sign_in_page(page_state, database, role, home):
    _, cookie = person("pat@example.com", role=role)
    state = page_state(SignInState, routes.LOGIN, cookie=cookie)
    assert redirect_target([state.load()]) == home


@pytest.mark.parametrize(
    ("next_page", "lands"),
    [
        ("/portal/engagements", "/portal/engagements"),
        ("//evil.com", routes.ADMIN),
        ("https://evil.com", routes.ADMIN),
        ("/\\evil.com", routes.ADMIN),
        ("javascript:alert(1)", routes.ADMIN),
    ],
)
def test_the_sign_in_page_honours_only_a_same_site_next(page_state, database, next_page, lands):
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF)
    state = page_state(SignInState, f"{routes.LOGIN}?{urlencode({'next': next_page})}", cookie=cookie)
    assert redirect_target([state.load()]) == lands


@pytest.mark.parametrize("cookie", ["", "sessionid=forged"])
def test_without_a_live_session_the_sign_in_page_stays(page_state, database, cookie):
    state = page_state(SignInState, f"{routes.LOGIN}?next=/portal/engagements", cookie=cookie)
    assert state.load() is None
    assert state.next_route == "/portal/engagements"


@pytest.mark.parametrize(
    ("url", "href"),
    [
        (routes.PORTAL, "/login?next=%2Fportal"),
        ("/portal/engagements", "/login?next=%2Fportal%2Fengagements"),
        ("/portal/engagements/", "/login?next=%2Fportal%2Fengagements"),
        ("/portal/invoices?status=due&year=2026", "/login?next=%2Fportal%2Finvoices%3Fstatus%3Ddue%26year%3D2026"),
    ],
)
def test_a_signed_out_portal_page_offers_a_sign_in_that_comes_back(page_state, database, url, href):
    state = page_state(SessionState, url)
    state.load_portal()
    assert not state.signed_in and state.sign_in_href == href


@pytest.mark.parametrize(
    ("role", "home"), [(Role.CLIENT, routes.PORTAL), (Role.STAFF, routes.ADMIN), (Role.ADMIN, routes.ADMIN)]
)
def test_the_site_header_recognises_a_signed_in_person(page_state, database, role, home):
    _, cookie = person("pat@example.com", role=role)
    state = page_state(SessionState, routes.TEAM, cookie=cookie)
    state.recognise()
    assert state.home == home


@pytest.mark.parametrize("cookie", ["", "sessionid=forged", "sessionid=" + "x" * 500])
def test_the_site_header_keeps_client_login_without_a_live_session(page_state, database, cookie):
    state = page_state(SessionState, routes.TEAM, cookie=cookie)
    state.home = routes.ADMIN  # left from a session that has since ended
    state.recognise()
    assert state.home == ""
