"""Billing in a real browser, as people do it: the client accepts a milestone, staff draft its
invoice in one click and issue it, the client's owner gets the e-mail, pays on the (stand-in)
hosted card page, the signed webhook marks the invoice paid, and the invoice page and the
staff ledger show it. Screenshots at 1280 and 375 px land in tests/e2e/artifacts/."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

START_STAFF_SESSION = START_DEMO_SESSION.replace("DEMO_CLIENT", "DEMO_STAFF").replace(
    repr(DEMO_CLIENT.email), repr(DEMO_STAFF.email)
)
BILLED_ENGAGEMENT = "Fleet billing pilot"
BILLED_AMOUNT = 250_000
BILLED_MILESTONE = "Billing pilot delivery"
# Its own engagement with one submitted milestone, so accepting and invoicing it leaves the demo
# engagement as the seed made it for the other browser tests: prints the engagement's id.
ADD_BILLED_ENGAGEMENT = f"""
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title={BILLED_ENGAGEMENT!r},
                                      fixed_price_minor={BILLED_AMOUNT}, currency="USD", staff_ids=[staff.id])
    m = milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={BILLED_MILESTONE!r},
                                 amount_minor={BILLED_AMOUNT})
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
    milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    print(e.id)
"""


def _cookie(server, snippet: str) -> str:
    return server.python(snippet).strip().splitlines()[-1]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _shoot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)


@pytest.mark.adds_to_demo_data
def test_accept_draft_issue_pay_and_see_it_paid(server, new_page, artifacts, outbox):
    client = new_page(DESKTOP, session_cookie=_cookie(server, START_DEMO_SESSION))
    staff = new_page(DESKTOP, session_cookie=_cookie(server, START_STAFF_SESSION))

    # The client's owner accepts the milestone waiting for her.
    engagement_id = server.python(ADD_BILLED_ENGAGEMENT).strip().splitlines()[-1]
    client.goto(routes.PORTAL)
    waiting = client.get_by_role("region", name="Needs your action").get_by_test_id("action-item")
    waiting.filter(has_text=BILLED_MILESTONE).get_by_role("button", name="Accept milestone").click()
    client.get_by_role("alertdialog").get_by_role("button", name="Accept and invoice").click()
    expect(client.get_by_role("status").filter(has_text=f"{BILLED_MILESTONE} accepted")).to_be_visible()

    # Staff draft its invoice in one click, and issue it.
    staff.goto(routes.admin_engagement(int(engagement_id)))
    expect(staff.get_by_test_id("ledger")).to_contain_text(BILLED_ENGAGEMENT)
    staff.get_by_role("button", name=f"Draft the invoice of {BILLED_MILESTONE}").click()
    expect(staff).to_have_url(re.compile(r"/portal/invoices/\d+$"))
    expect(staff.get_by_test_id("invoice-status")).to_have_text("Draft")
    _shoot(staff, artifacts, "billing-draft-invoice-1280")
    staff.get_by_role("button", name="Issue invoice").click()
    expect(staff.get_by_test_id("invoice-status")).to_have_text("Due")
    number = staff.get_by_test_id("invoice-number").inner_text().removeprefix("Invoice ").strip()
    assert re.fullmatch(r"FLX-\d{4}-\d{4}", number), number
    invoice_path = urlsplit(staff.url).path

    # The owner gets the e-mail with the invoice's link, and pays on the hosted page.
    mail = outbox(DEMO_CLIENT.email, f"Invoice {number}")
    assert server.base_url + invoice_path in mail
    client.goto(invoice_path)
    expect(client.get_by_test_id("invoice-status")).to_have_text("Due")
    _shoot(client, artifacts, "billing-invoice-1280")
    client.get_by_test_id("pay").click()
    expect(client).to_have_url(re.compile(re.escape(server.payments.url) + r"/pay/cs_test_\w+$"))
    expect(client.get_by_role("heading", level=1)).to_have_text(number)
    client.get_by_role("button", name="Pay", exact=True).click()
    expect(client).to_have_url(re.compile(r"/portal/billing/paid/?\?invoice=\d+$"))
    expect(client.get_by_role("heading", level=1)).to_have_text("Thank you for your payment")

    # The webhook marks it paid: the invoice page and the staff ledger show it.
    deadline = time.monotonic() + 20
    while True:
        client.goto(invoice_path)
        expect(client.get_by_test_id("invoice-status")).not_to_have_text("")
        if client.get_by_test_id("invoice-status").inner_text() == "Paid" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(client.get_by_test_id("invoice-status")).to_have_text("Paid")
    expect(client.get_by_test_id("pay")).to_have_count(0)
    assert number in outbox(DEMO_CLIENT.email, f"Receipt: invoice {number}")
    staff.goto(routes.ADMIN_BILLING)
    ledger_row = staff.get_by_test_id("ledger").get_by_role("row").filter(has_text=BILLED_ENGAGEMENT)
    expect(ledger_row).to_contain_text(f"USD {BILLED_AMOUNT / 100:,.2f}")  # fixed price, accepted, invoiced, paid
    _shoot(staff, artifacts, "billing-admin-1280")

    client.goto(routes.PORTAL_INVOICES)
    expect(client.get_by_role("link", name=re.compile(number))).to_contain_text("Paid")
    _shoot(client, artifacts, "billing-invoices-1280")
    client.goto(routes.PORTAL_BILLING)
    expect(client.get_by_label("Billing e-mail")).to_have_value("accounts@northwind.example")
    _shoot(client, artifacts, "billing-profile-1280")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_billing_pages_fit_the_screen(server, new_page, artifacts, width):
    page = new_page(width, session_cookie=_cookie(server, START_DEMO_SESSION))
    for route, name in (
        (routes.PORTAL_INVOICES, "invoices"),
        (routes.PORTAL_BILLING, "profile"),
    ):
        page.goto(route)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _no_sideways_scroll(page)
        _shoot(page, artifacts, f"billing-{name}-{width}")
    page.goto(routes.PORTAL_INVOICES)
    page.locator("a[href^='/portal/invoices/']").first.click()
    expect(page.get_by_test_id("invoice-status")).to_be_visible()
    _no_sideways_scroll(page)
    _shoot(page, artifacts, f"billing-invoice-{width}")
