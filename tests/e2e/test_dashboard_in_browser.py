"""The portal dashboard in a real browser: what waits for the demo client, progress, documents,
accepting from the dashboard, and switching between the client's two organizations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import (
    DEMO_CLIENT,
    DEMO_DOCUMENT,
    DEMO_ENGAGEMENT,
    DEMO_MILESTONES,
    DEMO_ORGANIZATION,
    DEMO_OTHER_ENGAGEMENT,
    DEMO_OTHER_ORGANIZATION,
    DEMO_STAFF,
)
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

CHECK_IN = "Dashboard check-in"
# Its own engagement with one submitted milestone, so accepting it leaves the seeded one for other tests.
ADD_CHECK_IN = f"""
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title="Fleet check-ins",
                                      fixed_price_minor=100_000, currency="USD", staff_ids=[staff.id])
    m = milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={CHECK_IN!r}, amount_minor=100_000)
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
    milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
"""


@pytest.fixture
def demo_session(server) -> str:
    return server.python(START_DEMO_SESSION).strip().splitlines()[-1]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _card(page, title: str):
    return page.get_by_test_id("engagement-card").filter(has_text=title)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_dashboard_shows_what_waits_progress_and_documents(new_page, artifacts, demo_session, width):
    page = new_page(width, session_cookie=demo_session)
    page.goto(routes.PORTAL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    waiting = (
        page.get_by_role("region", name="Needs your action")
        .get_by_test_id("action-item")
        .filter(has_text=DEMO_MILESTONES[1][0])
    )
    expect(waiting.get_by_role("button", name="Accept milestone")).to_be_visible()
    expect(waiting.get_by_role("link", name="Review or ask for changes")).to_have_attribute(
        "href", re.compile(r"^/portal/engagements#engagement-\d+$")
    )
    card = _card(page, DEMO_ENGAGEMENT)
    expect(card.get_by_role("progressbar", name="Accepted share of the fixed price")).to_have_attribute(
        "aria-valuenow", "25"
    )
    expect(card.get_by_text("USD 12,000.00 accepted of USD 48,000.00")).to_be_visible()
    expect(card).to_contain_text(f"Next: {DEMO_MILESTONES[1][0]} · due 22 Jan 2027")
    expect(card).to_contain_text("1 of 3 milestones accepted")
    # A member of Bluefin: its engagement shows too, with nothing for Dana to decide there.
    expect(_card(page, DEMO_OTHER_ENGAGEMENT)).to_contain_text(DEMO_OTHER_ORGANIZATION)
    link = page.get_by_role("region", name="Recent documents").get_by_role("link", name=f"Download {DEMO_DOCUMENT}")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    expect(page.get_by_role("region", name="Recent activity")).to_contain_text(f"{DEMO_DOCUMENT} was uploaded")
    expect(page.get_by_test_id("who-you-are")).to_contain_text(DEMO_CLIENT.email)
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"portal-dashboard-{width}.png", full_page=True)


def test_the_owner_accepts_on_the_dashboard_and_switches_organization(new_page, artifacts, server, demo_session):
    server.python(ADD_CHECK_IN)
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL)
    actions = page.get_by_role("region", name="Needs your action")
    item = actions.get_by_test_id("action-item").filter(has_text=CHECK_IN)
    item.get_by_role("button", name="Accept milestone").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Accept and invoice").click()
    expect(page.get_by_role("status").filter(has_text=f"{CHECK_IN} accepted. Thank you!")).to_be_visible()
    expect(item).to_have_count(0)
    expect(_card(page, "Fleet check-ins").get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    # The link of the remaining item leads to the engagement on the engagements page.
    actions.get_by_test_id("action-item").filter(has_text=DEMO_MILESTONES[1][0]).get_by_role(
        "link", name="Review or ask for changes"
    ).click()
    expect(page).to_have_url(re.compile(r"/portal/engagements#engagement-\d+$"))
    expect(page.locator("article").filter(has_text=DEMO_ENGAGEMENT)).to_be_visible()

    switcher = page.locator("#organization-switcher")
    expect(page.get_by_label("Organization").first).to_be_visible()
    switcher.select_option(label=DEMO_OTHER_ORGANIZATION)
    expect(page.locator("article")).to_have_count(1)
    expect(page.locator("article").get_by_role("heading", level=2)).to_have_text(DEMO_OTHER_ENGAGEMENT)

    page.locator("aside").get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_CLIENT.name}")
    expect(switcher).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_test_id("engagement-card")).to_have_count(1)
    expect(_card(page, DEMO_OTHER_ENGAGEMENT)).to_be_visible()
    expect(actions.get_by_text("Nothing waits for you")).to_be_visible()
    expect(page.get_by_role("region", name="Recent documents")).to_contain_text("No documents yet.")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-dashboard-switched-1280.png", full_page=True)

    switcher.select_option(label="All organizations")
    expect(_card(page, DEMO_ENGAGEMENT)).to_be_visible()
    expect(page.get_by_test_id("engagement-card")).to_have_count(3)


def test_phone_switches_from_the_menu(new_page, artifacts, demo_session):
    page = new_page(PHONE, session_cookie=demo_session)
    page.goto(routes.PORTAL)
    expect(_card(page, DEMO_ENGAGEMENT)).to_be_visible()
    expect(page.locator("#organization-switcher")).to_be_hidden()  # the top bar has no room on a phone
    page.locator("header summary").click()
    page.locator("#organization-switcher-menu").select_option(label=DEMO_OTHER_ORGANIZATION)
    expect(page.get_by_test_id("engagement-card")).to_have_count(1)
    expect(_card(page, DEMO_OTHER_ENGAGEMENT)).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-dashboard-switched-375.png", full_page=True)
