"""The marketing site in a real browser: prerendered text, axe-core on every public page,
screenshots at three widths, the contact form (success and refusal), the newsletter's
double opt-in through the e-mailed link, the team page and the staff leads list."""

from __future__ import annotations

import email
import re
import urllib.error
import urllib.request
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.marketing import spam
from fluxent.services.seed import DEMO_CLIENT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE = PROJECT_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (375, 768, 1280)
NOT_FOUND = "/this-page-does-not-exist"

LINK_TOKEN = "a-token-from-an-e-mail"
# Pages opened from e-mailed links: one prerendered copy serves every token.
TOKEN_PAGES = (routes.newsletter_confirm(LINK_TOKEN), routes.newsletter_unsubscribe(LINK_TOKEN))
# Every public page, with a phrase its prerendered HTML must contain.
PAGES = {
    routes.HOME: "Scope a build",
    routes.CLIENT_JOURNEY: "Contract signed in the portal",
    routes.CASE_STUDIES: "Fixed-price builds, measured by what changed",
    routes.case_study("freight-brokerage-quote-desk"): "Median time from request to quote",
    routes.RESOURCES: "Guides for buying software that ships",
    routes.resource("how-to-scope-a-fixed-price-build"): "Decide what is out",
    routes.TEAM: "The people who build your software",
    routes.CONTACT: "Talk to an engineer",
    routes.SCOPE: "Tell us what you want to build",
    routes.NEWSLETTER: "The Delivery Brief",
    routes.PRIVACY_POLICY: "Additional Rights for California and Virginia Residents",
    routes.TERMS_OF_SERVICE: "Governing law and disputes",
    routes.COOKIE_POLICY: "view_as_role",
    routes.FULFILLMENT_POLICY: "Deposits, payment and refunds",
    routes.newsletter_confirm(LINK_TOKEN): "Confirm my subscription",
    routes.newsletter_unsubscribe(LINK_TOKEN): "Stop The Delivery Brief at this address?",
    NOT_FOUND: "This page took a wrong turn",
}

STAFF_SESSION = """
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, {email!r}))
print(raw)
"""
SUBSCRIPTIONS = """
from sqlmodel import select
from fluxent.core.db import session_scope
from fluxent.models.marketing import NewsletterSubscription
with session_scope() as db:
    print([row.confirmed_at is not None for row in db.exec(select(NewsletterSubscription).where(NewsletterSubscription.email == {email!r}))])
"""
LEAD_EMAILS = """
from sqlmodel import select
from fluxent.core.db import session_scope
from fluxent.models.marketing import ConsentRecord, Lead
with session_scope() as db:
    print(sorted(lead.email for lead in db.exec(select(Lead))), len(db.exec(select(ConsentRecord)).all()))
"""


def _slug(route: str) -> str:
    return route.strip("/").replace("/", "_") or "home"


def _axe_violations(page: Page) -> list[str]:
    # Evaluated through the browser's debugging protocol: a <script> tag would be (rightly) refused by the CSP.
    page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in result]


def _open(page: Page, server, route: str) -> None:
    page.goto(server.url(route))
    expect(page.locator("h1")).to_have_count(1)
    page.wait_for_load_state("networkidle")


def _html(text: str) -> str:
    return text.replace("&#x27;", "'").replace("&quot;", '"')


def test_every_public_page_is_prerendered_with_its_text_and_head(server):
    """Token pages are prerendered once and served for every token; unknown addresses get the 404 page's HTML."""
    for route, phrase in PAGES.items():
        if route in (NOT_FOUND, routes.NOT_FOUND_PRERENDER):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(server.url(route), timeout=10)
            assert missing.value.code == 404
            assert missing.value.headers["content-type"].startswith("text/html")
            assert PAGES[NOT_FOUND] in _html(missing.value.read().decode()), (
                f"{route}: the 404 page's text is not in the HTML"
            )
            continue
        with urllib.request.urlopen(server.url(route), timeout=10) as response:
            html = response.read().decode()
            canonical = response.geturl()
        assert canonical == server.base_url + route.rstrip("/") + "/", (
            "pages are served at their trailing-slash address"
        )
        assert phrase in _html(html), f"{route}: {phrase!r} is not in the HTML"
        if route in TOKEN_PAGES:
            assert 'rel="canonical"' not in html and 'content="noindex"' in html, (
                f"{route}: an e-mailed link's page is not for search engines"
            )
        else:
            assert f'<link href="{canonical}" rel="canonical"/>' in html, route
        assert 'property="og:title"' in html and 'property="og:image"' in html, route
        assert 'name="description"' in html, route


def _check_page(page: Page, route: str, width: int, artifacts: Path) -> list[str]:
    """Screenshot the page; its axe-core violations (at 375 and 1280 px)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{route} scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=str(artifacts / f"site-{_slug(route)}-{width}.png"), full_page=True)
    return _axe_violations(page) if width != 768 else []


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_pass_axe_and_are_screenshotted(new_page, browser, server, artifacts, width):
    page = new_page(width)
    problems = {}
    for route in PAGES:
        if route == NOT_FOUND:
            continue
        _open(page, server, route)
        if violations := _check_page(page, route, width, artifacts):
            problems[route] = violations
    # The 404 document answers 404, which watched pages report as a console error: an unwatched page.
    context = browser.new_context(viewport={"width": width, "height": 900})
    lost = context.new_page()
    _open(lost, server, NOT_FOUND)
    if violations := _check_page(lost, NOT_FOUND, width, artifacts):
        problems[NOT_FOUND] = violations
    context.close()
    assert not problems, "axe-core violations:\n" + "\n".join(f"{r}: {v}" for r, v in problems.items())


def _fill_contact(page: Page, *, email_address: str) -> None:
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Work e-mail").fill(email_address)
    page.get_by_label("Company (optional)").fill("<b>Analytical</b> Engines")
    page.get_by_label("Country").fill("United Kingdom")
    page.get_by_label("How can we help?").fill("We need a scheduling tool for our engine room.")


def test_contact_form_refuses_without_consent_then_succeeds(new_page, server, artifacts):
    page = new_page(1280)
    _open(page, server, routes.CONTACT)
    agree = page.locator("#agree")
    expect(agree).not_to_be_checked()
    page.get_by_label("Work e-mail").fill("ada@")
    page.get_by_label("Work e-mail").press("Tab")
    expect(page.locator("#email-error")).to_contain_text("name@company.com")
    _fill_contact(page, email_address="ada@engines.example")
    page.get_by_label("Work e-mail").press("Tab")
    expect(page.locator("#email-error")).to_have_text("")
    page.wait_for_timeout(spam.MIN_FILL.total_seconds() * 1000 + 300)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#agree-error")).to_contain_text("tick the box")
    expect(agree).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text("correct the highlighted fields")
    assert "ada@engines.example" not in server.python(LEAD_EMAILS)

    agree.check()
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you, Ada")
    expect(page.get_by_role("status")).to_contain_text("What happens next")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "site-contact-success-1280.png"), full_page=True)
    emails, consents = server.python(LEAD_EMAILS).rsplit(" ", 1)
    assert "ada@engines.example" in emails and int(consents) >= 1
    # The cookie policy's promise: nothing else is stored in the browser.
    assert {cookie["name"] for cookie in page.context.cookies()} <= {"csrftoken", "sessionid"}
    assert page.evaluate("Object.keys(localStorage)") == []
    assert len(page.evaluate("Object.keys(sessionStorage)")) <= 1


def _outbox(server) -> list[email.message.EmailMessage]:
    directory = Path(server.env["FLUXENT_DATA_DIR"]) / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(directory.glob("*.eml"))]


def test_newsletter_double_opt_in_from_the_footer(new_page, server, artifacts):
    page = new_page(375)
    _open(page, server, routes.HOME)
    page.locator("#newsletter-email").fill("reader@engines.example")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("check your inbox")).to_be_visible()
    message = next(m for m in reversed(_outbox(server)) if m["To"] == "reader@engines.example")
    link = re.search(r"http\S+/newsletter/confirm/[A-Za-z0-9_-]+", message.get_body(("plain",)).get_content()).group(0)
    confirm = page.get_by_role("button", name="Confirm my subscription")
    # Opening the link, as a mail scanner's browser would, runs the page and confirms nothing.
    _open(page, server, urlsplit(link).path)
    expect(confirm).to_be_enabled()
    assert server.python(SUBSCRIPTIONS.format(email="reader@engines.example")).strip() == "[False]"
    confirm.click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("You're subscribed")
    assert server.python(SUBSCRIPTIONS.format(email="reader@engines.example")).strip() == "[True]"
    page.screenshot(path=str(artifacts / "site-newsletter-confirmed-375.png"), full_page=True)
    page.goto(link)
    confirm.click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("This link does not work")


def test_team_page_lists_staff_who_chose_to_be_listed(new_page, server):
    page = new_page(1280)
    _open(page, server, routes.TEAM)
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible()
    expect(page.get_by_text("Forward Deployed Engineer").first).to_be_visible()
    expect(page.get_by_text("Dana Whitfield")).to_have_count(0)


ADD_LEAD = """
from fluxent.core.db import session_scope
from fluxent.models.marketing import Lead
with session_scope() as db:
    db.add(Lead(name="Grace Hopper", email="grace@navy.example", country="United States", message="A compiler for the fleet."))
"""


def test_leads_reach_staff_from_the_portal_menu_only(new_page, server, artifacts):
    """The pipeline itself is tested in test_admin_leads.py; here: the way there, and only for staff."""
    server.python(ADD_LEAD)
    staff = server.python(STAFF_SESSION.format(email="staff@demo.fluxent.tech")).strip().splitlines()[-1]
    page = new_page(1280, session_cookie=staff)
    page.goto(server.url(routes.PORTAL))
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Leads").click()
    expect(page.get_by_role("link", name="Grace Hopper").first).to_be_visible()

    client = server.python(STAFF_SESSION.format(email=DEMO_CLIENT.email)).strip().splitlines()[-1]
    other = new_page(1280, session_cookie=client)
    other.goto(server.url(routes.PORTAL))
    expect(other.get_by_role("heading", level=1)).to_be_visible()
    expect(other.get_by_role("link", name="Leads")).to_have_count(0)
    other.goto(server.url(routes.ADMIN_LEADS))
    expect(other.get_by_text("Only Fluxent staff can see leads.")).to_be_visible()
    expect(other.get_by_role("link", name="Grace Hopper")).to_have_count(0)
