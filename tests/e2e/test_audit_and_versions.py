"""In a real browser: an administrator filters the audit log, verifies the chain and exports the
range; staff upload a new version of the statement of work and the client downloads the old one."""

from __future__ import annotations

import csv
import json

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_CLIENT, DEMO_DOCUMENT, DEMO_STAFF
from tests.support.esign import make_pdf
from tests.support.pages import DESKTOP, PHONE

ACCEPTED = "engagements.milestone_accepted"  # the seed's first milestone, accepted by the demo client

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900), pytest.mark.adds_to_demo_data]

SESSION_FOR = """
import sys
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, sys.argv[1]), ip="203.0.113.7", user_agent="e2e")
print(raw)
"""

NORTHWIND = """
from sqlalchemy import select
from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization
with session_scope() as db:
    print(db.scalars(select(Organization.id).where(Organization.name == "Northwind Robotics")).one())
"""

LAST_EXPORT = """
from sqlalchemy import select
from fluxent.core.db import session_scope
from fluxent.models.audit import AuditEvent
with session_scope() as db:
    print(db.scalars(select(AuditEvent.meta).where(AuditEvent.action == "audit.exported").order_by(AuditEvent.seq.desc())).first())
"""


def _python(server, code: str, *args: str) -> str:
    program = f"import sys; sys.argv = ['x', *{list(args)!r}]\n" + code
    return server.python(program).strip().splitlines()[-1]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_an_admin_filters_verifies_and_exports_the_audit_log(server, new_page, artifacts):
    admin = _python(server, SESSION_FOR, DEMO_ADMIN.email)
    page = new_page(DESKTOP, session_cookie=admin)
    page.goto(routes.ADMIN)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    expect(page.get_by_test_id("audit-event").first).to_be_visible()

    page.get_by_role("button", name="Verify now").click()
    status = page.get_by_test_id("chain-status")
    expect(status).to_have_attribute("data-chain", "ok")
    expect(status).to_contain_text("OK")

    page.get_by_label("Person", exact=True).fill("dana")
    page.get_by_label("Action", exact=True).select_option(ACCEPTED)
    page.get_by_role("button", name="Apply filters").click()
    events = page.get_by_test_id("audit-event")
    expect(events.first).to_contain_text(ACCEPTED)
    expect(events.first.get_by_test_id("event-actor")).to_have_text(f"{DEMO_CLIENT.name} <{DEMO_CLIENT.email}>")
    expect(events.filter(has_not_text=ACCEPTED)).to_have_count(0)
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "admin-audit-1280.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("audit-export-csv").click()
    rows = list(csv.DictReader(open(download_info.value.path(), encoding="utf-8", newline="")))
    assert rows and {row["action"] for row in rows} == {ACCEPTED}
    assert json.loads(_python(server, LAST_EXPORT)) == {"action": ACCEPTED, "format": "csv", "by_person": True}
    with page.expect_download() as download_info:
        page.get_by_test_id("audit-export-json").click()
    exported = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert [item["seq"] for item in exported] == [int(row["seq"]) for row in rows]

    page.get_by_label("From", exact=True).fill("2026-03-05")
    page.get_by_label("To", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("The range ends before it starts.").first).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_label("Person", exact=True)).to_have_value("")

    phone = new_page(PHONE, height=800, session_cookie=admin)
    phone.goto(routes.ADMIN_AUDIT)
    expect(phone.get_by_test_id("audit-event").first).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "admin-audit-375.png"), full_page=True)


def test_staff_who_are_not_administrators_are_refused(server, new_page):
    staff = _python(server, SESSION_FOR, DEMO_STAFF.email)
    page = new_page(DESKTOP, session_cookie=staff)
    page.goto(routes.ADMIN_AUDIT)
    expect(page.get_by_test_id("console-denied")).to_have_text("Only administrators can read the audit log.")
    expect(page.get_by_test_id("audit-event")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    answer = page.request.get(routes.API_AUDIT_EXPORT)
    assert answer.status == 403


def test_a_new_version_of_the_statement_of_work_and_the_old_one_downloaded(server, new_page, artifacts, tmp_path):
    staff = _python(server, SESSION_FOR, DEMO_STAFF.email)
    console = new_page(DESKTOP, session_cookie=staff)
    console.goto(routes.admin_organization(int(_python(server, NORTHWIND))))
    row = console.get_by_test_id("document-row").filter(has_text=DEMO_DOCUMENT)
    row.get_by_role("button", name=f"Show the versions of {DEMO_DOCUMENT}").click()
    versions = console.get_by_test_id("document-version")
    expect(versions).to_have_count(1)
    expect(versions.first).to_contain_text("by Priya Raman (Fluxent)")
    revised = tmp_path / "Statement of work v2.pdf"
    # A readable PDF: later browser tests place signature fields on the demo statement of work.
    revised.write_bytes(make_pdf(2, title="Statement of work, revised scope"))
    console.locator("#document-version-upload input[type=file]").set_input_files(str(revised))
    console.get_by_role("button", name="Upload new version").click()
    expect(console.get_by_role("status").filter(has_text="Statement of work v2.pdf uploaded.")).to_be_visible()
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("v2")
    console.screenshot(path=str(artifacts / "admin-document-versions-1280.png"), full_page=True)

    client = _python(server, SESSION_FOR, DEMO_CLIENT.email)
    for width in (DESKTOP, PHONE):
        page = new_page(width, session_cookie=client)
        page.goto(routes.PORTAL_DOCUMENTS)
        row = page.get_by_test_id("document-row").filter(has_text="Statement of work v2.pdf")
        expect(row).to_contain_text("v2")
        row.get_by_role("button", name="Show the versions of Statement of work v2.pdf").click()
        listed = page.get_by_test_id("document-version")
        expect(listed).to_have_count(2)
        expect(page.get_by_role("button", name="Upload new version")).to_have_count(0)  # a staff document
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / f"portal-document-versions-{width}.png"), full_page=True)
    with page.expect_download() as download_info:
        listed.filter(has_text="v1").get_by_role("link", name="Download v1").click()
    download = download_info.value
    assert download.suggested_filename == DEMO_DOCUMENT
    assert (
        open(download.path(), "rb").read().startswith(b"%PDF-")
        and b"revised scope" not in open(download.path(), "rb").read()
    )
