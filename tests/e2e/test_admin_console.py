"""The staff console in a real browser: staff set up a client (organization, invitation,
engagement with milestones that add up, one submitted); an administrator edits a staff
member's title and Team-page listing and the public Team page shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

START_SESSION = """
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, {email!r}))
print(raw)
"""


def _session(server, email: str) -> str:
    return server.python(START_SESSION.format(email=email)).strip().splitlines()[-1]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _status(page: Page, text: str):
    return page.get_by_test_id("action-notice").filter(has_text=text)


def test_staff_set_up_a_client_and_submit_a_milestone(
    server, new_page, artifacts, outbox, tmp_path, assert_browser_storage
):
    cookie = _session(server, DEMO_STAFF.email)
    page = new_page(DESKTOP, session_cookie=cookie)

    page.goto(routes.ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    expect(page.get_by_test_id("stat-organizations")).to_have_text(re.compile(r"^\d+$"))
    expect(
        page.get_by_role("navigation", name="Portal").first.get_by_role("link", name="Organizations")
    ).to_be_attached()
    page.screenshot(path=artifacts / "admin-console-1280.png", full_page=True)

    # A new organization.
    page.goto(routes.ADMIN_ORGANIZATIONS)
    expect(page.get_by_role("link", name="Northwind Robotics")).to_be_visible()
    create = page.get_by_role("form", name="New organization")
    create.get_by_label("Name", exact=True).fill("Harbor Analytics")
    create.get_by_role("button", name="Create organization").click()
    expect(page).to_have_url(re.compile(r"/admin/organizations/\d+$"))
    expect(page.get_by_test_id("organization-name")).to_have_text("Harbor Analytics")

    # Its first owner, invited by e-mail.
    invite = page.get_by_role("form", name="Invite someone")
    invite.get_by_label("E-mail", exact=True).fill("lena@harbor.test")
    invite.get_by_label("Role", exact=True).select_option("owner")
    invite.get_by_role("button", name="Send invitation").click()
    expect(_status(page, "Invitation sent to lena@harbor.test.")).to_be_visible()
    pending = page.locator("#people li").filter(has_text="lena@harbor.test")
    expect(pending).to_contain_text("Invited as owner")
    assert "/invite/" in outbox("lena@harbor.test", "invited you to Harbor Analytics")
    organization_url = page.url

    # A document for the organization, then deleted.
    notes = tmp_path / "kick-off notes.txt"
    notes.write_text("Kick-off notes\n" * 200)
    page.locator("#admin-organization-upload input[type=file]").set_input_files(str(notes))
    page.get_by_role("button", name="Upload for this organization").click()
    expect(_status(page, "kick-off notes.txt uploaded.")).to_be_visible()
    document = page.locator("#documents li").filter(has_text="kick-off notes.txt")
    expect(document).to_contain_text("General · v1")
    page.screenshot(path=artifacts / "admin-organization-1280.png", full_page=True)
    document.get_by_role("button", name="Delete kick-off notes.txt").click()
    expect(_status(page, "Document deleted.")).to_be_visible()
    expect(document).to_have_count(0)

    # An engagement with two milestones that add up to the fixed price.
    page.get_by_text("New engagement", exact=True).click()
    new = page.get_by_role("form", name="New engagement")
    new.get_by_label("Title", exact=True).fill("Harbor data platform")
    new.get_by_label("Fixed price", exact=True).fill("20,000")
    new.get_by_label("Currency", exact=True).fill("EUR")
    new.get_by_role("button", name="Create engagement").click()
    expect(page).to_have_url(re.compile(r"/admin/engagements/\d+$"))
    allocation = page.get_by_test_id("allocation")
    expect(allocation).to_have_text("EUR 20,000.00 left to allocate")

    add = page.get_by_role("form", name="Add a milestone")
    add.get_by_label("Title", exact=True).fill("Discovery")
    add.get_by_label("Amount", exact=True).fill("eight thousand")
    add.get_by_role("button", name="Add milestone").click()
    expect(add.get_by_text("Enter an amount such as 2000 or 2,000.50.")).to_be_visible()
    add.get_by_label("Amount", exact=True).fill("8000")
    add.get_by_role("button", name="Add milestone").click()
    expect(allocation).to_have_text("EUR 12,000.00 left to allocate")
    add.get_by_label("Title", exact=True).fill("Build and hand-over")
    add.get_by_label("Amount", exact=True).fill("12000")
    add.get_by_role("button", name="Add milestone").click()
    expect(allocation).to_have_text("The milestones add up to the fixed price")

    page.get_by_role("button", name="Mark as proposed").click()
    expect(page.get_by_test_id("engagement-status")).to_have_text("Proposed")
    page.get_by_role("button", name="Start the engagement").click()
    expect(page.get_by_test_id("engagement-status")).to_have_text("Active")
    page.get_by_role("button", name="Start Discovery").click()
    page.get_by_role("button", name="Submit Discovery").click()
    discovery = page.locator("#milestones li").filter(has_text="Discovery")
    expect(discovery).to_contain_text("Waiting for the client")
    expect(_status(page, "Milestone submitted")).to_be_visible()
    expect(
        page.get_by_role("form", name="Engagement details").get_by_label("Fixed price", exact=True)
    ).to_have_attribute("readonly", "")
    assert_browser_storage(page)
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "admin-engagement-1280.png", full_page=True)
    engagement_url = page.url

    phone = new_page(PHONE, session_cookie=cookie)
    for url, name in ((organization_url, "organization"), (engagement_url, "engagement")):
        phone.goto(url)
        expect(phone.locator("#people, #milestones").first).to_be_visible()
        _no_sideways_scroll(phone)
        phone.screenshot(path=artifacts / f"admin-{name}-375.png", full_page=True)
    phone.goto(routes.ADMIN_ORGANIZATIONS)
    phone.get_by_role("link", name="Northwind Robotics").click()
    owner = phone.locator("#people li").filter(has_text="Dana Whitfield")
    expect(owner.get_by_label("Role of Dana Whitfield")).to_have_value("owner")
    owner.get_by_role("button", name="Remove Dana Whitfield").click()
    owner.get_by_role("button", name="Confirm removal").click()
    expect(_status(phone, "at least one owner")).to_be_visible()
    expect(owner).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "admin-organization-members-375.png", full_page=True)


# The browser tests share one server: the demo staff member's profile goes back to the seeded one.
RESTORE_STAFF_PROFILE = """
from fluxent.core.db import session_scope
from fluxent.services.accounts import staff, staff_photos, users
with session_scope() as db:
    admin, person = users.user_by_email(db, {admin!r}), users.user_by_email(db, {email!r})
    staff_photos.remove_photo(db, actor=admin, user_id=person.id)
    staff.update_staff(db, actor=admin, user_id=person.id, name={name!r}, role="staff", title="Forward Deployed Engineer", team="Delivery", listed=True)
"""


@pytest.fixture
def staff_profile_restored(server):
    yield
    server.python(RESTORE_STAFF_PROFILE.format(admin=DEMO_ADMIN.email, email=DEMO_STAFF.email, name=DEMO_STAFF.name))


def open_drawer(page: Page, name: str):
    page.get_by_role("button", name=f"Edit {name}").click()
    drawer = page.get_by_role("dialog", name=name)
    expect(drawer).to_be_visible()
    return drawer


def test_an_admin_edits_a_staff_title_and_listing_and_the_team_page_follows(
    server, new_page, artifacts, staff_profile_restored
):
    cookie = _session(server, DEMO_ADMIN.email)
    page = new_page(DESKTOP, session_cookie=cookie)
    page.goto(routes.ADMIN_STAFF)
    drawer = open_drawer(page, DEMO_STAFF.name)
    expect(drawer.get_by_label("Title", exact=True)).to_have_value("Forward Deployed Engineer")
    drawer.get_by_label("Title", exact=True).fill("Principal Engineer")
    drawer.get_by_label("Team", exact=True).fill("Platform")
    drawer.get_by_role("button", name="Save").click()
    expect(_status(page, "Staff member saved.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)

    me = open_drawer(page, DEMO_ADMIN.name)
    me.get_by_label("Role", exact=True).select_option("staff")
    me.get_by_role("button", name="Save").click()
    expect(me.get_by_text("Last administrator.")).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=artifacts / "admin-staff-drawer-1280.png", full_page=True)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.screenshot(path=artifacts / "admin-staff-1280.png", full_page=True)

    page.goto(routes.TEAM)
    card = page.locator("li").filter(has_text=DEMO_STAFF.name)
    expect(card).to_contain_text("Principal Engineer")
    expect(card).to_contain_text("Platform")

    page.goto(routes.ADMIN_STAFF)
    drawer = open_drawer(page, DEMO_STAFF.name)
    listed = drawer.get_by_label("Listed on the Team page")
    expect(listed).to_be_checked()
    listed.uncheck()
    drawer.get_by_role("button", name="Save").click()
    expect(_status(page, "Staff member saved.")).to_be_visible()
    page.goto(routes.TEAM)
    expect(page.get_by_role("heading", name=DEMO_ADMIN.name)).to_be_visible()
    expect(page.get_by_role("heading", name=DEMO_STAFF.name)).to_have_count(0)

    phone = new_page(PHONE, session_cookie=cookie)
    phone.goto(routes.ADMIN_STAFF)
    expect(phone.get_by_role("button", name=f"Edit {DEMO_STAFF.name}")).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "admin-staff-375.png", full_page=True)
    open_drawer(phone, DEMO_STAFF.name)
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "admin-staff-drawer-375.png", full_page=True)


def test_a_client_is_refused_the_console(server, new_page):
    page = new_page(PHONE, session_cookie=server.python(START_DEMO_SESSION).strip().splitlines()[-1])
    page.goto(routes.ADMIN_ORGANIZATIONS)
    expect(page.get_by_test_id("console-denied")).to_have_text("Only Fluxent staff can use the staff console.")
    expect(page.get_by_role("link", name="Northwind Robotics")).to_have_count(0)
