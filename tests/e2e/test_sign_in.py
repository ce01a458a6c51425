"""Signing in and out in a real browser: password, e-mail code, magic link, password reset,
invitation; each flow ends with the cookie and localStorage promise checked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.auth import password_policy
from fluxent.services.auth.sign_in import BAD_CREDENTIALS
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION, DEMO_STAFF
from fluxent.state.auth_messages import NOTICE_MESSAGES
from fluxent.state.sign_in import FILL_IN

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375
CSRF_FIELD = "input[name='csrfmiddlewaretoken']"
NEW_PASSWORD = "lantern quarry velvet ostrich 4417"

CREATE_USER = """
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.accounts import users
with session_scope() as db:
    users.create_user(db, email={email!r}, password="harbor thistle gazette 9051", role=Role.CLIENT, name={name!r})
"""

INVITE = """
from sqlmodel import select
from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization
from fluxent.services.accounts import invitations, users
with session_scope() as db:
    staff = users.user_by_email(db, {staff!r})
    org = db.exec(select(Organization).where(Organization.name == {organization!r})).one()
    invitations.invite(db, actor=staff, email={email!r}, organization=org)
"""


def _link(text: str, route: str) -> str:
    """The path of the first link in an e-mail that leads to ``route`` (a ``[token]`` route)."""
    prefix = route.split("[token]")[0]
    found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}[A-Za-z0-9_-]+)", text)
    assert found, f"no {prefix} link in:\n{text}"
    return found.group(1)


def _ready(page: Page) -> None:
    """Wait until the page hydrated and its native forms carry the CSRF token."""
    expect(page.locator(CSRF_FIELD).first).to_have_value(re.compile(r"^[A-Za-z0-9_-]{16,}$"))


def _sign_in_with_password(page: Page, login: str, password: str) -> None:
    _ready(page)
    page.get_by_label("E-mail or username").fill(login)
    page.locator("input#password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _expect_at(page: Page, server, route: str, query: str = "") -> None:
    """On ``route`` (the production build serves pages with a trailing slash) with exactly ``query``."""
    expected = re.escape(server.url(route)) + "/?" + (re.escape(f"?{query}") if query else "") + "$"
    expect(page).to_have_url(re.compile(expected))


def _expect_portal_for(page: Page, server, name: str) -> None:
    _expect_at(page, server, routes.PORTAL)
    expect(page.get_by_test_id("signed-in-name")).to_have_text(name)


def test_password_sign_in_shows_the_portal_and_sign_out_ends_it(new_page, server, artifacts, assert_browser_storage):
    page = new_page(DESKTOP)
    page.goto(routes.login_then(routes.PORTAL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your portal")
    expect(page.get_by_role("tab", name="Password")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("E-mail or username")).to_have_attribute("autocomplete", "username")
    expect(page.locator("input#password")).to_have_attribute("autocomplete", "current-password")
    assert_browser_storage(page)

    _sign_in_with_password(page, DEMO_CLIENT.username, DEMO_CLIENT.password)
    _expect_portal_for(page, server, DEMO_CLIENT.name)
    expect(page.get_by_role("region", name="Your organizations").get_by_text(DEMO_ORGANIZATION)).to_be_visible()
    assert {cookie["name"] for cookie in page.context.cookies()} == {"csrftoken", "sessionid"}
    assert_browser_storage(page)

    page.locator("header").get_by_role("button", name="Sign out").click()
    _expect_at(page, server, routes.LOGIN, "notice=signed_out")
    expect(page.get_by_role("status").filter(has_text=NOTICE_MESSAGES["signed_out"])).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto(routes.PORTAL)
    expect(page.get_by_test_id("signed-out-panel")).to_be_visible()
    assert_browser_storage(page)


def test_wrong_password_says_so_and_sets_no_session(new_page, server, artifacts, assert_browser_storage):
    page = new_page(PHONE)
    page.goto(routes.LOGIN)
    _sign_in_with_password(page, DEMO_CLIENT.email, "not the right password at all")
    _expect_at(page, server, routes.LOGIN, "error=invalid_credentials")
    alert = page.get_by_role("alert").filter(has_text=BAD_CREDENTIALS)
    expect(alert).to_be_visible()
    # The form's summary names both fields (not which was wrong); the login is as typed and has the focus.
    summary = page.get_by_test_id("password-form-error")
    expect(summary).to_contain_text(BAD_CREDENTIALS)
    expect(summary.get_by_role("link")).to_have_text(["E-mail or username", "Password"])
    expect(page.get_by_test_id("auth-error")).to_have_count(0)  # said once: in the form, not above the tabs too
    login = page.get_by_label("E-mail or username")
    expect(login).to_be_focused()
    expect(login).to_have_value(DEMO_CLIENT.email)
    expect(page.locator("input#password")).to_have_attribute("aria-invalid", "true")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    assert_browser_storage(page)
    page.screenshot(path=artifacts / "auth-login-error-375.png", full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.screenshot(path=artifacts / "auth-login-error-1280.png", full_page=True)


def test_a_form_with_a_forged_csrf_token_is_refused(new_page, server, assert_browser_storage):
    page = new_page(DESKTOP)
    page.goto(routes.LOGIN)
    _ready(page)
    page.locator(CSRF_FIELD).first.evaluate("field => { field.value = 'forged-token-0123456789abcdef' }")
    _sign_in_with_password(page, DEMO_CLIENT.email, DEMO_CLIENT.password)
    _expect_at(page, server, routes.LOGIN, "error=csrf_failed")
    expect(page.get_by_role("alert").filter(has_text="Your form had expired")).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    assert_browser_storage(page)


def test_tabs_work_with_the_keyboard(new_page):
    page = new_page(DESKTOP)
    page.goto(routes.LOGIN)
    _ready(page)
    password_tab = page.get_by_role("tab", name="Password")
    password_tab.focus()
    page.keyboard.press("ArrowRight")
    code_tab = page.get_by_role("tab", name="E-mail code")
    expect(code_tab).to_be_focused()
    expect(code_tab).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="E-mail code")).to_be_visible()
    expect(page.get_by_role("tabpanel", name="Password")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.get_by_role("tabpanel", name="E-mail code").get_by_label("E-mail address")).to_be_focused()


def test_an_empty_field_is_flagged_when_left(new_page):
    page = new_page(DESKTOP)
    page.goto(routes.LOGIN)
    _ready(page)
    login = page.get_by_label("E-mail or username")
    login.focus()
    page.locator("input#password").focus()
    expect(page.get_by_role("alert").filter(has_text="Enter your e-mail address or username.")).to_be_visible()
    expect(login).to_have_attribute("aria-invalid", "true")


def test_blank_fields_are_named_not_posted_and_the_first_takes_the_focus(new_page, server, artifacts):
    page = new_page(PHONE)
    page.goto(routes.LOGIN)
    _ready(page)
    sign_in = page.get_by_role("button", name="Sign in", exact=True)
    sign_in.click()
    summary = page.get_by_test_id("password-form-error")
    expect(summary).to_contain_text(FILL_IN)
    expect(summary.get_by_role("link")).to_have_text(["E-mail or username", "Password"])
    login = page.get_by_label("E-mail or username")
    expect(login).to_be_focused()
    expect(login).to_have_attribute("aria-invalid", "true")
    # The product's own messages, never the browser's bubble; and nothing was posted.
    assert login.evaluate("el => el.validationMessage") == ""
    assert page.locator("input#password").evaluate("el => el.validationMessage") == ""
    _expect_at(page, server, routes.LOGIN)
    page.screenshot(path=artifacts / "auth-login-blank-375.png", full_page=True)

    login.fill(DEMO_CLIENT.email)
    sign_in.click()
    password = page.locator("input#password")
    expect(password).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Password"])
    expect(login).to_have_attribute("aria-invalid", "false")
    _expect_at(page, server, routes.LOGIN)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.screenshot(path=artifacts / "auth-login-blank-1280.png", full_page=True)

    password.fill(DEMO_CLIENT.password)
    password.press("Enter")
    _expect_portal_for(page, server, DEMO_CLIENT.name)


@pytest.mark.parametrize("target", ["https://evil.example/steal", "//evil.example/steal", "/\\evil.example"])
def test_a_next_address_off_the_site_is_ignored(new_page, server, target):
    page = new_page(DESKTOP)
    page.goto(f"{routes.LOGIN}?next={target}")
    _sign_in_with_password(page, DEMO_CLIENT.email, DEMO_CLIENT.password)
    _expect_portal_for(page, server, DEMO_CLIENT.name)


def test_email_code_signs_in(new_page, server, outbox, assert_browser_storage):
    page = new_page(PHONE)
    page.goto(routes.LOGIN)
    _ready(page)
    page.get_by_role("tab", name="E-mail code").click()
    page.get_by_role("tabpanel", name="E-mail code").get_by_label("E-mail address").fill(DEMO_CLIENT.email)
    page.get_by_role("button", name="E-mail me a code").click()
    _expect_at(page, server, routes.LOGIN_VERIFY)
    expect(page.get_by_test_id("code-address")).to_have_text(DEMO_CLIENT.email)

    code = re.search(r"\b(\d{6})\b", outbox(DEMO_CLIENT.email, "sign-in code")).group(1)
    _ready(page)
    code_field = page.locator("input#code")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    code_field.fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    _expect_portal_for(page, server, DEMO_CLIENT.name)
    assert_browser_storage(page)


def test_magic_link_from_the_outbox_signs_in_only_after_continue(
    new_page, server, outbox, artifacts, assert_browser_storage
):
    page = new_page(DESKTOP)
    page.goto(routes.LOGIN)
    _ready(page)
    page.get_by_role("tab", name="Magic link").click()
    page.get_by_role("tabpanel", name="Magic link").get_by_label("E-mail address").fill(DEMO_CLIENT.email)
    page.get_by_role("button", name="E-mail me a sign-in link").click()
    expect(page.get_by_test_id("link-sent")).to_contain_text(DEMO_CLIENT.email)
    path = _link(outbox(DEMO_CLIENT.email, "sign-in link"), routes.MAGIC_LINK)

    # The development outbox lists it, and its link is clickable.
    page.goto(routes.DEV_OUTBOX)
    page.get_by_test_id("outbox-list").get_by_role("button").first.click()
    link = page.get_by_test_id("outbox-text").get_by_role("link", name=server.url(path))
    expect(link).to_have_attribute("href", server.url(path))
    page.screenshot(path=artifacts / "auth-dev-outbox-open-1280.png", full_page=True)

    link.click()
    _expect_at(page, server, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish signing in")
    page.reload()  # opening the page again uses nothing up
    _ready(page)
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    page.get_by_role("button", name="Continue").click()
    _expect_portal_for(page, server, DEMO_CLIENT.name)
    assert_browser_storage(page)

    page.context.clear_cookies()
    page.goto(path)  # a used link says so
    _ready(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"\?error=link_invalid"))
    expect(page.get_by_role("alert").filter(has_text="invalid, used or expired")).to_be_visible()


def test_password_reset_from_the_email_then_sign_in_with_the_new_password(
    new_page, server, outbox, assert_browser_storage
):
    email = "reset.person@example.com"
    server.python(CREATE_USER.format(email=email, name="Rosa Reset"))
    page = new_page(PHONE)
    page.goto(routes.LOGIN)
    page.get_by_role("link", name="Forgot your password?").click()
    _expect_at(page, server, routes.FORGOT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    page.get_by_role("main").get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="E-mail me a reset link").click()
    expect(page.get_by_test_id("reset-sent")).to_contain_text(email)
    path = _link(outbox(email, "Reset your Fluxent password"), routes.RESET_PASSWORD)

    page.goto(path)
    _ready(page)
    password = page.locator("input#new-password")
    expect(password).to_have_attribute("autocomplete", "new-password")
    password.fill("short")
    expect(page.get_by_test_id("password-hint")).to_contain_text("at least 15 characters")
    password.fill("a" * 20)
    expect(page.get_by_test_id("password-hint")).to_contain_text(password_policy.ADVICE)
    # The page cannot know whose link it is; the server also refuses the person's own details.
    password.fill("person lantern quarry velvet 8812")
    expect(page.get_by_test_id("password-hint")).to_have_text("Strong enough. You're good to go.")
    page.get_by_role("button", name="Save new password").click()
    _expect_at(page, server, path, "error=weak_password")
    expect(page.get_by_role("alert").filter(has_text="Choose a stronger password")).to_be_visible()

    _ready(page)  # the link still works
    password.fill(NEW_PASSWORD)
    expect(page.get_by_test_id("password-hint")).to_have_text("Strong enough. You're good to go.")
    page.get_by_role("button", name="Save new password").click()
    _expect_at(page, server, routes.LOGIN, "notice=password_reset")
    expect(page.get_by_role("status").filter(has_text=NOTICE_MESSAGES["password_reset"])).to_be_visible()

    _sign_in_with_password(page, email, NEW_PASSWORD)
    _expect_portal_for(page, server, "Rosa Reset")
    assert_browser_storage(page)


def test_invitation_shows_who_invited_and_signs_the_new_person_in(
    new_page, server, outbox, artifacts, assert_browser_storage
):
    email = "new.hire@example.com"
    server.python(INVITE.format(staff=DEMO_STAFF.email, organization=DEMO_ORGANIZATION, email=email))
    path = _link(outbox(email, "invited you"), routes.INVITATION)
    for width in (PHONE, DESKTOP):
        page = new_page(width)
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{DEMO_STAFF.name} invited you")
        expect(page.get_by_test_id("invite-organization")).to_have_text(DEMO_ORGANIZATION)
        expect(page.get_by_test_id("invite-email")).to_have_text(email)
        _ready(page)
        page.screenshot(path=artifacts / f"auth-invitation-{width}.png", full_page=True)

    page.get_by_label("Your name").fill("Noor Hire")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    expect(page.get_by_test_id("password-hint")).to_have_text("Strong enough. You're good to go.")
    page.get_by_role("button", name="Accept and sign in").click()
    _expect_portal_for(page, server, "Noor Hire")
    expect(page.get_by_role("region", name="Your organizations").get_by_text(DEMO_ORGANIZATION)).to_be_visible()
    assert_browser_storage(page)


# Every sign-in page at phone and desktop width: one h1, labelled fields, no sideways scroll.
PAGES = (
    ("login", routes.LOGIN),
    ("login-verify", routes.LOGIN_VERIFY),
    ("forgot-password", routes.FORGOT_PASSWORD),
    ("reset-password", routes.with_token(routes.RESET_PASSWORD, "a" * 43)),
    ("magic-link", routes.with_token(routes.MAGIC_LINK, "b" * 43)),
    ("invitation-unusable", routes.with_token(routes.INVITATION, "c" * 43)),
    ("two-step-expired", routes.with_token(routes.LOGIN_TWO_STEP, "d" * 43)),
    ("dev-outbox", routes.DEV_OUTBOX),
)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_sign_in_pages_look_finished(new_page, artifacts, assert_browser_storage, width):
    page = new_page(width)
    for name, route in PAGES:
        page.goto(route)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.locator("main#main-content")).to_have_count(1)
        if page.locator("main form[method='post']").count():
            _ready(page)
        if page.locator("main button[type='submit']").count():
            expect(page.locator("main button[type='submit']").first).to_be_enabled()  # hydrated
        for field in page.locator("input:not([type='hidden'])").all():
            if field.is_visible():
                field_id = field.get_attribute("id")
                assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, f"{name}: unlabelled input"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        page.screenshot(path=artifacts / f"auth-{name}-{width}.png", full_page=True)
    assert_browser_storage(page)
