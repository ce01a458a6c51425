"""What several browser-test modules share: the two viewport widths and the server-side snippet
that starts a session for the demo client (its last printed line is the raw session id)."""

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
