"""View as client in a real browser: an administrator sees Northwind's portal as its owner does,
with no control that changes anything, and a hand-set ``view_as_role`` grants nothing."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import (
    DEMO_ADMIN,
    DEMO_ENGAGEMENT,
    DEMO_ENVELOPE,
    DEMO_ORGANIZATION,
    DEMO_OTHER_ORGANIZATION,
)
from fluxent.state.portal import DocumentsState
from fluxent.state.session import VIEWING_READ_ONLY, SessionState
from fluxent.state.view_as import ViewAsState
from tests.support.pages import DESKTOP, START_DEMO_SESSION
from tests.support.socket_tabs import SocketTab, open_page, state_values

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

START_ADMIN_SESSION = START_DEMO_SESSION.replace("client@demo.fluxent.tech", DEMO_ADMIN.email)
INVOICE_LINKS = "a[href^='/portal/invoices/']"
VIEW_AS_STATE, SESSION_STATE = ViewAsState.get_full_name(), SessionState.get_full_name()
ACTIONS = ("Accept milestone", "Request changes", "Review and sign", "Pay by card", "Save billing details")


def _session(server, program: str) -> str:
    return server.python(program).strip().splitlines()[-1]


def _what_the_owner_sees(page: Page) -> dict[str, object]:
    page.goto(routes.PORTAL_ENGAGEMENTS)
    expect(page.locator("article").filter(has_text=DEMO_ENGAGEMENT)).to_be_visible()
    page.goto(routes.PORTAL_INVOICES)
    expect(page.locator(INVOICE_LINKS).first).to_be_visible()
    invoices = [link.inner_text() for link in page.locator(INVOICE_LINKS).all()]
    page.goto(routes.PORTAL_SIGNATURES)
    envelopes = page.locator("li").filter(has_text=DEMO_ENVELOPE)
    expect(envelopes.first).to_be_visible()
    waiting = envelopes.count()
    return {"invoices": invoices, "waiting": waiting}


def _no_action_controls(page: Page) -> None:
    for name in ACTIONS:
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("heading", name="Share a document")).to_have_count(0)


def test_an_admin_views_northwind_as_its_owner_and_cannot_change_anything(
    server, new_page, artifacts, assert_browser_storage
):
    owner = new_page(DESKTOP, session_cookie=_session(server, START_DEMO_SESSION))
    owner.goto(routes.PORTAL)
    owner.get_by_test_id("organization-switcher").first.select_option(label=DEMO_ORGANIZATION)
    expected = _what_the_owner_sees(owner)
    owner.goto(routes.PORTAL_ENGAGEMENTS)
    expect(owner.get_by_role("button", name="Accept milestone")).to_be_visible()

    admin = new_page(DESKTOP, session_cookie=_session(server, START_ADMIN_SESSION))
    admin.goto(routes.PORTAL)
    expect(admin.get_by_role("heading", level=1)).not_to_have_text(DEMO_ORGANIZATION)
    admin.get_by_test_id("view-as-select").first.select_option(label=DEMO_ORGANIZATION)
    banner = admin.get_by_test_id("view-as-banner")
    expect(banner).to_contain_text(f"Viewing {DEMO_ORGANIZATION} as its owner sees it — read only")
    expect(banner.get_by_role("button")).to_have_count(1)
    expect(admin.get_by_role("heading", level=1)).to_have_text(DEMO_ORGANIZATION)
    _no_action_controls(admin)
    assert DEMO_OTHER_ORGANIZATION not in admin.locator("main").inner_text()

    assert _what_the_owner_sees(admin) == expected
    for route in (routes.PORTAL_ENGAGEMENTS, routes.PORTAL_DOCUMENTS, routes.PORTAL_SIGNATURES, routes.PORTAL_BILLING):
        admin.goto(route)
        expect(admin.get_by_role("heading", level=1)).to_be_visible()
        expect(banner).to_be_visible()
        _no_action_controls(admin)
        assert DEMO_OTHER_ORGANIZATION not in admin.locator("main").inner_text()
    admin.goto(routes.PORTAL_ENGAGEMENTS)
    expect(admin.get_by_text("Waiting for your acceptance")).to_be_visible()  # what the owner is asked
    admin.goto(routes.PORTAL_INVOICES)
    admin.locator(INVOICE_LINKS).filter(has_text="Due").first.click()
    expect(admin.get_by_test_id("invoice-status")).to_be_visible()
    expect(admin.get_by_test_id("pay")).to_have_count(0)
    admin.screenshot(path=artifacts / "view-as-invoice-1280.png", full_page=True)
    assert_browser_storage(admin)

    banner.get_by_role("button", name="Leave client view").click()
    expect(banner).to_have_count(0)
    expect(admin.get_by_test_id("view-as-select").first).to_have_value("")
    admin.wait_for_function("!window.localStorage.getItem('view_as_role')")


def test_an_admin_who_sets_view_as_role_by_hand_gains_nothing(server, new_page, assert_browser_storage):
    admin = new_page(DESKTOP, session_cookie=_session(server, START_ADMIN_SESSION))
    admin.goto(routes.PORTAL)
    expect(admin.get_by_test_id("view-as-select").first).to_be_visible()
    northwind = admin.locator("#view-as-select-sidebar option", has_text=DEMO_ORGANIZATION).get_attribute("value")
    assert northwind and northwind.isdigit()
    admin.evaluate(f"window.localStorage.setItem('view_as_role', '{northwind}')")
    admin.reload()
    expect(admin.get_by_test_id("view-as-select").first).to_be_visible()
    expect(admin.get_by_test_id("view-as-banner")).to_have_count(0)
    expect(admin.get_by_role("heading", level=1)).not_to_have_text(DEMO_ORGANIZATION)
    admin.wait_for_function("!window.localStorage.getItem('view_as_role')")
    assert_browser_storage(admin)


NORTHWIND_ID = f"""
from fluxent.core.db import session_scope
from fluxent.services.accounts import organizations
with session_scope() as db:
    print(organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r}).id)
"""
COUNT_PLANTED = """
from sqlmodel import select
from fluxent.core.db import session_scope
from fluxent.models.documents import Document
with session_scope() as db:
    print(len(db.exec(select(Document).where(Document.filename == "viewed-upload.txt")).all()))
"""


def test_an_upload_from_a_tab_viewing_as_a_client_is_refused(server):
    """Over the wire, as the page's uploader sends it: the tab's own session, its token, the site's origin."""
    cookie = f"sessionid={_session(server, START_ADMIN_SESSION)}"
    tab = SocketTab(server.base_url, cookie=cookie).connect()
    try:
        open_page(tab, routes.PORTAL_DOCUMENTS)
        after = len(tab.updates)
        tab.emit(
            f"{VIEW_AS_STATE}.start", {"organization_id": _session(server, NORTHWIND_ID)}, path=routes.PORTAL_DOCUMENTS
        )
        tab.wait_for(
            lambda update: state_values(update, VIEW_AS_STATE).get("viewing_name") == DEMO_ORGANIZATION, after=after
        )
        open_page(tab, routes.PORTAL_DOCUMENTS)  # the upload target is now one of Northwind's
        after = len(tab.updates)
        answer = httpx.post(
            server.url("/_upload"),
            headers={
                "Reflex-Client-Token": tab.token,
                "Reflex-Event-Handler": f"{DocumentsState.get_full_name()}.upload",
                "Origin": server.base_url,
                "Cookie": cookie,
            },
            timeout=30,
            files={"files": ("viewed-upload.txt", b"meeting notes\n", "text/plain")},
        )
        assert answer.status_code == 202, answer.text
        tab.wait_for(
            lambda update: (
                state_values(update, DocumentsState.get_full_name()).get("upload_error") == VIEWING_READ_ONLY
            ),
            after=after,
        )
    finally:
        tab.close()
    assert _session(server, COUNT_PLANTED) == "0"
