"""Two-step sign-in in a real browser: set up an authenticator app on the security page (the
code computed here with pyotp, as the app would), then sign in with it; no session cookie
exists between the two steps."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.auth import two_step
from tests.support.pages import create_client_snippet, form_ready, sign_in_with_password

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375
EMAIL, NAME, PASSWORD = "tess.totp@example.com", "Tess Totp", "harbor thistle gazette 9051"

CREATE_USER = create_client_snippet(EMAIL, PASSWORD, NAME)


def _sign_in(page: Page, next_route: str) -> None:
    sign_in_with_password(page, EMAIL, PASSWORD, next_route)


def _cookies(page: Page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.adds_to_demo_data
def test_enrol_an_authenticator_then_sign_in_with_it(new_page, server, artifacts, assert_browser_storage):
    server.python(CREATE_USER)
    page = new_page(DESKTOP)
    _sign_in(page, routes.PORTAL_SECURITY)
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.PORTAL_SECURITY)) + "/?$"))
    section = page.locator("section#two-step")
    section.get_by_role("button", name="Set up an authenticator app").click()
    expect(section.get_by_test_id("two-step-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    app = pyotp.TOTP(section.get_by_test_id("two-step-secret").inner_text().strip())
    page.screenshot(path=artifacts / f"two-step-security-setup-{DESKTOP}.png", full_page=True)

    section.get_by_label("Code from your app").fill("000000" if app.now() != "000000" else "111111")
    section.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(section.get_by_role("alert").filter(has_text="does not match")).to_be_visible()
    section.get_by_label("Code from your app").fill(app.now())
    section.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = section.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(two_step.RECOVERY_CODES)
    recovery = codes.first.inner_text().strip()
    page.screenshot(path=artifacts / f"two-step-security-codes-{DESKTOP}.png", full_page=True)
    section.get_by_role("button", name="I've saved my recovery codes").click()
    expect(section.get_by_test_id("recovery-codes")).to_have_count(0)
    expect(section.get_by_test_id("recovery-codes-left")).to_have_text("10 recovery codes left")
    page.set_viewport_size({"width": PHONE, "height": 900})
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"two-step-security-on-{PHONE}.png", full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.screenshot(path=artifacts / f"two-step-security-on-{DESKTOP}.png", full_page=True)
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?\?notice=signed_out$"))

    # Password first: the second-step page, and still no session cookie.
    phone = new_page(PHONE)
    _sign_in(phone, routes.PORTAL_INVOICES)
    expect(phone).to_have_url(re.compile(r"/login/two-step/[A-Za-z0-9_-]{40,}/?\?next=%2Fportal%2Finvoices$"))
    assert "sessionid" not in _cookies(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    form_ready(phone)
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / f"two-step-sign-in-{PHONE}.png", full_page=True)
    phone.set_viewport_size({"width": DESKTOP, "height": 900})
    phone.screenshot(path=artifacts / f"two-step-sign-in-{DESKTOP}.png", full_page=True)
    phone.set_viewport_size({"width": PHONE, "height": 900})

    phone.get_by_label("Code from your authenticator app").fill("12345")
    phone.get_by_role("button", name="Sign in", exact=True).click()
    expect(phone).to_have_url(re.compile(r"\?error=invalid_second_step&next=%2Fportal%2Finvoices$"))
    expect(phone.get_by_role("alert").filter(has_text="incorrect or was already used")).to_be_visible()
    assert "sessionid" not in _cookies(phone)
    phone.screenshot(path=artifacts / f"two-step-sign-in-error-{PHONE}.png", full_page=True)

    # The code used to turn it on is spent; the app's next code is accepted (clocks may be a step apart).
    form_ready(phone)
    phone.get_by_label("Code from your authenticator app").fill(app.at(time.time() + app.interval))
    phone.get_by_role("button", name="Sign in", exact=True).click()
    expect(phone).to_have_url(re.compile(re.escape(server.url(routes.PORTAL_INVOICES)) + "/?$"))
    expect(phone.get_by_test_id("signed-in-name")).to_have_text(NAME)
    assert {"csrftoken", "sessionid"} <= _cookies(phone)
    assert_browser_storage(phone)

    # A recovery code works once, instead of the app.
    other = new_page(DESKTOP)
    _sign_in(other, routes.PORTAL)
    form_ready(other)
    other.get_by_label("Code from your authenticator app").fill(recovery)
    other.get_by_role("button", name="Sign in", exact=True).click()
    expect(other.get_by_test_id("signed-in-name")).to_have_text(NAME)
