"""Staff single sign-on in a real browser, through the local identity provider the browser
tests start (``tests/e2e/conftest.py``): from "Sign in with your company account" on
``/login`` to the staff console, with only the two cookies the policy allows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.auth.sso import SSO_FAILED
from fluxent.services.seed import DEMO_STAFF

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP = 1280
CSRF_FIELD = "input[name='csrfmiddlewaretoken']"


def _sign_in_at_the_provider(page: Page, server, sub: str) -> None:
    page.goto(routes.login_then(routes.ADMIN))
    expect(page.locator(CSRF_FIELD).first).to_have_value(re.compile(r"^[A-Za-z0-9_-]{16,}$"))
    staff = page.get_by_role("form", name="Staff: sign in with your company account")
    staff.get_by_role("button", name="Sign in with your company account").click()
    expect(page).to_have_url(re.compile("^" + re.escape(server.identity.issuer + "/oauth2/authorize?")))
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_staff_sign_in_through_the_identity_provider(new_page, server, artifacts, assert_browser_storage):
    server.identity.person("priya", email=DEMO_STAFF.email, name=DEMO_STAFF.name)
    page = new_page(DESKTOP)
    _sign_in_at_the_provider(page, server, "priya")
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.ADMIN)) + "/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    assert {cookie["name"] for cookie in page.context.cookies(server.base_url)} == {"csrftoken", "sessionid"}
    session = next(cookie for cookie in page.context.cookies(server.base_url) if cookie["name"] == "sessionid")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert_browser_storage(page)
    page.screenshot(path=artifacts / "auth-staff-sso-console-1280.png", full_page=True)


def test_someone_outside_the_staff_domains_is_sent_back_with_a_reason(new_page, server, assert_browser_storage):
    server.identity.person("outsider", email="someone@elsewhere.example")
    page = new_page(DESKTOP)
    _sign_in_at_the_provider(page, server, "outsider")
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.LOGIN)) + r"/?\?error=sso_failed$"))
    expect(page.get_by_role("alert").filter(has_text=SSO_FAILED)).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    assert_browser_storage(page)
