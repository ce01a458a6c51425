"""Console lists and staff profiles in a real browser: an administrator filters the organizations
list, edits a staff member's bio, links and photo in the drawer, and the Team page shows the
photo; screenshots at 375 and 1280 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_STAFF
from tests.e2e.test_admin_console import _no_sideways_scroll, _session, _status, open_drawer, staff_profile_restored
from tests.support.images import camera_jpeg
from tests.support.pages import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
__all__ = ["staff_profile_restored"]  # the fixture, for this module's test


def test_an_admin_filters_a_list_and_gives_a_staff_member_a_photo(
    server, new_page, artifacts, tmp_path, staff_profile_restored
):
    cookie = _session(server, DEMO_ADMIN.email)
    page = new_page(DESKTOP, session_cookie=cookie)

    page.goto(routes.ADMIN_ORGANIZATIONS)
    expect(page.get_by_role("form", name="New organization")).to_be_visible()
    page.get_by_label("Search by name").fill("northwind")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("organization-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Northwind Robotics")
    expect(rows.first).to_contain_text(re.compile(r"\d+ (person|people)"))
    expect(page.get_by_test_id("organization-total")).to_have_text("1 organization")
    expect(page.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 of 1")
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "console-organizations-1280.png", full_page=True)

    page.goto(routes.ADMIN_STAFF)
    page.get_by_label("Role", exact=True).select_option("staff")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("staff-row")).to_have_count(1)
    expect(page.get_by_test_id("staff-row")).to_contain_text(DEMO_STAFF.name)

    drawer = open_drawer(page, DEMO_STAFF.name)
    expect(drawer.get_by_test_id("staff-email")).to_have_text(DEMO_STAFF.email)
    drawer.get_by_label("Bio").fill("Builds fleet software with the people who run the fleet.")
    drawer.get_by_label("Links").fill("javascript:alert(1)")
    drawer.get_by_role("button", name="Save").click()
    expect(drawer.get_by_text("Links start with https://", exact=False).first).to_be_visible()
    drawer.get_by_label("Links").fill("https://github.com/priya-raman")
    drawer.get_by_role("button", name="Save").click()
    expect(_status(page, "Staff member saved.")).to_be_visible()

    drawer = open_drawer(page, DEMO_STAFF.name)
    photo = tmp_path / "priya.jpg"
    photo.write_bytes(camera_jpeg())
    drawer.locator("#staff-photo-upload input[type=file]").set_input_files(str(photo))
    drawer.get_by_role("button", name="Upload photo").click()
    expect(_status(page, "Photo saved.")).to_be_visible()
    expect(drawer.get_by_role("button", name="Remove photo")).to_be_visible()
    page.screenshot(path=artifacts / "console-staff-drawer-1280.png", full_page=True)
    drawer.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    for width in (DESKTOP, PHONE):
        visitor = new_page(width)
        visitor.goto(routes.TEAM)
        card = visitor.get_by_test_id("team-member").filter(has_text=DEMO_STAFF.name)
        portrait = card.get_by_role("img", name=DEMO_STAFF.name)
        expect(portrait).to_be_visible()
        expect(portrait).to_have_attribute("src", re.compile(r"/api/v1/team/\d+/photo/\?v=\d+$"))
        portrait.scroll_into_view_if_needed()  # it loads lazily
        visitor.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=portrait.element_handle())
        assert portrait.evaluate("(img) => img.naturalWidth") == 400
        expect(card).to_contain_text("Builds fleet software")
        expect(card.get_by_role("link", name="github.com/priya-raman")).to_have_attribute(
            "href", "https://github.com/priya-raman"
        )
        _no_sideways_scroll(visitor)
        visitor.screenshot(path=artifacts / f"team-{width}.png", full_page=True)

    phone = new_page(PHONE, session_cookie=cookie)
    phone.goto(routes.ADMIN_STAFF)
    open_drawer(phone, DEMO_STAFF.name)
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "console-staff-drawer-375.png", full_page=True)
    phone.goto(routes.ADMIN_ORGANIZATIONS)
    expect(phone.get_by_test_id("organization-row").first).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "console-organizations-375.png", full_page=True)


def test_the_site_pages_show_quotes_the_latest_issue_list_markers_and_the_legal_contents(server, new_page, artifacts):
    for width in (DESKTOP, PHONE):
        visitor = new_page(width)
        visitor.goto(routes.CASE_STUDIES)
        expect(visitor.get_by_test_id("client-quote")).to_have_count(2)
        visitor.screenshot(path=artifacts / f"case-studies-{width}.png", full_page=True)
        visitor.goto(routes.case_study("freight-brokerage-quote-desk"))
        expect(visitor.get_by_test_id("client-quote")).to_contain_text("Head of brokerage operations")
        _no_sideways_scroll(visitor)
        visitor.screenshot(path=artifacts / f"case-study-{width}.png", full_page=True)

        visitor.goto(routes.NEWSLETTER)
        expect(visitor.get_by_test_id("latest-issue")).to_contain_text("acceptance checklist")
        _no_sideways_scroll(visitor)
        visitor.screenshot(path=artifacts / f"newsletter-{width}.png", full_page=True)

        visitor.goto(routes.resource("milestone-acceptance-checklist"))
        marker = visitor.locator("article li").first
        assert marker.evaluate("(li) => getComputedStyle(li.parentElement).listStyleType") in ("disc", "decimal")
        visitor.screenshot(path=artifacts / f"resource-checklist-{width}.png", full_page=True)

        visitor.goto(routes.PRIVACY_POLICY)
        if width == PHONE:
            folded = visitor.get_by_test_id("policy-contents-folded")
            folded.get_by_text("On this page").click()
            folded.get_by_role("link").nth(1).click()
            expect(visitor).to_have_url(re.compile(r"#"))
        else:
            expect(visitor.get_by_role("navigation", name="On this page").last).to_be_visible()
        _no_sideways_scroll(visitor)
        visitor.screenshot(path=artifacts / f"privacy-policy-{width}.png", full_page=True)
