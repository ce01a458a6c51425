"""Console lists and pickers in a real browser: an administrator pages the open invoices,
filters them by status and by an organization found by typing, and assigns a staff member
found by typing; the changed console pages at 375 and 1280 px, none scrolling sideways."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_ENGAGEMENT, DEMO_ORGANIZATION, DEMO_OTHER_ORGANIZATION
from tests.support.pages import DESKTOP, PHONE, session_cookie, sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.adds_to_demo_data, pytest.mark.timeout(900)]

# 22 more drafts for Northwind (23 open and draft invoices with the seeded one: two pages) and
# a second staff member to find in the assign picker; prints the ids the test opens.
SETUP = f"""
import json
from datetime import datetime, timezone
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.accounts import organizations, users
from fluxent.services.billing import invoices, listings
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
    bluefin = organizations.search_organizations(db, actor=staff, query={DEMO_OTHER_ORGANIZATION!r}).items[0]
    today = datetime.now(timezone.utc).date()
    # What the lists should count now (other browser tests may have added invoices and engagements).
    print(json.dumps({{
        "northwind": northwind.id,
        "fleet": fleet.id,
        "pending": listings.staff_pending(db, actor=staff, today=today).total,
        "drafts": listings.staff_pending(db, actor=staff, today=today, status="draft").total,
        "bluefin_pending": listings.staff_pending(db, actor=staff, today=today, organization_id=bluefin.id).total,
        "bluefin_ledgers": listings.staff_ledgers(db, actor=staff, organization_id=bluefin.id).total,
        "northwind_engagements": engagements.list_engagements(db, actor=staff, organization_id=northwind.id).total,
    }}))
"""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _pages(total: int) -> int:
    return max(1, -(-total // 20))


def _look(page: Page, artifacts, name: str, width: int) -> None:
    assert sideways_overflow(page) <= 0, name
    page.screenshot(path=artifacts / f"console-lists-{name}-{width}.png", full_page=True)


def test_an_admin_pages_and_filters_invoices_and_assigns_staff_found_by_typing(server, new_page, artifacts):
    counts = json.loads(server.python(SETUP).strip().splitlines()[-1])
    northwind_id, fleet_id = counts["northwind"], counts["fleet"]
    assert counts["pending"] > 20 and counts["drafts"] >= 22  # at least two pages, whatever ran before
    cookie = session_cookie(server, DEMO_ADMIN.email)
    page = new_page(DESKTOP, session_cookie=cookie)

    page.goto(routes.ADMIN_BILLING)
    pending = page.locator("#pending")
    pages = _pages(counts["pending"])
    expect(page.get_by_test_id("pending-total")).to_have_text(_count(counts["pending"], "invoice"))
    expect(pending.get_by_test_id("pending-invoice")).to_have_count(20)
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text(f"Page 1 of {pages}")
    _look(page, artifacts, "billing", DESKTOP)
    pending.get_by_role("button", name="Next →").click()
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text(f"Page 2 of {pages}")
    expect(pending.get_by_test_id("pending-invoice")).to_have_count(min(20, counts["pending"] - 20))

    pending.locator("#invoice-search-status").select_option("draft")
    pending.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("pending-total")).to_have_text(_count(counts["drafts"], "invoice"))
    expect(pending.get_by_role("navigation", name="Pages")).to_contain_text(f"Page 1 of {_pages(counts['drafts'])}")

    page.get_by_test_id("billing-organization-filter").fill("bluef")
    choice = page.get_by_test_id("billing-organization")
    expect(choice.locator("option")).to_have_count(2)  # "Any organization" and Bluefin
    choice.select_option(label=DEMO_OTHER_ORGANIZATION)
    expect(page.get_by_test_id("pending-total")).to_have_text(_count(counts["bluefin_pending"], "invoice"))
    expect(page.get_by_test_id("ledger-total")).to_have_text(_count(counts["bluefin_ledgers"], "engagement"))
    expect(page.get_by_test_id("ledger")).to_contain_text("Route planning API")

    page.goto(routes.admin_engagement(fleet_id))
    page.get_by_test_id("assign-staff-filter").fill("quinn")
    picker = page.get_by_test_id("assign-staff")
    expect(picker.locator("option")).to_have_count(1)
    expect(picker.locator("option")).to_have_text("Quinn Harlow")
    page.locator("#staff").get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#staff li").filter(has_text="Quinn Harlow")).to_be_visible()
    expect(picker.locator("option")).to_have_count(0)
    _look(page, artifacts, "engagement", DESKTOP)

    page.goto(routes.admin_organization(northwind_id))
    expect(page.get_by_test_id("engagement-total")).to_have_text(_count(counts["northwind_engagements"], "engagement"))
    expect(page.get_by_test_id("document-total")).to_contain_text("document")
    _look(page, artifacts, "organization", DESKTOP)

    phone = new_page(PHONE, session_cookie=cookie)
    for name, url in (
        ("billing", routes.ADMIN_BILLING),
        ("engagement", routes.admin_engagement(fleet_id)),
        ("organization", routes.admin_organization(northwind_id)),
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
