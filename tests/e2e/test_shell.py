"""The app shell in a real browser: public layout, portal layout, phone menus."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

FOOTER_TEXTS = ("© 2026 Fluxent Technologies, Inc.", "support@fluxent.tech", "Woodmere, NY")


def _assert_no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def _assert_one_h1(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)


def _assert_landmarks(page: Page) -> None:
    expect(page.locator("main#main-content")).to_have_count(1)
    expect(page.locator("a[href='#main-content']")).to_have_text("Skip to content")


@pytest.fixture
def demo_session(server) -> str:
    raw = server.python(START_DEMO_SESSION).strip().splitlines()[-1]
    assert len(raw) >= 32
    return raw


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_home_page_shows_header_and_footer(new_page, artifacts, width):
    page = new_page(width)
    page.goto(routes.HOME)

    expect(page).to_have_title("Fluxent · Forward-deployed engineers, fixed-price builds")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forward-deployed engineers.")
    header = page.locator("header").first
    if width == DESKTOP:
        nav = header.get_by_role("navigation", name="Main")
        expect(nav).to_be_visible()
        for item in routes.MAIN_NAV:
            expect(nav.get_by_role("link", name=item.label, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name="Home", exact=True)).to_have_attribute("aria-current", "page")
        expect(header.get_by_role("link", name="Client Login")).to_be_visible()
        expect(header.get_by_role("link", name="Scope a build")).to_be_visible()
        expect(header.locator("summary[aria-label='Menu']")).to_be_hidden()
    else:
        expect(header.locator("summary[aria-label='Menu']")).to_be_visible()
        expect(header.get_by_role("navigation", name="Main")).to_be_hidden()

    footer = page.locator("footer")
    for text in FOOTER_TEXTS:
        expect(footer.get_by_text(text, exact=True)).to_be_visible()
    expect(footer.get_by_role("link", name="support@fluxent.tech")).to_have_attribute(
        "href", "mailto:support@fluxent.tech"
    )
    for item in routes.LEGAL_NAV:
        expect(footer.get_by_role("link", name=item.label)).to_have_attribute("href", item.route)
    expect(footer.get_by_role("textbox", name="E-mail address")).to_be_visible()
    expect(footer.get_by_role("button", name="Subscribe")).to_be_enabled()

    _assert_one_h1(page)
    _assert_landmarks(page)
    _assert_no_horizontal_overflow(page)
    page.screenshot(path=artifacts / f"shell-home-{width}.png", full_page=True)


def test_skip_link_moves_focus_to_main(new_page):
    page = new_page(DESKTOP)
    page.goto(routes.HOME)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_phone_menu_opens_with_keyboard_and_click(new_page):
    page = new_page(PHONE)
    page.goto(routes.HOME)
    menu = page.locator("header summary[aria-label='Menu']")
    expect(menu).to_be_visible()
    nav = page.locator("header").get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    for item in routes.MAIN_NAV:
        expect(nav.get_by_role("link", name=item.label, exact=True)).to_be_visible()
    expect(page.locator("header").get_by_role("link", name="Client Login")).to_be_visible()

    page.keyboard.press("Enter")  # focus is still on the button: closes again
    expect(nav).to_be_hidden()
    menu.click()
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Home", exact=True).focus()
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_focused()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_portal_shows_the_signed_in_client(new_page, artifacts, demo_session, width):
    page = new_page(width, session_cookie=demo_session)
    page.goto(routes.PORTAL)

    expect(page).to_have_title("Dashboard · Fluxent Portal")
    top_bar = page.locator("header").first
    expect(top_bar.get_by_test_id("signed-in-name")).to_have_text(DEMO_CLIENT.name)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    organizations = page.get_by_role("region", name="Your organizations")
    expect(organizations.get_by_text(DEMO_ORGANIZATION, exact=True)).to_be_visible()
    expect(organizations.get_by_text("Owner", exact=True)).to_be_visible()

    sign_out = page.locator(f"form[action='{routes.API_LOGOUT}'][method='post']")
    expect(sign_out.first).to_be_attached()
    if width == DESKTOP:
        sidebar = page.get_by_role("navigation", name="Portal")
        expect(sidebar).to_be_visible()
        for item in routes.PORTAL_NAV:
            expect(sidebar.get_by_role("link", name=item.label, exact=True)).to_be_visible()
        expect(sidebar.get_by_role("link", name="Dashboard", exact=True)).to_have_attribute("aria-current", "page")
        expect(top_bar.get_by_role("button", name="Sign out")).to_be_visible()
        expect(top_bar.get_by_text("Client", exact=True)).to_be_visible()
    else:
        expect(page.get_by_role("navigation", name="Portal")).to_be_hidden()
        expect(top_bar.locator("summary[aria-label='Portal menu']")).to_be_visible()

    # The session token stays in the HttpOnly cookie: not readable by scripts, not in the page.
    assert "sessionid" not in page.evaluate("document.cookie")
    assert demo_session not in page.content()
    _assert_one_h1(page)
    _assert_landmarks(page)
    _assert_no_horizontal_overflow(page)
    page.screenshot(path=artifacts / f"shell-portal-{width}.png", full_page=True)


def test_portal_phone_menu_shows_the_sections(new_page, artifacts, demo_session):
    page = new_page(PHONE, session_cookie=demo_session)
    page.goto(routes.PORTAL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    menu = page.locator("summary[aria-label='Portal menu']")
    menu.focus()
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Portal")
    expect(nav).to_be_visible()
    for item in routes.PORTAL_NAV:
        expect(nav.get_by_role("link", name=item.label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.screenshot(path=artifacts / "shell-portal-375-menu.png")


def test_portal_without_a_session_shows_the_signed_out_panel(new_page, artifacts):
    page = new_page(DESKTOP)
    page.goto(routes.PORTAL)
    panel = page.get_by_test_id("signed-out-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("You're signed out")
    expect(panel.get_by_role("link", name="Sign in")).to_have_attribute("href", routes.login_then(routes.PORTAL))
    expect(page.get_by_test_id("signed-in-name")).to_have_count(0)
    _assert_one_h1(page)
    page.screenshot(path=artifacts / "shell-portal-signed-out-1280.png", full_page=True)


def test_portal_with_an_unknown_session_shows_the_signed_out_panel(new_page):
    page = new_page(PHONE, session_cookie="not-a-real-session-token-0123456789abcdef")
    page.goto(routes.PORTAL)
    expect(page.get_by_test_id("signed-out-panel")).to_be_visible()
    _assert_no_horizontal_overflow(page)
