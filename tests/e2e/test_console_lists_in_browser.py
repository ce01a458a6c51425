"""Console lists and pickers in a real browser: an administrator pages the open invoices,
filters them by status and by an organization found by typing, and assigns a staff member
found by typing; the changed console pages at 375 and 1280 px, none scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_ENGAGEMENT, DEMO_ORGANIZATION, DEMO_OTHER_ORGANIZATION
from tests.support.pages import DESKTOP, PHONE, session_cookie, sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.adds_to_demo_data, pytest.mark.timeout(900)]

# 22 more drafts for Northwind (23 open and draft invoices with the seeded one: two pages) and
# a second staff member to find in the assign picker; prints the ids the test opens.
SETUP = f"""
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.accounts import organizations, users
from fluxent.services.billing import invoices
from fluxent.services.portal import engagements
with session_scope() as db:
    staff = users.user_by_email(db, "staff@demo.fluxent.tech")
    northwind = organizations.search_organizations(db, actor=staff, query={DEMO_ORGANIZATION!r}).items[0]
    for number in range(22):
        invoices.create_invoice(
            db, actor=staff, organization_id=northwind.id, currency="USD",
            lines=[invoices.LineInput(f"Support hours {{number}}", 5_000)],
        )
    if users.user_by_email(db, "quinn.harlow@fluxent.tech") is None:
        users.create_user(db, email="quinn.harlow@fluxent.tech", password=None, role=Role.STAFF, name="Quinn Harlow")
    fleet = engagements.list_engagements(db, actor=staff, query={DEMO_ENGAGEMENT!r}).items[0]
    print(northwind.id, fleet.id)
"""


def _look(page: Page, artifacts, name: str, width: int) -> None:
    assert sideways_overflow(page) <= 0, name
    page.screenshot(path=artifacts / f"console-lists-{name}-{width}.png", full_page=True)


def test_an_admin_pages_and_filters_invoices_and_assigns_staff_found_by_typing(server, new_page, artifacts):
    northwind_id, fleet_id = server.python(SETUP).strip().splitlines()[-1].split()
    cookie = session_cookie(server, DEMO_ADMIN.email)
    page = new_page(DESKTOP, session_cookie=cookie)

    page.goto(routes.ADMIN_BILLING)
    pending = page.locator("#pending")
    expect(page.get_by_test_id("pending-total")).to_have_text("23 invoices")
    expect(pending.get_by_test_id("pending-invoice")).to_have_count(20)
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 of 2")
    _look(page, artifacts, "billing", DESKTOP)
    pending.get_by_role("button", name="Next →").click()
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text("Page 2 of 2")
    expect(pending.get_by_test_id("pending-invoice")).to_have_count(3)

    pending.locator("#invoice-search-status").select_option("draft")
    pending.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("pending-total")).to_have_text("22 invoices")
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 of 2")

    page.get_by_test_id("billing-organization-filter").fill("bluef")
    choice = page.get_by_test_id("billing-organization")
    expect(choice.locator("option")).to_have_count(2)  # "Any organization" and Bluefin
    choice.select_option(label=DEMO_OTHER_ORGANIZATION)
    expect(page.get_by_test_id("pending-total")).to_have_text("0 invoices")
    expect(page.get_by_test_id("ledger-total")).to_have_text("1 engagement")
    expect(page.get_by_test_id("ledger")).to_contain_text("Route planning API")

    page.goto(routes.admin_engagement(int(fleet_id)))
    page.get_by_test_id("assign-staff-filter").fill("quinn")
    picker = page.get_by_test_id("assign-staff")
    expect(picker.locator("option")).to_have_count(1)
    expect(picker.locator("option")).to_have_text("Quinn Harlow")
    page.locator("#staff").get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#staff li").filter(has_text="Quinn Harlow")).to_be_visible()
    expect(picker.locator("option")).to_have_count(0)
    _look(page, artifacts, "engagement", DESKTOP)

    page.goto(routes.admin_organization(int(northwind_id)))
    expect(page.get_by_test_id("engagement-total")).to_have_text("1 engagement")
    expect(page.get_by_test_id("document-total")).to_contain_text("document")
    _look(page, artifacts, "organization", DESKTOP)

    phone = new_page(PHONE, session_cookie=cookie)
    for name, url in (
        ("billing", routes.ADMIN_BILLING),
        ("engagement", routes.admin_engagement(int(fleet_id))),
        ("organization", routes.admin_organization(int(northwind_id))),
        ("documents", routes.PORTAL_DOCUMENTS),
        ("envelopes", routes.ADMIN_ENVELOPES),
    ):
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1).first).to_be_visible()
        phone.wait_for_load_state("networkidle")
        _look(phone, artifacts, name, PHONE)
    page.goto(routes.PORTAL_DOCUMENTS)
    expect(page.locator("#upload-target")).to_be_visible()
    _look(page, artifacts, "documents", DESKTOP)
    page.goto(routes.ADMIN_ENVELOPES)
    expect(page.get_by_test_id("envelope-total")).to_contain_text("envelope")
    _look(page, artifacts, "envelopes", DESKTOP)
