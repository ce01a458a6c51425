"""Accepting a milestone in a real browser: what is being accepted is on the page, the
confirmation names the amount to be invoiced, and the receipt reaches the outbox; a blank
request for changes gets the page's own error, never the browser's bubble."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.portal.milestones import MAX_NOTE
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.adds_to_demo_data, pytest.mark.timeout(900)]

ENGAGEMENT = "Depot routing planner"
SCOPE = "A live map and weekly reports for 500 delivery vans."
MAP, REPORTS = "Live fleet map", "Weekly reports"
DESCRIPTION = (
    "Vans on a live map.\nAccepted when: 500 vans render in under 2 s.\nDeliverables: https://example.test/demo"
)
# Its own engagement with two submitted milestones, so the seeded ones stay as other tests expect them.
ADD_ENGAGEMENT = f"""
from datetime import date
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title={ENGAGEMENT!r},
                                      scope_summary={SCOPE!r}, fixed_price_minor=2_500_000, currency="USD",
                                      staff_ids=[staff.id])
    items = [
        milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={MAP!r}, amount_minor=2_000_000,
                                 description={DESCRIPTION!r}, due_date=date(2027, 2, 5)),
        milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={REPORTS!r}, amount_minor=500_000),
    ]
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
    for m in items:
        milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
        milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
"""


@pytest.fixture(scope="module")
def engagement(server) -> str:
    server.python(ADD_ENGAGEMENT)
    return ENGAGEMENT


@pytest.fixture
def demo_session(server) -> str:
    return server.python(START_DEMO_SESSION).strip().splitlines()[-1]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_accepting_confirms_the_amount_and_sends_a_receipt(new_page, artifacts, engagement, demo_session, outbox):
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_ENGAGEMENTS)
    card = page.locator("article").filter(has_text=engagement)
    expect(card).to_contain_text(SCOPE)
    item = card.locator("li").filter(has_text=MAP)
    expect(item).to_contain_text("USD 20,000.00 · due 5 Feb 2027")
    expect(item).to_contain_text("Accepted when: 500 vans render in under 2 s.")
    expect(item.get_by_test_id("milestone-status")).to_have_text("Waiting for your acceptance")

    # A blank request for changes: the page's own message, and the browser's check never runs.
    other = card.locator("li").filter(has_text=REPORTS)
    other.get_by_role("button", name="Request changes").click()
    reason = other.get_by_label("What should change?")
    expect(other.get_by_role("alert")).to_have_text("Say what should change, one item a line.")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()  # the text area in error takes the focus
    assert reason.evaluate("el => el.validationMessage") == ""
    page.screenshot(path=artifacts / "portal-request-changes-error-1280.png")
    # Too long: said under the text area, which keeps the focus and what was typed.
    reason.fill("- " + "x" * MAX_NOTE)
    other.get_by_role("button", name="Request changes").click()
    expect(other.get_by_role("alert")).to_have_text(f"Keep it under 4,000 characters (this one has {MAX_NOTE + 2:,}).")
    expect(reason).to_be_focused()
    expect(other.get_by_test_id("milestone-status")).to_have_text("Waiting for your acceptance")
    reason.fill("")

    item.get_by_role("button", name="Accept milestone").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("USD 20,000.00 will be invoiced")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Accept \u201c{MAP}\u201d?")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-milestone-accept-dialog-1280.png")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(item.get_by_test_id("milestone-status")).to_have_text("Waiting for your acceptance")

    item.get_by_role("button", name="Accept milestone").click()
    dialog.get_by_role("button", name="Accept and invoice").click()
    expect(page.get_by_role("status").filter(has_text=f"{MAP} accepted. Thank you!")).to_be_visible()
    expect(item.get_by_test_id("milestone-status")).to_have_text("Accepted")
    expect(item.get_by_role("button", name="Accept milestone")).to_have_count(0)
    receipt = outbox(DEMO_CLIENT.email, f"Receipt: you accepted {MAP}")
    assert "USD 20,000.00 will be invoiced" in receipt and engagement in receipt

    # An itemised reason keeps its lines.
    reason.fill("- The totals row is missing\n- Weeks should start on Monday")
    other.get_by_role("button", name="Request changes").click()
    expect(other.get_by_test_id("milestone-status")).to_have_text("Changes requested")
    expect(other).to_contain_text("Your note: - The totals row is missing\n- Weeks should start on Monday")
    page.screenshot(path=artifacts / "portal-milestones-decided-1280.png", full_page=True)


def test_the_milestone_page_on_a_phone(new_page, artifacts, engagement, demo_session):
    page = new_page(PHONE, session_cookie=demo_session)
    page.goto(routes.PORTAL_ENGAGEMENTS)
    card = page.locator("article").filter(has_text=engagement)
    expect(card).to_contain_text(SCOPE)
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-milestones-375.png", full_page=True)
    # A blank request for changes on a phone: the message under the text area, which has the focus.
    other = page.locator("li").filter(has=page.get_by_role("button", name="Request changes")).first
    other.get_by_role("button", name="Request changes").click()
    reason = other.get_by_label("What should change?")
    expect(other.get_by_role("alert")).to_have_text("Say what should change, one item a line.")
    expect(reason).to_be_focused()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-request-changes-error-375.png")
    waiting = page.get_by_role("button", name="Accept milestone").first
    waiting.click()
    expect(page.get_by_role("alertdialog")).to_contain_text("will be invoiced")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-milestone-accept-dialog-375.png")
