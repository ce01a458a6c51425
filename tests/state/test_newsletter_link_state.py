"""The newsletter's e-mailed link pages: opening one changes nothing (mail scanners open
links, some in a browser that runs the page), pressing its button confirms or unsubscribes."""

from __future__ import annotations

import re

from sqlmodel import select

from fluxent import routes
from fluxent.models.marketing import NewsletterSubscription
from fluxent.pages.site import newsletter as newsletter_pages
from fluxent.services.marketing import newsletter
from fluxent.state.marketing import NewsletterState
from tests.support.auth import IP

ADDRESS = "reader@example.com"


def _signed_up(session, outbox) -> str:
    """A committed, unconfirmed sign-up; the token of its e-mailed confirmation link."""
    newsletter.subscribe(session, email=ADDRESS, agree=True, ip=IP)
    session.commit()
    return re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", outbox.text(outbox.last(ADDRESS))).group(1)


def _subscription(session) -> NewsletterSubscription | None:
    """The sign-up as committed; the read's transaction ends at once (SQLite: the handlers need the write lock)."""
    session.expire_all()
    row = session.exec(select(NewsletterSubscription).where(NewsletterSubscription.email == ADDRESS)).first()
    session.commit()
    return row


def _open(page, state: NewsletterState) -> None:
    """Run the page's on_load, as the browser does when the page opens."""
    getattr(state, page.spec.on_load.fn.__name__)()


def test_opening_the_confirm_link_confirms_nothing_until_the_button(session, outbox, page_state):
    token = _signed_up(session, outbox)
    state = page_state(NewsletterState, routes.newsletter_confirm(token))
    _open(newsletter_pages.confirm_page, state)
    assert state.link_status == "pending" and _subscription(session).confirmed_at is None
    state.confirm()
    assert state.link_status == "confirmed" and _subscription(session).confirmed_at is not None
    state.confirm()  # a double click's second press: the used link does not turn the answer into "invalid"
    assert state.link_status == "confirmed"


def test_opening_the_unsubscribe_link_removes_nothing_until_the_button(session, outbox, page_state):
    _signed_up(session, outbox)
    token = newsletter.unsubscribe_token(_subscription(session))
    state = page_state(NewsletterState, routes.newsletter_unsubscribe(token))
    _open(newsletter_pages.unsubscribe_page, state)
    assert state.link_status == "pending" and _subscription(session) is not None
    state.unsubscribe()
    assert state.link_status == "unsubscribed" and _subscription(session) is None
    state.unsubscribe()
    assert state.link_status == "unsubscribed"


def test_a_second_link_in_the_same_tab_starts_at_its_button(session, outbox, page_state):
    state = page_state(NewsletterState, routes.newsletter_confirm("unknown"))
    state.confirm()
    assert state.link_status == "invalid"
    _open(newsletter_pages.unsubscribe_page, state)
    assert state.link_status == "pending"
