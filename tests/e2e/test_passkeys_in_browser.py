"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools' WebAuthn domain, a
platform authenticator with user verification) makes a passkey on the security page, then
answers the second sign-in step with it; cancelling leaves the person where they were."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from tests.support.pages import create_client_snippet, form_ready, sign_in_with_password

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375
EMAIL, NAME, PASSWORD = "pia.passkey@example.com", "Pia Passkey", "lantern quiver meadow 7342"

CREATE_USER = create_client_snippet(EMAIL, PASSWORD, NAME)


def _sign_in(page: Page, next_route: str) -> None:
    sign_in_with_password(page, EMAIL, PASSWORD, next_route)


def _virtual_authenticator(page: Page) -> tuple[object, str]:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.adds_to_demo_data
def test_add_a_passkey_then_sign_in_with_it(new_page, server, artifacts):
    server.python(CREATE_USER)
    page = new_page(DESKTOP)
    devtools, authenticator = _virtual_authenticator(page)
    _sign_in(page, routes.PORTAL_SECURITY)
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.PORTAL_SECURITY)) + "/?$"))

    section = page.locator("section#passkeys")
    expect(section.get_by_text("No passkeys yet.")).to_be_visible()
    section.get_by_role("button", name="Add a passkey").click()
    section.get_by_label("Name").fill("Work laptop")
    page.screenshot(path=artifacts / f"passkeys-naming-{DESKTOP}.png", full_page=True)
    section.get_by_role("button", name="Create passkey").click()
    row = section.get_by_test_id("passkey")
    expect(row.or_(section.get_by_role("alert"))).to_be_visible()
    page.screenshot(path=artifacts / f"passkeys-created-{DESKTOP}.png", full_page=True)
    assert section.get_by_role("alert").count() == 0, section.get_by_role("alert").all_inner_texts()
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Work laptop")
    expect(row).to_contain_text("Not used yet")
    credentials = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1
    page.screenshot(path=artifacts / f"passkeys-security-{DESKTOP}.png", full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 900})
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"passkeys-security-{PHONE}.png", full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})

    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?\?notice=signed_out$"))

    # The password first, then the passkey: no session cookie in between.
    _sign_in(page, routes.PORTAL_INVOICES)
    expect(page).to_have_url(re.compile(r"/login/two-step/[A-Za-z0-9_-]{40,}/?\?next=%2Fportal%2Finvoices$"))
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    form_ready(page)
    expect(page.get_by_label("Code from your authenticator app")).to_have_count(0)  # no app: passkey only
    page.set_viewport_size({"width": PHONE, "height": 900})
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"passkeys-sign-in-{PHONE}.png", full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.screenshot(path=artifacts / f"passkeys-sign-in-{DESKTOP}.png", full_page=True)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.PORTAL_INVOICES)) + "/?$"))
    expect(page.get_by_test_id("signed-in-name")).to_have_text(NAME)

    page.goto(server.url(routes.PORTAL_SECURITY))
    expect(page.locator("section#passkeys").get_by_test_id("passkey")).to_contain_text("Last used")

    # Removing it asks for the password.
    section = page.locator("section#passkeys")
    section.get_by_role("button", name="Remove passkey Work laptop").click()
    section.get_by_label("Your password").fill(PASSWORD)
    section.get_by_role("button", name="Remove passkey").click()
    expect(section.get_by_text("No passkeys yet.")).to_be_visible()
