"""Messages in a real browser: the demo client and the demo staff member exchange messages about
Northwind's engagement, new ones arrive in an open tab without a reload, and each sees their
unread count (in the navigation, on the engagement and in the conversation) until they read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_ENGAGEMENT, DEMO_STAFF

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600), pytest.mark.adds_to_demo_data]

START_SESSION = """
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    _, raw = sessions.start_session(db, user=users.user_by_email(db, {email!r}))
print(raw)
"""
ENGAGEMENT_ID = f"""
from sqlalchemy import select
from fluxent.core.db import read_scope
from fluxent.models.engagements import Engagement
with read_scope() as db:
    print(db.scalars(select(Engagement.id).where(Engagement.title == {DEMO_ENGAGEMENT!r})).one())
"""
# A poll every 5 s: a new message shows within this.
ARRIVES_WITHIN_MS = 15_000


def _last_line(server, program: str) -> str:
    return server.python(program).strip().splitlines()[-1]


def _send(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("message-body").filter(has_text=text)).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("")


def test_client_and_staff_exchange_messages_and_see_their_unread_counts(server, new_page, artifacts):
    engagement_id = int(_last_line(server, ENGAGEMENT_ID))
    dana = new_page(1280, session_cookie=_last_line(server, START_SESSION.format(email=DEMO_CLIENT.email)))
    priya = new_page(1280, session_cookie=_last_line(server, START_SESSION.format(email=DEMO_STAFF.email)))

    # Dana reads the conversation: nothing stays unread for her.
    dana.goto(routes.portal_messages(engagement_id))
    expect(dana.get_by_role("heading", name=DEMO_ENGAGEMENT)).to_be_visible()
    expect(dana.get_by_test_id("message-body").first).to_be_visible()
    expect(dana.get_by_test_id("nav-unread")).to_have_count(0)

    # Priya writes from the console while Dana's tab is open: it arrives there without a reload.
    priya.goto(routes.admin_engagement(engagement_id))
    expect(priya.get_by_role("heading", name=DEMO_ENGAGEMENT).first).to_be_visible()
    _send(priya, "The battery view is live on staging.")
    expect(dana.get_by_test_id("message-body").filter(has_text="The battery view is live on staging.")).to_be_visible(
        timeout=ARRIVES_WITHIN_MS
    )

    # With Dana elsewhere, Priya's next message waits for her, counted in the navigation and on the engagement.
    dana.goto(routes.PORTAL_ENGAGEMENTS)
    expect(dana.get_by_test_id("engagement-messages").first).to_be_visible()
    _send(priya, "Shall we demo it on Friday?")
    dana.reload()
    expect(dana.get_by_test_id("nav-unread").first).to_have_text("1 unread")
    card = dana.locator("article").filter(has_text=DEMO_ENGAGEMENT)
    expect(card.get_by_test_id("engagement-messages")).to_contain_text("1 unread")
    dana.screenshot(path=artifacts / "messages-unread-on-engagements.png", full_page=True)

    # Dana opens it from the engagement, sees what is new, and answers the question.
    card.get_by_test_id("engagement-messages").click()
    expect(dana.get_by_test_id("thread-unread")).to_have_text("1 unread")
    question = dana.locator("li").filter(has_text="Shall we demo it on Friday?").last
    question.get_by_role("button", name="Reply to Priya Raman (Fluxent)").click()
    expect(dana.get_by_text("Replying to Priya Raman (Fluxent): Shall we demo it on Friday?")).to_be_visible()
    _send(dana, "Friday at 10 works for us.")
    expect(dana.get_by_test_id("nav-unread")).to_have_count(0)
    dana.screenshot(path=artifacts / "messages-conversation.png", full_page=True)

    # Priya, on the console's home page, has one unread message until she opens the engagement.
    priya.goto(routes.ADMIN)
    expect(priya.get_by_test_id("nav-unread").first).to_have_text("1 unread")
    priya.goto(routes.admin_engagement(engagement_id))
    reply = priya.locator("li").filter(has_text="Friday at 10 works for us.").last
    expect(reply).to_contain_text("Dana Whitfield")
    expect(reply).to_contain_text("Shall we demo it on Friday?")  # the question it answers, quoted
    expect(priya.get_by_test_id("thread-unread")).to_have_text("1 unread")
    priya.reload()
    expect(priya.get_by_test_id("nav-unread")).to_have_count(0)
