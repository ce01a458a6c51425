"""What several browser-test modules share: the two viewport widths, the server-side snippet
that starts a session for the demo client (its last printed line is the raw session id), a
new client account and its password sign-in, and the phone-width check that nothing scrolls
sideways."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT

CSRF_FIELD = "input[name='csrfmiddlewaretoken']"

DESKTOP, PHONE = 1280, 375

START_DEMO_SESSION = f"""
from fluxent.core.db import session_scope
from fluxent.services.accounts import users
from fluxent.services.auth import sessions
with session_scope() as db:
    user = users.user_by_email(db, {DEMO_CLIENT.email!r})
    _, raw = sessions.start_session(db, user=user)
print(raw)
"""


def session_cookie(server, email: str = DEMO_CLIENT.email) -> str:
    """A fresh session for the account ``email`` on the test server: the raw ``sessionid`` value."""
    snippet = START_DEMO_SESSION.replace(repr(DEMO_CLIENT.email), repr(email))
    return server.python(snippet).strip().splitlines()[-1]


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 or less: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# The innermost elements whose right edge passes the window's: what to fix when a page scrolls sideways.
_STICKING_OUT = """() => {
  const out = [...document.querySelectorAll('body *')].filter(e => e.checkVisibility({visibilityProperty: true})
    && e.getBoundingClientRect().right > window.innerWidth + 1 && e.getBoundingClientRect().left < window.innerWidth);
  const innermost = out.filter(e => ![...e.children].some(c => out.includes(c)));
  return innermost.slice(0, 5).map(e => `${e.tagName.toLowerCase()} "${(e.textContent || '').trim().slice(0, 40)}" `
    + `right=${Math.round(e.getBoundingClientRect().right)}`);
}"""


def sticking_out(page) -> list[str]:
    return page.evaluate(_STICKING_OUT)


def create_client_snippet(email: str, password: str, name: str) -> str:
    """The server-side snippet that adds a client account (no organization) with this password."""
    return f"""
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.accounts import users
with session_scope() as db:
    users.create_user(db, email={email!r}, password={password!r}, role=Role.CLIENT, name={name!r})
"""


def form_ready(page: Page) -> None:
    """The page's forms carry their CSRF token (the page has hydrated)."""
    expect(page.locator(CSRF_FIELD).first).to_have_value(re.compile(r"^[A-Za-z0-9_-]{16,}$"))


def sign_in_with_password(page: Page, email: str, password: str, next_route: str) -> None:
    """Open the sign-in page bound for ``next_route`` and send the password form."""
    page.goto(routes.login_then(next_route))
    form_ready(page)
    page.get_by_label("E-mail or username").fill(email)
    page.locator("input#password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
