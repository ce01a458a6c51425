"""An announced policy version in a real browser: every account holder gets the e-mail, the
portal shows the notice until the person acknowledges it (recorded, and gone for good), and
the earlier version stays readable on its own page, linked from the current one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_USERS
from tests.support.pages import DESKTOP, START_DEMO_SESSION
from tests.support.policies import CHANGES

pytestmark = [pytest.mark.e2e, pytest.mark.adds_to_demo_data, pytest.mark.timeout(900)]

# Version 2 of a privacy policy (from a content folder of its own) announced and mailed by the
# server's own code; prints the announcement's id.
ANNOUNCE = """
import tempfile
from pathlib import Path
from fluxent.core.db import session_scope
from fluxent.services.policies import announcements
from tests.support.policies import policy_content, upcoming_effective
content = policy_content(Path(tempfile.mkdtemp()))
with session_scope() as db:
    announcement = announcements.announce(db, document="privacy", effective=upcoming_effective(), directory=content)
    announcement_id = announcement.id
delivery = announcements.send_notices(announcement_id)
assert delivery.waiting == 0, delivery
print(announcement_id)
"""
ACKNOWLEDGED = """
from sqlalchemy import select
from fluxent.core.db import read_scope
from fluxent.models.accounts import User
from fluxent.models.policies import PolicyAcknowledgement
with read_scope() as db:
    for email, announcement in db.execute(
        select(User.email, PolicyAcknowledgement.announcement_id).join(User, User.id == PolicyAcknowledgement.user_id)
    ):
        print(email, announcement)
"""
# Other browser tests that run later find the portal as the seed left it.
FORGET = """
from sqlalchemy import delete
from fluxent.core.db import session_scope
from fluxent.models.policies import PolicyAcknowledgement, PolicyAnnouncement, PolicyNotice
with session_scope() as db:
    for model in (PolicyAcknowledgement, PolicyNotice, PolicyAnnouncement):
        db.execute(delete(model))
"""


@pytest.fixture
def announce(server):
    def run() -> int:
        return int(server.python(ANNOUNCE).strip().splitlines()[-1])

    yield run
    server.python(FORGET)


def test_an_announced_version_is_mailed_shown_until_acknowledged_and_recorded(server, new_page, outbox, announce):
    announcement_id = announce()
    for person in DEMO_USERS:
        text = outbox(person.email, "Our Privacy Policy changes on")
        assert CHANGES in text and server.url(routes.PRIVACY_POLICY) in text

    raw = server.python(START_DEMO_SESSION).strip().splitlines()[-1]
    page = new_page(DESKTOP, session_cookie=raw)
    page.goto(server.url(routes.PORTAL))
    notice = page.get_by_test_id("policy-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Our Privacy Policy changes on")
    expect(notice).to_contain_text(CHANGES)
    expect(notice.get_by_role("link", name="Read the new version")).to_have_attribute("href", routes.PRIVACY_POLICY)
    notice.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("policy-notice")).to_have_count(0)
    expect(page.get_by_text("Thank you: your acknowledgement is recorded.")).to_be_visible()
    assert server.python(ACKNOWLEDGED).split() == [DEMO_CLIENT.email, str(announcement_id)]

    page.goto(server.url(routes.PORTAL_DOCUMENTS))
    expect(page.get_by_test_id("signed-in-name")).to_be_visible()
    expect(page.get_by_test_id("policy-notice")).to_have_count(0)


def test_the_earlier_privacy_policy_stays_readable_from_the_current_one(server, new_page):
    page = new_page(DESKTOP)
    page.goto(server.url(routes.PRIVACY_POLICY))
    history = page.get_by_test_id("version-history")
    expect(history).to_contain_text("Version 2, effective December 21, 2026")
    history.get_by_role("link", name="Version 1, effective May 11, 2026").click()
    expect(page).to_have_url(re.compile(re.escape(routes.legal_version("privacy", 1)) + "/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy Policy, version 1")
    expect(page.get_by_role("note")).to_contain_text("This is an earlier version. Version 2 replaces it from")
    expect(page.get_by_text("provide reasonable in-product or email notice")).to_be_visible()
