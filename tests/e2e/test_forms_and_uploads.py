"""Forms that forgive and uploads that tell the truth, in a real browser: a contact form
with a typo is refused with focus on the field, fixed and sent; a refused file then an
accepted one on the portal's documents page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.marketing import spam
from fluxent.services.seed import DEMO_ENGAGEMENT
from tests.support.pages import DESKTOP, START_DEMO_SESSION

# Every browser test sends its forms from 127.0.0.1: start this one with that address's
# form allowance unused, whatever the tests before it sent.
FORGET_FORMS_SENT = f"""
from sqlalchemy import delete
from fluxent.core.db import session_scope
from fluxent.models.auth import AuthThrottle
with session_scope() as db:
    db.execute(delete(AuthThrottle).where(AuthThrottle.key.startswith({spam.LEAD_IP.scope + ":"!r})))
"""

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def test_a_contact_form_with_a_typo_is_fixed_and_sent(new_page, server, outbox, artifacts):
    server.python(FORGET_FORMS_SENT)
    page = new_page(DESKTOP)
    page.goto(server.url(routes.CONTACT))
    page.wait_for_load_state("networkidle")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("Work e-mail").fill("grace@navy")
    page.get_by_label("Country").fill("United States")
    page.get_by_label("How can we help?").fill("A compiler for our billing rules.")
    page.locator("#agree").check()
    page.wait_for_timeout(spam.MIN_FILL.total_seconds() * 1000 + 300)
    page.get_by_role("button", name="Send message").click()

    # The product's own message, no browser bubble; the summary names the field; focus is on it.
    summary = page.get_by_role("alert").filter(has_text="correct the highlighted fields")
    expect(summary.get_by_role("link", name="Work e-mail")).to_be_visible()
    expect(page.get_by_label("Work e-mail")).to_be_focused()
    expect(page.get_by_label("Work e-mail")).to_have_attribute("aria-invalid", "true")
    assert page.get_by_label("Work e-mail").evaluate("el => el.validationMessage") == ""

    page.get_by_label("Work e-mail").fill("grace@navy.example")
    page.get_by_role("button", name="Send message").click()
    thanks = page.locator("#lead-sent")
    expect(thanks).to_contain_text("Thank you, Grace")
    expect(thanks).to_be_focused()
    assert "What happens next" in outbox("grace@navy.example", "We have your message")
    page.screenshot(path=str(artifacts / "forms-contact-sent-1280.png"), full_page=True)


@pytest.mark.adds_to_demo_data
def test_a_refused_file_then_an_accepted_one(new_page, server, tmp_path, artifacts):
    session = server.python(START_DEMO_SESSION).strip().splitlines()[-1]
    page = new_page(DESKTOP, session_cookie=session)
    page.goto(routes.PORTAL_DOCUMENTS)
    upload = page.get_by_role("button", name="Upload", exact=True)
    expect(upload).to_be_disabled()  # nothing chosen yet
    picker = page.locator("#portal-document-upload input[type=file]")
    assert "application/pdf" in (picker.get_attribute("accept") or "")
    page.locator("#upload-target").select_option(label="Northwind Robotics (general)")

    picker.set_input_files(files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"<svg></svg>"}])
    expect(upload).to_be_enabled()
    upload.click()
    refusal = page.locator("#portal-document-upload-error")
    expect(refusal).to_contain_text("HTML, SVG and XML files are not accepted")
    expect(page.get_by_role("progressbar", name="Upload progress")).to_have_count(0)

    page.get_by_role("button", name="Remove the chosen file").click()
    expect(upload).to_be_disabled()
    notes = tmp_path / "handover notes.txt"
    notes.write_text("Hand-over notes\n" * 100)
    picker.set_input_files(str(notes))
    upload.click()
    expect(page.get_by_role("status").filter(has_text="handover notes.txt uploaded.")).to_be_visible()
    expect(refusal).to_have_text("")
    expect(upload).to_be_disabled()  # the chosen file is cleared
    row = page.locator("li").filter(has_text="handover notes.txt")
    expect(row).to_contain_text("by Dana Whitfield")

    # From an engagement, the uploader offers that engagement as the destination.
    page.goto(routes.PORTAL_ENGAGEMENTS)
    page.locator("article").filter(has_text=DEMO_ENGAGEMENT).get_by_role(
        "link", name="Share a document for this engagement"
    ).click()
    expect(page.locator("#upload-target option:checked")).to_contain_text(DEMO_ENGAGEMENT)
    page.screenshot(path=str(artifacts / "forms-upload-accepted-1280.png"), full_page=True)
