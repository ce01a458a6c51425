"""The portal's own-account pages in a real browser: account, security, privacy, view-as.

People sign in by a session created in the server's database (the sign-in pages
have their own tests); everything after that goes through the pages.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_CLIENT, DEMO_ORGANIZATION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375
PHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
OTHER_ORGANIZATION = "Contoso Freight"

# Prints "<raw cookie>" for a new session of the person; makes them first when asked.
SESSION_FOR = """
import sys
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
email, user_agent, create = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
with session_scope() as db:
    user = users.user_by_email(db, email)
    if user is None and create:
        user = users.create_user(db, email=email, password="quiet orchard ladder 2026", name="Erin Lowe", role=Role.CLIENT)
    _, raw = sessions.start_session(db, user=user, ip="203.0.113.7", user_agent=user_agent)
print(raw)
"""

ORGANIZATION_ID = """
import sys
from fluxent.core.db import session_scope
from fluxent.services.accounts import organizations
with session_scope() as db:
    print(organizations.get_or_create_organization(db, name=sys.argv[1]).id)
"""


def _python(server, code: str, *args: str) -> str:
    program = f"import sys; sys.argv = ['x', *{list(args)!r}]\n" + code
    return server.python(program).strip().splitlines()[-1]


def _session(server, email: str, user_agent: str = "", *, create: bool = False) -> str:
    return _python(server, SESSION_FOR, email, user_agent, "1" if create else "0")


def _code_in(text: str) -> str:
    found = re.search(r"code is (\d{6})\.", text)
    assert found, f"no code in:\n{text}"
    return found.group(1)


def _open_privacy_page(page: Page) -> None:
    """Open the privacy centre and wait for its load event: it clears the form's errors,
    so a form sent before it has run would lose its answer."""
    page.goto(routes.PORTAL_PRIVACY)
    expect(page.get_by_role("heading", name="Account credentials", level=3)).to_be_visible()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_account_pages_render_for_a_client(server, new_page, artifacts, width):
    raw = _session(server, DEMO_CLIENT.email, WINDOWS_FIREFOX)
    page = new_page(width, session_cookie=raw)

    page.goto(routes.PORTAL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    expect(page.get_by_test_id("who-you-are")).to_contain_text(DEMO_CLIENT.email)
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"account-dashboard-{width}.png", full_page=True)

    page.goto(routes.PORTAL_ACCOUNT)
    expect(page.get_by_label("Full name")).to_have_value(DEMO_CLIENT.name)
    expect(page.get_by_label("E-mail", exact=True)).to_have_value(DEMO_CLIENT.email)
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"account-account-{width}.png", full_page=True)

    page.goto(routes.PORTAL_SECURITY)
    sessions = page.get_by_test_id("session-row" if width == DESKTOP else "session-card").filter(has_text="This device")
    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("Firefox on Windows")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"account-security-{width}.png", full_page=True)

    page.goto(routes.PORTAL_PRIVACY)
    expect(page.get_by_role("heading", name="What we hold about you")).to_be_visible()
    expect(page.get_by_test_id("kept-list")).to_contain_text("Audit logs")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"account-privacy-{width}.png", full_page=True)
    # The view-as picker is for administrators only.
    expect(page.get_by_test_id("view-as-select")).to_have_count(0)


def test_profile_edit_shows_inline_errors_and_saves(server, new_page):
    raw = _session(server, "profile.e2e@example.com", WINDOWS_FIREFOX, create=True)
    page = new_page(DESKTOP, session_cookie=raw)
    page.goto(routes.PORTAL_ACCOUNT)
    name = page.get_by_label("Full name")
    expect(name).to_have_value("Erin Lowe")

    phone = page.get_by_label("Phone")
    phone.fill("call me maybe")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#profile-phone-error")).to_contain_text("Enter a phone number")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_be_focused()  # the first field in error takes the focus (before anything else is typed)

    phone.fill("+1 212 555 0100")
    name.fill("Erin Lowe-Park")
    page.get_by_label("Company").fill("Lowe Logistics")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("action-notice")).to_have_text("Profile saved.")
    expect(page.get_by_test_id("signed-in-name")).to_have_text("Erin Lowe-Park")
    page.reload()
    expect(page.get_by_label("Company")).to_have_value("Lowe Logistics")
    expect(page.get_by_label("Phone")).to_have_value("+1 212 555 0100")


def test_email_change_is_confirmed_with_the_code_on_the_same_page(server, new_page, artifacts, outbox):
    raw = _session(server, "moving.e2e@example.com", WINDOWS_FIREFOX, create=True)
    page = new_page(PHONE, session_cookie=raw)
    page.goto(routes.PORTAL_ACCOUNT)
    page.get_by_label("E-mail", exact=True).fill("moved.e2e@example.com")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#profile-current_password-error")).to_be_visible()

    page.get_by_label("Current password").fill("quiet orchard ladder 2026")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("pending-email")).to_have_text("moved.e2e@example.com")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "account-email-code-375.png", full_page=True)
    page.get_by_label("6-digit code").fill(_code_in(outbox("moved.e2e@example.com", "Confirm your new")))
    page.get_by_role("button", name="Confirm e-mail").click()
    expect(page.get_by_test_id("action-notice")).to_have_text("Your e-mail address is changed.")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("moved.e2e@example.com")
    expect(page.get_by_test_id("pending-email")).to_have_count(0)


def test_revoke_other_sessions_ends_them_in_open_tabs_too(server, browser, new_page, artifacts):
    email = "sessions.e2e@example.com"
    mine = _session(server, email, WINDOWS_FIREFOX, create=True)
    phone = _session(server, email, PHONE_SAFARI)
    page = new_page(DESKTOP, session_cookie=mine)
    other_tab = new_page(PHONE, session_cookie=phone)
    other_tab.goto(routes.PORTAL_SECURITY)
    expect(other_tab.get_by_test_id("session-card")).to_have_count(2)

    page.goto(routes.PORTAL_SECURITY)
    rows = page.get_by_test_id("session-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Safari on iOS")).to_contain_text("203.0.113.7")
    expect(rows.filter(has_text="This device")).to_contain_text("Firefox on Windows")
    page.get_by_role("button", name="Sign out all other sessions").click()
    expect(page.get_by_test_id("action-notice")).to_have_text("Signed out of 1 other session.")
    expect(rows).to_have_count(1)
    expect(page.get_by_role("button", name="Sign out all other sessions")).to_be_disabled()

    # The phone's tab is still open: its next action finds its session gone.
    other_tab.get_by_role("button", name="Sign out all other sessions").click()
    expect(other_tab.get_by_test_id("signed-out-panel")).to_be_visible()
    other_tab.reload()
    expect(other_tab.get_by_test_id("signed-out-panel")).to_be_visible()


def test_export_download_is_a_json_attachment_and_a_sole_owner_cannot_leave(server, new_page, artifacts):
    raw = _session(server, DEMO_CLIENT.email, WINDOWS_FIREFOX)
    page = new_page(DESKTOP, session_cookie=raw)
    _open_privacy_page(page)
    # A download link: a navigation would close the page's websocket (beforeunload) and lose the form below.
    expect(page.get_by_test_id("export-link")).to_have_attribute("download", "")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-link").click()
    # The same request with the page's cookies: an attachment (the browser's download does not report headers).
    response = page.request.get(routes.api_url(routes.API_ME_EXPORT))
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    download = download_info.value
    assert download.suggested_filename.startswith("fluxent-export-") and download.suggested_filename.endswith(".json")
    document = json.loads(open(download.path(), encoding="utf-8").read())
    assert "schema_version" in document
    assert DEMO_CLIENT.email in json.dumps(document)

    # The only owner of an organization is told which one to hand over first.
    form = page.get_by_role("form", name="Delete my account")
    form.get_by_label("Password", exact=True).fill(DEMO_CLIENT.password)
    form.get_by_label("Type DELETE or your e-mail address").fill("DELETE")
    form.get_by_role("button", name="Delete my account").click()
    expect(form.get_by_role("alert")).to_contain_text(DEMO_ORGANIZATION)
    form.screenshot(path=artifacts / "account-delete-sole-owner-1280.png")


def test_account_deletion_end_to_end(server, new_page, artifacts, outbox, assert_browser_storage):
    email = "leaving.e2e@example.com"
    raw = _session(server, email, WINDOWS_FIREFOX, create=True)
    page = new_page(DESKTOP, session_cookie=raw)
    _open_privacy_page(page)
    form = page.get_by_role("form", name="Delete my account")

    # Re-authentication by e-mailed code instead of the password.
    page.get_by_role("button", name="E-mail code").click()
    expect(page.get_by_role("button", name="E-mail code")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="E-mail me a code").click()
    expect(page.get_by_test_id("action-notice")).to_have_text(f"We sent a 6-digit code to {email}.")
    assert len(_code_in(outbox(email, "confirmation code"))) == 6
    form.screenshot(path=artifacts / "account-delete-by-code-1280.png")
    page.get_by_role("button", name="Password", exact=True).click()

    # Wrong password: refused, nothing happens.
    form.get_by_label("Password", exact=True).fill("not my password at all 2026")
    form.get_by_label("Type DELETE or your e-mail address").fill("DELETE")
    form.get_by_role("button", name="Delete my account").click()
    expect(form.locator("#erase-secret-error")).to_be_visible()

    # A confirmation that is neither DELETE nor the e-mail address: refused.
    form.get_by_label("Password", exact=True).fill("quiet orchard ladder 2026")
    form.get_by_label("Type DELETE or your e-mail address").fill("delete please")
    form.get_by_role("button", name="Delete my account").click()
    expect(form.locator("#erase-confirmation-error")).to_be_visible()

    form.get_by_label("Type DELETE or your e-mail address").fill(email)
    form.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(server.url(routes.home_with_notice(routes.NOTICE_ACCOUNT_DELETED)))
    expect(page.get_by_test_id("page-notice")).to_contain_text("Your account is deleted")
    page.screenshot(path=artifacts / "account-deleted-home-1280.png")

    page.goto(routes.PORTAL)
    expect(page.get_by_test_id("signed-out-panel")).to_be_visible()
    assert_browser_storage(page)

    # Signing in again fails like any unknown account.
    page.goto(routes.LOGIN)
    expect(page.locator("input[name='csrfmiddlewaretoken']").first).to_have_value(re.compile(r"^[A-Za-z0-9_-]{16,}$"))
    page.get_by_label("E-mail or username").fill(email)
    page.locator("input#password").fill("quiet orchard ladder 2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"error=invalid_credentials"))
    # No new session: at most the old, dead cookie is left (nothing answers to it any more).
    assert {cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid"} <= {raw}


def test_view_as_client_shows_a_read_only_banner_to_an_admin(server, new_page, artifacts, assert_browser_storage):
    raw = _session(server, DEMO_ADMIN.email, WINDOWS_FIREFOX)
    page = new_page(DESKTOP, session_cookie=raw)
    page.goto(routes.PORTAL)
    picker = page.get_by_test_id("view-as-select").first
    expect(picker).to_be_visible()
    picker.select_option(label=DEMO_ORGANIZATION)
    banner = page.get_by_test_id("view-as-banner")
    expect(banner).to_contain_text(f"Viewing {DEMO_ORGANIZATION} as its owner sees it — read only")
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_ORGANIZATION)
    stored = page.evaluate("window.localStorage.getItem('view_as_role')")
    assert stored and stored.isdigit()
    assert_browser_storage(page)
    page.screenshot(path=artifacts / "account-view-as-1280.png", full_page=True)

    page.set_viewport_size({"width": PHONE, "height": 900})
    page.reload()
    expect(banner).to_be_visible()
    page.screenshot(path=artifacts / "account-view-as-375.png", full_page=True)
    page.locator("summary[aria-label='Portal menu']").click()
    expect(page.get_by_test_id("view-as-select").last).to_have_value(stored)
    page.screenshot(path=artifacts / "account-view-as-375-menu.png")
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(routes.PORTAL_ACCOUNT)
    expect(page.get_by_text("Exit the client view to change your own account.")).to_be_visible()
    banner.get_by_role("button", name="Leave client view").click()
    expect(banner).to_have_count(0)
    expect(page.get_by_label("Full name")).to_have_value(DEMO_ADMIN.name)
    assert not page.evaluate("window.localStorage.getItem('view_as_role')")


def test_a_client_who_sets_view_as_role_gains_nothing(server, new_page, assert_browser_storage):
    other_id = _python(server, ORGANIZATION_ID, OTHER_ORGANIZATION)
    raw = _session(server, DEMO_CLIENT.email, WINDOWS_FIREFOX)
    page = new_page(DESKTOP, session_cookie=raw)
    page.goto(routes.HOME)
    page.evaluate(f"window.localStorage.setItem('view_as_role', '{other_id}')")
    page.goto(routes.PORTAL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    expect(page.get_by_role("region", name="Your organizations")).to_contain_text(DEMO_ORGANIZATION)
    expect(page.get_by_test_id("view-as-banner")).to_have_count(0)
    expect(page.get_by_test_id("view-as-select")).to_have_count(0)
    assert OTHER_ORGANIZATION not in page.content()
    # The server refused the stored value, so the browser forgets it too.
    page.wait_for_function("!window.localStorage.getItem('view_as_role')")
    assert_browser_storage(page)
