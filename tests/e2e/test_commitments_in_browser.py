"""The privacy commitments page and the privacy centre's dated retention list in a real browser."""

from __future__ import annotations

import re
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.privacy.commitments import results_path, write_results
from fluxent.services.privacy.promises import PROMISES
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

# The demo client's session, from an address and a browser the privacy centre dates the removal of.
TRACED_DEMO_SESSION = START_DEMO_SESSION.replace(
    "start_session(db, user=user)", "start_session(db, user=user, ip='203.0.113.7', user_agent='Firefox')"
)


@pytest.fixture
def last_run(server):
    """A last test run on the server: every test passed but the first promise's first, which failed."""
    path = results_path(Path(server.env["FLUXENT_DATA_DIR"]))
    outcomes = {node_id: "passed" for promise in PROMISES for node_id in promise.proven_by}
    outcomes[PROMISES[0].proven_by[0]] = "failed"
    write_results(path, outcomes=outcomes, finished_at=datetime(2026, 12, 7, 8, 15, tzinfo=UTC))
    yield
    path.unlink()


def test_the_commitments_page_is_prerendered_with_every_promise(server):
    with urllib.request.urlopen(server.url(routes.PRIVACY_COMMITMENTS), timeout=10) as response:
        html = response.read().decode()
    for promise in PROMISES:
        assert f'id="{promise.id}"' in html, promise.id
        assert all(node_id in html for node_id in promise.proven_by), promise.id


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_commitments_page_lists_every_promise_with_its_tests_and_the_last_results(
    server, new_page, artifacts, last_run, width
):
    page = new_page(width)
    page.goto(routes.PRIVACY_POLICY)
    page.get_by_role("link", name="How we keep these promises").click()
    expect(page).to_have_url(re.compile(re.escape(routes.PRIVACY_COMMITMENTS) + "/?$"))
    expect(page.get_by_test_id("last-run")).to_contain_text("7 Dec 2026, 08:15 UTC")

    promises = page.get_by_test_id("promise")
    expect(promises).to_have_count(len(PROMISES))
    for index, promise in enumerate(PROMISES):
        card = promises.nth(index)
        expect(card.get_by_role("heading", level=2)).to_have_text(promise.title)
        expect(card.locator("blockquote")).to_have_text(promise.sentence)
        for node_id in (*promise.kept_by, *promise.proven_by):
            expect(card).to_contain_text(node_id)
    first = promises.first
    expect(first.locator("li", has_text=PROMISES[0].proven_by[0])).to_contain_text("failed")
    expect(first).to_contain_text("failed")
    expect(promises.nth(1)).to_contain_text("passed")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(artifacts / f"privacy-commitments-{width}.png"), full_page=True)


def test_without_results_the_page_says_so(server, new_page):
    page = new_page(DESKTOP)
    page.goto(routes.PRIVACY_COMMITMENTS)
    expect(page.get_by_test_id("last-run")).to_contain_text("no test results yet")
    expect(page.get_by_test_id("promise")).to_have_count(len(PROMISES))


def test_a_signed_in_client_sees_the_dated_retention_list(server, new_page, artifacts, assert_browser_storage):
    page = new_page(DESKTOP, session_cookie=server.python(TRACED_DEMO_SESSION).strip().splitlines()[-1])
    page.goto(routes.PORTAL_PRIVACY)
    listed = page.get_by_test_id("dated-list")
    expect(listed.get_by_role("heading", name="Your account", level=3)).to_be_visible()
    account = page.get_by_test_id("dated-category").filter(has_text="Your account")
    expect(account).to_contain_text("Legal basis: Contract performance")
    sign_ins = page.get_by_test_id("dated-category").filter(has_text="Your sign-ins")
    expect(sign_ins).to_contain_text("still open")
    audit = page.get_by_test_id("dated-category").filter(has_text="Audit-log entries about you")
    expect(audit).to_contain_text(re.compile(r"Your earliest entry is deleted on [1-9]\d? \w{3} \d{4}"))
    page.screenshot(path=str(artifacts / "privacy-dated-retention.png"), full_page=True)
    assert_browser_storage(page)
