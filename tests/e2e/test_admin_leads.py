"""The staff leads pipeline in a real browser: filter and search, a note, converting a lead.

Leads arrive through the lead service (as the contact form would send them); staff
sign in by a session created in the server's database; the rest goes through the pages.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_STAFF
from tests.support.browser_storage import check_browser_storage

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DESKTOP, PHONE = 1280, 375

SESSION_FOR = """
import sys
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, sys.argv[1]), ip="203.0.113.7", user_agent="e2e")
print(raw)
"""

# Two leads from the contact form; prints their ids as JSON.
SUBMIT_LEADS = """
from datetime import timedelta
import json
from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.services.marketing import leads, spam
ids = {}
people = [
    ("Hana Harbor", "hana@harbor.example", "Harbor Labs", "203.0.113.21"),
    ("Omar Reyes", "omar@reyes.example", "Reyes Shipping", "203.0.113.22"),
]
for name, email, company, ip in people:
    stamp = spam.new_stamp(clock=lambda: now() - timedelta(seconds=30))
    form = leads.LeadForm(name=name, email=email, company=company, country="Japan", agree=True, stamp=stamp,
                          message="We need a fleet tracker for 60 vans and their drivers.")
    with session_scope() as db:
        ids[name] = leads.submit(db, form, ip=ip).id
print(json.dumps(ids))
"""

CONVERSION = """
import json, sys
from sqlalchemy import select
from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization
from fluxent.models.auth import OneTimeToken
from fluxent.models.engagements import Engagement
from fluxent.models.marketing import Lead
with session_scope() as db:
    lead = db.get(Lead, int(sys.argv[1]))
    org = db.get(Organization, lead.organization_id)
    engagement = db.scalars(select(Engagement).where(Engagement.organization_id == org.id)).one()
    invited = db.scalars(select(OneTimeToken.email).where(OneTimeToken.organization_id == org.id)).all()
    print(json.dumps({"status": lead.status, "org": org.name, "engagement": [engagement.title, engagement.status,
                      engagement.fixed_price_minor, engagement.currency], "invited": invited}))
"""


def _python(server, code: str, *args: str) -> str:
    program = f"import sys; sys.argv = ['x', *{list(args)!r}]\n" + code
    return server.python(program).strip().splitlines()[-1]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _open_list(page: Page) -> None:
    """The list, after its load event filled it (it would reset a filter sent before)."""
    page.goto(routes.ADMIN_LEADS)
    expect(page.get_by_role("link", name="Hana Harbor")).to_be_visible()


def test_staff_filter_note_and_convert_a_lead(server, new_page, artifacts):
    ids = json.loads(_python(server, SUBMIT_LEADS))
    staff = _python(server, SESSION_FOR, DEMO_STAFF.email)
    page = new_page(DESKTOP, session_cookie=staff)

    _open_list(page)
    expect(page.get_by_role("link", name="Omar Reyes")).to_be_visible()
    page.get_by_label("Search").fill("harbor")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Omar Reyes")).to_have_count(0)
    expect(page.get_by_role("link", name="Hana Harbor")).to_be_visible()
    # The CSV follows the filters; a download link, so the page keeps its websocket.
    with page.expect_download() as download_info:
        page.get_by_test_id("leads-export").click()
    download = download_info.value
    assert download.suggested_filename == "leads.csv"
    exported = list(csv.DictReader(open(download.path(), encoding="utf-8", newline="")))
    assert [(row["name"], row["company"]) for row in exported] == [("Hana Harbor", "Harbor Labs")]
    expect(page.get_by_role("link", name="Hana Harbor")).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.get_by_role("link", name="Omar Reyes")).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("won")
    expect(page.get_by_text("No leads match these filters.")).to_be_visible()
    page.get_by_role("navigation", name="Leads per status").get_by_role("button", name="new").click()
    expect(page.get_by_role("link", name="Hana Harbor")).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "admin-leads-list-1280.png"), full_page=True)

    page.get_by_role("link", name="Hana Harbor").click()
    expect(page.get_by_role("heading", name="Hana Harbor", level=1)).to_be_visible()
    expect(page.get_by_text("No notes yet.")).to_be_visible()
    page.get_by_label("Add note").fill("Called Hana: pilot for 60 vans, start in March.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status").filter(has_text="Note added.")).to_be_visible()
    expect(page.get_by_role("list", name="Notes, newest first")).to_contain_text("pilot for 60 vans")

    page.get_by_role("button", name="Convert to client").click()  # nothing filled in: the browser asks first
    page.get_by_label("Engagement title").fill("Fleet tracker pilot")
    page.get_by_label("Fixed price").fill("25k")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Convert to client").click()
    expect(page.get_by_text("Enter the fixed price as a number")).to_have_count(2)  # the alert and the field's line
    page.get_by_label("Fixed price").fill("25,000")
    page.get_by_role("button", name="Convert to client").click()
    done = page.get_by_role("status").filter(has_text="an invitation went to")
    expect(done).to_contain_text("hana@harbor.example")
    expect(done).to_contain_text("Harbor Labs")
    expect(done.get_by_role("link", name="Open the engagement →")).to_have_attribute(
        "href", re.compile(r"^/admin/engagements/\d+$")
    )
    expect(done.get_by_role("link", name="Open the organization →")).to_have_attribute(
        "href", re.compile(r"^/admin/organizations/\d+$")
    )
    expect(page.get_by_label("Status", exact=True)).to_have_value("won")
    page.screenshot(path=str(artifacts / "admin-lead-converted-1280.png"), full_page=True)

    stored = json.loads(_python(server, CONVERSION, str(ids["Hana Harbor"])))
    assert stored == {
        "status": "won",
        "org": "Harbor Labs",
        "engagement": ["Fleet tracker pilot", "scoping", 2_500_000, "EUR"],
        "invited": ["hana@harbor.example"],
    }
    check_browser_storage(page)

    phone = new_page(PHONE, height=800, session_cookie=staff)
    _open_list(phone)
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "admin-leads-list-375.png"), full_page=True)
    phone.goto(routes.admin_lead(ids["Hana Harbor"]))
    expect(phone.get_by_text("Converted on")).to_contain_text("Harbor Labs")
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "admin-lead-converted-375.png"), full_page=True)
    phone.goto(routes.admin_lead(ids["Omar Reyes"]))
    expect(phone.get_by_role("button", name="Convert to client")).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "admin-lead-detail-375.png"), full_page=True)


def test_a_client_is_turned_away(server, new_page):
    client = _python(server, SESSION_FOR, DEMO_CLIENT.email)
    page = new_page(DESKTOP, session_cookie=client)
    page.goto(routes.ADMIN_LEADS)
    expect(page.get_by_role("alert").filter(has_text="Only Fluxent staff can see leads.")).to_be_visible()
    expect(page.get_by_role("link", name="Hana Harbor")).to_have_count(0)
