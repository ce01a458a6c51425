"""Who is signed in, for the portal's frame and pages.

Identity comes from the HttpOnly ``sessionid`` cookie that the browser sent with
the websocket handshake (``self.router.headers.cookie``, server-side only), resolved
against the database on every portal page load. The token itself never enters the
state: only what the page shows (name, role, initials, organizations) does.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE, cookie_value
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import DomainError, RateLimited
from fluxent.models.accounts import Role, User
from fluxent.models.auth import AuthSession
from fluxent.services.accounts import authz, organizations
from fluxent.services.auth import landing, sessions
from fluxent.services.portal import view_as
from fluxent.state.requester import client_ip

SIGNED_OUT = "Your session has ended. Sign in again to continue."
VIEWING_READ_ONLY = view_as.READ_ONLY

# A change made as the signed-in person: ``action(db, person)``.
Action = Callable[[Session, User], Any]
# The same with the person's live session row, for changes about sessions: ``action(db, person, session)``.
SessionAction = Callable[[Session, User, AuthSession], Any]

ROLE_LABELS = {Role.CLIENT: "Client", Role.STAFF: "Staff", Role.ADMIN: "Administrator"}


def initials(name: str, fallback: str = "") -> str:
    """Up to two letters for an avatar: first and last word of the name."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return (fallback[:1] or "?").upper()
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


Identity = tuple[AuthSession, User] | None
# Who the event being handled is for, by ``sessionid`` value (and whether it counts as use):
# ``SessionBinding`` (tab_binding.py) starts an empty record before every event, and the
# first unit of work that asks fills it, so an event that opens several units (a change,
# then the refreshed view) checks the session once.
_event_identities: ContextVar[dict[tuple[str, bool], Identity] | None] = ContextVar(
    "fluxent_event_identities", default=None
)


def begin_event() -> None:
    """Forget who the previous event was for (called before every event)."""
    _event_identities.set({})


def signed_in(db: Session, cookie_header: str, *, touch: bool = True) -> Identity:
    """The live session and user behind the ``sessionid`` of a cookie header, resolved now.

    The one way the states resolve a person; outside an event (an upload's worker
    thread) it is called with the cookie the event saw. Within one event the session
    is looked up once; a later unit of work gets the same person as its own objects.
    """
    raw = cookie_value(cookie_header, SESSION_COOKIE)
    known = _event_identities.get()
    if known is None:
        return sessions.resolve(db, raw, touch=touch)
    key = (raw or "", touch)
    if key in known:
        return sessions.adopt(db, known[key])
    found = known[key] = sessions.resolve(db, raw, touch=touch)
    return found


def refuse_while_viewing(viewing_as: int) -> None:
    """The guard every change from a tab goes through (events and uploads): none is made
    while the tab views the portal as a client (``viewing_as``, an organization id, else 0)."""
    view_as.refuse_change(viewing_as)


def error_messages(
    error: DomainError, *, shown: tuple[str, ...] = (), renamed: dict[str, str] | None = None
) -> dict[str, str]:
    """A service's refusal as messages by form field; ``"form"`` holds what fits no field.

    ``renamed`` maps the service's field names to the form's; a message for a field
    the form does not have (outside ``shown``) also puts the whole message under "form".
    """
    if isinstance(error, RateLimited):
        minutes = max(1, -(-error.retry_after // 60))
        return {"form": f"Too many attempts. Try again in {minutes} minute{'s' if minutes > 1 else ''}."}
    messages = {(renamed or {}).get(name, name): text for name, text in error.fields.items()}
    if not messages or (shown and any(name not in shown for name in messages)):
        messages.setdefault("form", error.message)
    return messages


class SessionState(rx.State):
    """The signed-in person as the portal shows them."""

    checked: bool = False  # False until the first load resolved the cookie (avoids a flash)
    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    user_initials: str = ""
    is_admin: bool = False
    is_staff: bool = False
    organizations: list[dict[str, str]] = []
    # What the last action did ("Profile saved."), shown in the page's status line until the next one.
    notice: str = ""
    notice_is_error: bool = False
    # The form whose action is running, for its busy button ("" when none).
    busy: str = ""
    # The signed-in person's home page ("" when signed out): the site header's way back in.
    home: str = ""
    # The signed-out panel's way in: the sign-in page, coming back to the page this tab is on.
    sign_in_href: str = routes.login_then(routes.PORTAL)
    # Keyed hash of the ``sessionid`` this tab's state was built for (backend only,
    # never sent): see ``fluxent/state/tab_binding.py``.
    _bound_to: str = ""
    # The organization an administrator views the portal as in this tab (0: none). Backend
    # only, set by ``ViewAsState``; reset with the rest when the tab's session changes.
    _viewing_as: int = 0

    @rx.var
    def first_name(self) -> str:
        return self.user_name.split(" ", 1)[0] if self.user_name else ""

    def _clear(self) -> None:
        self.signed_in = False
        self.home = ""
        self.user_name = self.user_email = self.user_role = self.user_initials = ""
        self.is_admin = self.is_staff = False
        self.organizations = []

    def _show(self, user: User, memberships: list[dict[str, str]]) -> None:
        self.signed_in = True
        self.home = landing.landing(user)
        self.user_name = user.name or user.username
        self.user_email = user.email
        self.user_role = ROLE_LABELS.get(user.role, str(user.role).title())
        self.user_initials = initials(user.name, fallback=user.username)
        self.is_admin = authz.is_admin(user)
        self.is_staff = authz.is_staff(user)
        self.organizations = memberships

    def _identity(self, db: Session, *, touch: bool = True) -> tuple[AuthSession, User] | None:
        """The live session and user behind this tab's cookie, resolved now.

        Every protected event calls this first (``_person``, ``_act``): a session
        revoked elsewhere stops working at the next event, and the tab switches to
        the signed-out panel.
        """
        found = signed_in(db, self.router.headers.cookie, touch=touch)
        if found is None:
            self._clear()
        return found

    def _signed_in_person(self, db: Session) -> User | None:
        """The signed-in user (see ``_identity``), or None: for what is about that person's own account."""
        found = self._identity(db)
        return None if found is None else found[1]

    def _person(self, db: Session) -> User | None:
        """The person the portal's read models act for: the signed-in user, or, while an
        administrator views the portal as a client, that organization's owner (None when it
        has none, or the administrator may no longer view it)."""
        user = self._signed_in_person(db)
        if user is None or not self._viewing_as:
            return user
        return view_as.viewer(db, admin=user, organization_id=self._viewing_as)

    def _acting(self, db: Session) -> Identity:
        """The identity a change is made as (see ``_identity``); refused while viewing as a client."""
        refuse_while_viewing(self._viewing_as)
        return self._identity(db)

    def _act(
        self,
        form: str,
        action: Action | SessionAction,
        success: str = "",
        *,
        with_session: bool = False,
        while_viewing: bool = False,
    ) -> bool:
        """Run one change as the signed-in person in one unit of work; True when it was saved.

        ``action(db, person)``, or with ``with_session`` ``action(db, person, session)``
        (the live session row this tab's cookie stands for). While the tab views the portal
        as a client it is refused (``_acting``); only switching that view (``while_viewing``)
        runs then. The busy flag is cleared afterwards. Success goes to the status line; a refusal goes to ``_refused``
        (the status line unless a state shows it by ``form``); a session that ended
        clears the tab.
        """
        self.notice = ""
        try:
            with session_scope() as db:
                found = self._identity(db) if while_viewing else self._acting(db)
                if found is not None:
                    auth_session, user = found
                    if with_session:
                        action(db, user, auth_session)
                    else:
                        action(db, user)
        except DomainError as error:
            self.busy = ""
            self._refused(form, error)
            return False
        self.busy = ""
        if found is not None and success:
            self._tell(success)
        return found is not None

    def _refused(self, form: str, error: DomainError) -> None:
        """Show a refusal of an action of ``form``; states with field messages override this."""
        self._tell(error_messages(error).get("form", error.message), error=True)

    def _client(self) -> tuple[str, str]:
        """IP address and user agent of the browser, for services that audit them."""
        return client_ip(self.router), self.router.headers.user_agent or ""

    @rx.event
    def recheck(self, _tick: str = "") -> None:
        """Runs every little while in an open portal tab: a session revoked elsewhere ends here too.

        The timer is not the person: it leaves the idle clock alone, so an open tab nobody uses still times out.
        """
        if self.signed_in:
            with read_scope() as db:
                self._identity(db, touch=False)

    def _tell(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` in the page's status line (see ``notice``)."""
        self.notice, self.notice_is_error = text, error

    @rx.event
    def dismiss_notice(self) -> None:
        self.notice = ""

    @rx.event
    def recognise(self) -> None:
        """``on_mount`` of the public site's header: whether someone is signed in, and where they belong.

        Only looking: the idle clock is left alone, as for ``recheck``.
        """
        with read_scope() as db:
            found = self._identity(db, touch=False)
            if found is not None:
                self.home = landing.landing(found[1])

    @rx.event
    def load_portal(self) -> None:
        """``on_load`` of every portal page: re-resolve the session from the cookie."""
        self.notice = ""
        url = self.router.url
        path = url.path.rstrip("/") or routes.PORTAL  # the production server adds a trailing slash
        self.sign_in_href = routes.login_then(path + (f"?{url.query}" if url.query else ""))
        with read_scope() as db:
            found = self._identity(db)
            if found is not None:
                _, user = found
                self._show(
                    user,
                    [
                        {
                            "id": str(membership.organization_id),
                            "name": membership.name,
                            "role": membership.role.title(),
                        }
                        for membership in organizations.memberships_of(db, user)
                    ],
                )
        self.checked = True
