"""Who is signed in, for the portal's frame and pages.

Identity comes from the HttpOnly ``sessionid`` cookie that the browser sent with
the websocket handshake (``self.router.headers.cookie``, server-side only), resolved
against the database on every portal page load. The token itself never enters the
state: only what the page shows (name, role, initials, organizations) does.
"""

from __future__ import annotations

import reflex as rx

from fluxent.core.cookies import SESSION_COOKIE, cookie_value
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role, User
from fluxent.services import accounts, sessions

ROLE_LABELS = {Role.CLIENT: "Client", Role.STAFF: "Staff", Role.ADMIN: "Administrator"}


def initials(name: str, fallback: str = "") -> str:
    """Up to two letters for an avatar: first and last word of the name."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return (fallback[:1] or "?").upper()
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


class SessionState(rx.State):
    """The signed-in person as the portal shows them."""

    checked: bool = False  # False until the first load resolved the cookie (avoids a flash)
    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    user_initials: str = ""
    organizations: list[dict[str, str]] = []

    @rx.var
    def first_name(self) -> str:
        return self.user_name.split(" ", 1)[0] if self.user_name else ""

    def _clear(self) -> None:
        self.signed_in = False
        self.user_name = self.user_email = self.user_role = self.user_initials = ""
        self.organizations = []

    def _show(self, user: User, memberships: list[dict[str, str]]) -> None:
        self.signed_in = True
        self.user_name = user.name or user.username
        self.user_email = user.email
        self.user_role = ROLE_LABELS.get(user.role, str(user.role).title())
        self.user_initials = initials(user.name, fallback=user.username)
        self.organizations = memberships

    @rx.event
    def load_portal(self) -> None:
        """``on_load`` of every portal page: re-resolve the session from the cookie."""
        raw = cookie_value(self.router.headers.cookie, SESSION_COOKIE)
        with session_scope() as db:
            found = sessions.resolve(db, raw)
            if found is None:
                self._clear()
            else:
                _, user = found
                self._show(
                    user,
                    [
                        {"name": organization.name, "role": membership.role.title()}
                        for membership, organization in accounts.memberships_of(db, user)
                    ],
                )
        self.checked = True
