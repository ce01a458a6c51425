"""The notification centre in a real browser: a milestone that waited 3 days is reminded by the
scheduled run (its clock moved forward), the client's bell counts it and the e-mail is in the
outbox; e-mail preferences are saved, and security e-mail shows as locked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION, DEMO_STAFF
from tests.support.pages import DESKTOP, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.adds_to_demo_data, pytest.mark.timeout(900)]

ENGAGEMENT = "Warehouse scanner app"
MILESTONE = "Scanner prototype"
# Its own engagement with one submitted milestone, so the seeded ones stay as other tests expect them.
ADD_WAITING_MILESTONE = f"""
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title={ENGAGEMENT!r},
                                      fixed_price_minor=800_000, currency="USD", staff_ids=[staff.id])
    m = milestones.add_milestone(db, actor=staff, engagement_id=e.id, title={MILESTONE!r}, amount_minor=800_000)
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
    milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
"""
# The scheduled run, as if three days and an hour had passed (the milestone reminder alone: the
# invoice and signature reminders of the demo data are other tests' business).
RUN_REMINDERS_LATER = """
from datetime import timedelta
from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.services.notifications.reminders import remind_waiting_milestones
later = now() + timedelta(days=3, hours=1)
with session_scope() as db:
    print(remind_waiting_milestones(db, clock=lambda: later))
"""

DANAS_UNREAD = f"""
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.notifications import centre
with session_scope() as db:
    print(centre.unread_count(db, user=users.user_by_email(db, {DEMO_CLIENT.email!r})))
"""


@pytest.fixture
def demo_session(server) -> str:
    return server.python(START_DEMO_SESSION).strip().splitlines()[-1]


def test_a_waiting_milestone_is_reminded_in_the_bell_and_by_email(new_page, server, demo_session, outbox):
    server.python(ADD_WAITING_MILESTONE)
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_NOTIFICATIONS)
    waiting = page.get_by_test_id("notification").filter(has_text=f"\u201c{MILESTONE}\u201d of {ENGAGEMENT}")
    expect(waiting).to_have_attribute("data-unread", "true")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("0 unread")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)

    assert int(server.python(RUN_REMINDERS_LATER).strip().splitlines()[-1]) >= 1
    text = outbox(DEMO_CLIENT.email, f"Reminder: \u201c{MILESTONE}\u201d")
    assert "has waited 3 days for your decision" in text

    unread = server.python(DANAS_UNREAD).strip().splitlines()[-1]  # this one, and the seeded milestone's
    assert int(unread) >= 1
    page.goto(routes.PORTAL)
    expect(page.get_by_test_id("bell-count")).to_have_text(unread)
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("aria-label", f"Notifications, {unread} unread")
    page.get_by_test_id("notification-bell").click()
    reminder = page.get_by_test_id("notification").filter(has_text=f"Reminder: \u201c{MILESTONE}\u201d")
    expect(reminder).to_have_attribute("data-unread", "true")
    reminder.get_by_test_id("notification-title").click()
    expect(page).to_have_url(re.compile(re.escape(server.url(routes.PORTAL_ENGAGEMENTS)) + "/?$"))
    left = str(int(unread) - 1)
    if left == "0":
        expect(page.get_by_test_id("bell-count")).to_have_count(0)
    else:
        expect(page.get_by_test_id("bell-count")).to_have_text(left)


def test_email_preferences_are_saved_and_security_mail_is_locked(new_page, demo_session):
    page = new_page(DESKTOP, session_cookie=demo_session)
    page.goto(routes.PORTAL_NOTIFICATION_SETTINGS)
    expect(page.get_by_test_id("locked-security")).to_contain_text("Always sent")
    messages = page.get_by_label("E-mail for Messages")
    expect(messages).to_have_value("immediately")
    messages.select_option("digest")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status").filter(has_text="E-mail preferences saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("E-mail for Messages")).to_have_value("digest")
    expect(page.get_by_label("E-mail for Security")).to_have_count(0)
