"""The security page: change the password, see and end signed-in sessions.

Handlers re-resolve the caller's session from the handshake cookie every time
(``SessionState._act``, which hands the live session row to these actions), so a
tab whose session was revoked elsewhere can do nothing more. The rules live in
``services.auth.sign_in``; a password change there signs out every other session.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.clock import now
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, NotFound
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.services.auth import sign_in
from fluxent.services.auth.devices import describe_user_agent
from fluxent.state import formatting
from fluxent.state.session import SessionState, error_messages


def ago(moment: datetime, reference: datetime) -> str:
    """How long ago, roughly: "Just now", "12 minutes ago", "3 hours ago", else the date."""
    seconds = max(0, int((reference - moment).total_seconds()))
    if seconds < 90:
        return "Just now"
    if seconds < 3600:
        return f"{seconds // 60} minutes ago"
    if seconds < 2 * 3600:
        return "1 hour ago"
    if seconds < 24 * 3600:
        return f"{seconds // 3600} hours ago"
    return formatting.moment(moment)


def session_row(auth_session: AuthSession, *, current_id: int | None, moment: datetime) -> dict[str, str]:
    device = describe_user_agent(auth_session.user_agent)
    return {
        "id": str(auth_session.id),
        "device": device.label,
        "kind": device.kind,
        "ip": auth_session.ip or "Unknown",
        "created": formatting.moment(auth_session.created_at),
        "last_seen": ago(auth_session.last_seen_at, moment),
        "current": "yes" if auth_session.id == current_id else "",
    }


class SecurityState(SessionState):
    sessions: list[dict[str, str]] = []
    sessions_loaded: bool = False
    password_errors: dict[str, str] = {}
    # Bumped after a successful change so the password inputs remount empty.
    password_form_version: int = 0
    changing_password: bool = False
    revoking: str = ""  # the id being revoked, or "others"

    @rx.var
    def other_sessions(self) -> int:
        return sum(1 for row in self.sessions if not row["current"])

    @rx.var
    def others_summary(self) -> str:
        count = sum(1 for row in self.sessions if not row["current"])
        if count == 0:
            return "You are signed in on this device only."
        return f"You are also signed in on {count} other session{'s' if count != 1 else ''}."

    def _list(self, db: Session, auth_session: AuthSession, user: User) -> None:
        moment = now()
        self.sessions = [
            session_row(row, current_id=auth_session.id, moment=moment) for row in sign_in.list_sessions(db, user=user)
        ]
        self.sessions_loaded = True

    @rx.event
    def load(self) -> None:
        self.password_errors = {}
        with read_scope() as db:
            found = self._identity(db)
            if found is not None:
                self._list(db, *found)

    def _refused(self, form: str, error: DomainError) -> None:
        if form == "password":
            # The policy names the new password "password"; this form calls it "new_password".
            self.password_errors = error_messages(
                error, shown=("current_password", "new_password"), renamed={"password": "new_password"}
            )
        else:
            self._tell("That session was already signed out.", error=True)

    @rx.event
    def change_password(self, form: dict[str, Any]) -> Iterator[Any]:
        self.changing_password, self.password_errors, self.notice = True, {}, ""
        yield
        ip, user_agent = self._client()
        signed_out = 0

        def action(db: Session, user: User, auth_session: AuthSession) -> None:
            nonlocal signed_out
            signed_out = sign_in.change_password(
                db,
                user=user,
                current_password=str(form.get("current_password", "")),
                new_password=str(form.get("new_password", "")),
                keep_session=auth_session,
                ip=ip,
                user_agent=user_agent,
            )
            self._list(db, auth_session, user)

        changed = self._act("password", action, with_session=True)
        self.changing_password = False
        if changed:
            self.password_form_version += 1
            others = f" {signed_out} other session{'s' if signed_out != 1 else ''} signed out." if signed_out else ""
            self._tell(f"Password changed.{others}")

    @rx.event
    def revoke(self, session_id: str) -> Iterator[Any]:
        self.revoking, self.notice = session_id, ""
        yield
        ended_here = False

        def action(db: Session, user: User, auth_session: AuthSession) -> None:
            nonlocal ended_here
            number = parse_id(session_id)
            if number is None:
                raise NotFound("No such session.")
            ended_here = sign_in.revoke_session(db, user=user, session_id=number).id == auth_session.id
            if not ended_here:
                db.flush()
                self._list(db, auth_session, user)

        revoked = self._act("revoke", action, with_session=True)
        self.revoking = ""
        if ended_here:
            self._clear()  # this very tab: nothing more to show
        elif revoked:
            self._tell("Session signed out.")

    @rx.event
    def revoke_others(self) -> Iterator[Any]:
        self.revoking, self.notice = "others", ""
        yield
        count = 0

        def action(db: Session, user: User, auth_session: AuthSession) -> None:
            nonlocal count
            count = sign_in.revoke_other_sessions(db, user=user, keep=auth_session)
            db.flush()
            self._list(db, auth_session, user)

        revoked = self._act("revoke", action, with_session=True)
        self.revoking = ""
        if revoked:
            self._tell(f"Signed out of {count} other session{'s' if count != 1 else ''}.")
