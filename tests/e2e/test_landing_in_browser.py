"""Where sign-in leads, in a real browser: a deep link survives the sign-in page, staff land
on the console, and the site header offers a signed-in person their way back in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_STAFF

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375
CSRF_FIELD = "input[name='csrfmiddlewaretoken']"


def _at(page: Page, server, route: str, query: str = "") -> None:
    """On ``route`` (served with a trailing slash) with exactly ``query``."""
    expected = re.escape(server.url(route)) + "/?" + (re.escape(f"?{query}") if query else "") + "$"
    expect(page).to_have_url(re.compile(expected))


def _sign_in(page: Page, login: str, password: str) -> None:
    expect(page.locator(CSRF_FIELD).first).to_have_value(re.compile(r"^[A-Za-z0-9_-]{16,}$"))
    page.get_by_label("E-mail or username").fill(login)
    page.locator("input#password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_deep_link_survives_sign_in(new_page, server, artifacts):
    page = new_page(DESKTOP)
    page.goto(routes.PORTAL_ENGAGEMENTS)
    panel = page.get_by_test_id("signed-out-panel")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Sign in").click()
    _at(page, server, routes.LOGIN, "next=%2Fportal%2Fengagements")

    _sign_in(page, DEMO_CLIENT.email, DEMO_CLIENT.password)
    _at(page, server, routes.PORTAL_ENGAGEMENTS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagements")
    expect(page.get_by_test_id("signed-in-name")).to_be_visible()

    page.goto(routes.TEAM)
    account = page.get_by_test_id("account-link").first
    expect(account).to_have_text("Portal")
    expect(page.get_by_role("link", name="Client Login")).to_have_count(0)
    page.screenshot(path=artifacts / "landing-header-signed-in-1280.png")

    page.goto(routes.LOGIN)  # nothing to do here once signed in
    _at(page, server, routes.PORTAL)


def test_staff_land_on_the_console(new_page, server, artifacts):
    page = new_page(PHONE)
    page.goto(routes.LOGIN)
    _sign_in(page, DEMO_STAFF.email, DEMO_STAFF.password)
    _at(page, server, routes.ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    page.screenshot(path=artifacts / "landing-staff-console-375.png", full_page=True)

    page.goto(routes.TEAM)
    page.locator("header summary[aria-label='Menu']").click()
    expect(page.get_by_test_id("account-link").last).to_have_text("Console")
    page.screenshot(path=artifacts / "landing-header-staff-375.png")
