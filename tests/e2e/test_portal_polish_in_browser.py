"""First-time client polish in a real browser: the dashboard's Accept asks first, naming the
amount and the milestone's criteria and deliverables; an owner invites a colleague from the Team
page (a refused address is named and focused first); a PDF opens in a preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_DOCUMENT, DEMO_ORGANIZATION, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

HANDOVER = "Polish hand-over"
CRITERIA = "The runbook covers restarts\nOn-call can deploy alone"
ADD_HANDOVER = f"""
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
from fluxent.services.portal.deliverables import Deliverable
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title="Operations hand-over",
                                      scope_summary="Runbooks and a deploy pipeline the team runs alone.",
                                      fixed_price_minor=2_000_000, currency="USD", staff_ids=[staff.id])
    m = milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={HANDOVER!r}, amount_minor=2_000_000,
                                 description="Runbooks, alerts and a rehearsed deploy.",
                                 acceptance_criteria={CRITERIA!r},
                                 deliverables=[Deliverable(label="Runbook", url="https://runbooks.example.test/fleet")])
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


@pytest.mark.adds_to_demo_data
def test_the_dashboards_accept_names_the_amount_first(new_page, artifacts, server, demo_session, outbox):
    server.python(ADD_HANDOVER)
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL)
    item = page.get_by_test_id("action-item").filter(has_text=HANDOVER)
    item.get_by_role("button", name="Accept milestone").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("USD 20,000.00 will be invoiced")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Accept \u201c{HANDOVER}\u201d?")
    expect(dialog.get_by_test_id("acceptance-criteria")).to_have_text(CRITERIA)
    expect(dialog.get_by_role("link", name="Runbook")).to_have_attribute("href", "https://runbooks.example.test/fleet")
    expect(dialog).to_contain_text("Runbooks and a deploy pipeline the team runs alone.")
    page.screenshot(path=artifacts / "portal-dashboard-accept-dialog-1280.png")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)

    page.set_viewport_size({"width": PHONE, "height": 800})
    item.get_by_role("button", name="Accept milestone").click()
    expect(dialog).to_contain_text("USD 20,000.00 will be invoiced")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "portal-dashboard-accept-dialog-375.png")
    dialog.get_by_role("button", name="Accept and invoice").click()
    expect(page.get_by_role("status").filter(has_text=f"{HANDOVER} accepted. Thank you!")).to_be_visible()
    expect(item).to_have_count(0)
    assert "USD 20,000.00 will be invoiced" in outbox(DEMO_CLIENT.email, f"Receipt: you accepted {HANDOVER}")

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(routes.PORTAL_ENGAGEMENTS)
    card = page.locator("article").filter(has_text="Operations hand-over")
    expect(card.get_by_test_id("acceptance-criteria")).to_have_text(CRITERIA)
    expect(card.get_by_role("link", name="Runbook")).to_be_visible()
    card.screenshot(path=artifacts / "portal-engagement-criteria-1280.png")


@pytest.mark.adds_to_demo_data
def test_an_owner_invites_a_colleague(new_page, artifacts, demo_session, outbox):
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_TEAM)
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    address = page.get_by_label("E-mail address")
    address.fill("colleague at northwind")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.get_by_role("alert").filter(has_text="Enter a valid e-mail address.").first
    expect(summary).to_be_visible()
    expect(page.get_by_role("link", name="E-mail address")).to_be_visible()  # the summary names the field
    expect(address).to_be_focused()
    expect(address).to_have_attribute("aria-invalid", "true")
    assert address.evaluate("el => el.form.noValidate")  # the page's messages, never the browser's bubble
    page.screenshot(path=artifacts / "portal-team-error-1280.png", full_page=True)

    address.fill("new.colleague@northwind.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").filter(has_text="Invitation sent.")).to_be_visible()
    pending = page.get_by_test_id("pending-invitation").filter(has_text="new.colleague@northwind.example")
    expect(pending).to_be_visible()
    mail = outbox("new.colleague@northwind.example", "invited you to")
    assert "/invite/" in mail
    page.screenshot(path=artifacts / "portal-team-1280.png", full_page=True)
    pending.get_by_role("button", name="Resend the invitation to new.colleague@northwind.example").click()
    expect(page.get_by_role("status").filter(has_text="Invitation sent again")).to_be_visible()

    phone = new_page(PHONE, session_cookie=demo_session)
    phone.goto(routes.PORTAL_TEAM)
    expect(phone.get_by_test_id("pending-invitation").first).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "portal-team-375.png", full_page=True)


def test_a_pdf_opens_in_a_preview(new_page, artifacts, demo_session):
    for width in (DESKTOP, PHONE):
        page = new_page(width, session_cookie=demo_session)
        page.goto(routes.PORTAL_DOCUMENTS)
        page.get_by_role("button", name=f"Preview {DEMO_DOCUMENT}").first.click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_role("heading")).to_have_text(DEMO_DOCUMENT)
        first = dialog.get_by_role("img", name="Page 1")
        expect(first).to_be_visible()
        page.wait_for_function("() => document.querySelector('[data-testid=preview-pages] img')?.naturalWidth > 0")
        _no_sideways_scroll(page)
        page.screenshot(path=artifacts / f"portal-document-preview-{width}.png")
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_have_count(0)
