"""A privacy request in a real browser: a lead with no account asks for their data through the
public form and confirms the e-mailed code; an administrator fulfils it from the desk; the
lead's e-mail carries the export link, which downloads the export document; the desk shows
the clock and the audited steps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600), pytest.mark.adds_to_demo_data]

LEAD = "lena@lindqvist.example"
MESSAGE = "We need a booking system for 14 clinics."

SUBMIT_LEAD = f"""
from datetime import timedelta
from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.services.marketing import leads, spam
stamp = spam.new_stamp(clock=lambda: now() - timedelta(seconds=30))
form = leads.LeadForm(name="Lena Lindqvist", email={LEAD!r}, country="Sweden", agree=True, stamp=stamp,
                      message={MESSAGE!r})
with session_scope() as db:
    print(leads.submit(db, form, ip="203.0.113.41").id)
"""

SESSION_FOR = """
import sys
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, sys.argv[1]), ip="203.0.113.7", user_agent="e2e")
print(raw)
"""


def _python(server, code: str, *args: str) -> str:
    program = f"import sys; sys.argv = ['x', *{list(args)!r}]\n" + code
    return server.python(program).strip().splitlines()[-1]


def _ask_for_my_data(page: Page, outbox) -> str:
    page.goto(routes.PRIVACY_REQUEST)
    form = page.get_by_role("form", name="Privacy request form")
    expect(form).to_be_visible()
    form.get_by_label("What you would like us to do").select_option("access")
    form.get_by_label("Your e-mail address").fill(LEAD)
    form.get_by_label("Your name").fill("Lena Lindqvist")
    page.wait_for_timeout(3500)  # the form's stamp refuses a submission in under three seconds
    form.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("We e-mailed a six-digit code to")).to_be_visible()
    mail = outbox(LEAD, "Your confirmation code")
    code = re.search(r"code is (\d{6})\.", mail).group(1)
    reference = re.search(r"PR-\d+", mail).group(0)
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("privacy-request-done")).to_contain_text(f"Request {reference} is confirmed")
    return reference


def test_a_lead_gets_their_data_through_the_desk(server, new_page, outbox, artifacts, assert_browser_storage):
    _python(server, SUBMIT_LEAD)
    visitor = new_page(1280)
    reference = _ask_for_my_data(visitor, outbox)
    assert_browser_storage(visitor)

    admin = new_page(1280, session_cookie=_python(server, SESSION_FOR, DEMO_ADMIN.email))
    admin.goto(routes.ADMIN_PRIVACY_REQUESTS)
    row = admin.get_by_test_id("privacy-request-row").filter(has_text=reference)
    expect(row).to_contain_text("identity confirmed")
    expect(row).to_contain_text("On time")
    expect(row).to_have_attribute("data-clock", "on_time")
    row.get_by_role("button", name=f"Open {reference}").click()
    desk = admin.locator("#privacy-request")
    expect(desk).to_contain_text("45 days left")
    desk.get_by_role("button", name="E-mail the data export").click()
    expect(admin.get_by_role("status").filter(has_text="The export link was e-mailed")).to_be_visible()

    mail = outbox(LEAD, "Your personal data from Fluxent")
    link = re.search(r"https?://\S+/api/v1/privacy-requests/exports/[A-Za-z0-9_-]+/", mail).group(0)
    answer = visitor.request.get(link)
    assert answer.status == 200 and "attachment" in answer.headers["content-disposition"]
    document = answer.json()
    assert [lead["message"] for lead in document["leads"]] == [MESSAGE]
    assert document["privacy_requests"][0]["kind"] == "access"

    admin.reload()
    admin.get_by_test_id("privacy-request-row").filter(has_text=reference).get_by_role("button").click()
    steps = admin.locator("#privacy-request")
    for action in ("privacy.request_received", "privacy.request_confirmed", "privacy.export_link_sent"):
        expect(steps).to_contain_text(action)
    expect(steps).to_contain_text("Marcus Cole")
    admin.screenshot(path=str(artifacts / "admin-privacy-requests-1280.png"), full_page=True)
