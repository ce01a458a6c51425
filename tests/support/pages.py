"""What several browser-test modules share: the two viewport widths, the server-side snippet
that starts a session for the demo client (its last printed line is the raw session id), and
the phone-width check that nothing scrolls sideways."""

from __future__ import annotations

from fluxent.services.seed import DEMO_CLIENT

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
