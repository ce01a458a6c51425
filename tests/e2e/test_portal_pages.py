"""The portal's engagements and documents pages in a real browser, as the demo client owner."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_DOCUMENT, DEMO_ENGAGEMENT, DEMO_MILESTONES
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


@pytest.fixture
def demo_session(server) -> str:
    return server.python(START_DEMO_SESSION).strip().splitlines()[-1]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_engagements_page_shows_price_progress_and_the_milestone_to_decide(new_page, artifacts, demo_session, width):
    page = new_page(width, session_cookie=demo_session)
    page.goto(routes.PORTAL_ENGAGEMENTS)
    expect(page).to_have_title("Engagements · Fluxent Portal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagements")
    card = page.locator("article").filter(has_text=DEMO_ENGAGEMENT)
    expect(card.get_by_role("heading", level=2)).to_have_text(DEMO_ENGAGEMENT)
    expect(card.get_by_text("USD 12,000.00 accepted of USD 48,000.00")).to_be_visible()
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "25")
    waiting = card.locator("li").filter(has_text=DEMO_MILESTONES[1][0])
    expect(waiting.get_by_text("Waiting for your acceptance")).to_be_visible()
    expect(waiting.get_by_role("button", name="Accept milestone")).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"portal-engagements-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_documents_page_lists_and_downloads(new_page, artifacts, demo_session, width):
    page = new_page(width, session_cookie=demo_session)
    page.goto(routes.PORTAL_DOCUMENTS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    row = page.locator("li").filter(has_text=DEMO_DOCUMENT)
    link = row.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert response.headers["content-disposition"].startswith('attachment; filename="Statement of work.pdf"')
    assert response.headers["cache-control"] == "no-store"
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"portal-documents-{width}.png", full_page=True)


def test_upload_with_progress_then_listed(new_page, artifacts, demo_session, tmp_path):
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_DOCUMENTS)
    expect(page.locator("#upload-target")).to_have_value("")  # two organizations: the person picks
    page.locator("#upload-target").select_option(label="Northwind Robotics (general)")
    notes = tmp_path / "meeting notes.txt"
    notes.write_text("Kick-off notes\n" * 20_000)
    page.locator("#portal-document-upload input[type=file]").set_input_files(str(notes))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").filter(has_text="meeting notes.txt uploaded.")).to_be_visible()
    expect(page.locator("li").filter(has_text="meeting notes.txt")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Upload progress")).to_have_attribute("aria-valuenow", "100")
    page.screenshot(path=artifacts / "portal-documents-uploaded-1280.png", full_page=True)

    page.locator("#portal-document-upload input[type=file]").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"<html><script>alert(1)</script>"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert").filter(has_text="HTML, SVG and XML files are not accepted")).to_be_visible()
    expect(page.locator("li").filter(has_text="invoice.pdf")).to_have_count(0)


@pytest.mark.adds_to_demo_data  # later tests expect the demo milestone still waiting
def test_the_owner_accepts_a_milestone(new_page, artifacts, demo_session):
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_ENGAGEMENTS)
    waiting = page.locator("li").filter(has_text=DEMO_MILESTONES[1][0])
    waiting.get_by_role("button", name="Accept milestone").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Accept and invoice").click()
    expect(page.get_by_role("status").filter(has_text="accepted. Thank you!")).to_be_visible()
    expect(waiting.get_by_text("Accepted", exact=True)).to_be_visible()
    card = page.locator("article").filter(has_text=DEMO_ENGAGEMENT)
    expect(card.get_by_role("progressbar", name="Accepted share of the fixed price")).to_have_attribute(
        "aria-valuenow", "67"
    )
