"""The account page: the person's own profile, and changing their e-mail address.

Every handler re-resolves who is signed in from the handshake cookie; the rules
(which fields may change, re-authentication, the e-mail code) live in
``services.accounts.profile``. Errors come back as messages per field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.models.accounts import User
from fluxent.services.accounts import profile
from fluxent.state.form_focus import first_error
from fluxent.state.session import SessionState, error_messages

PROFILE_FIELDS = ("name", "username", "phone", "company", "country", "email")
# The profile form's fields as its error summary names them, in the form's order.
PROFILE_LABELS = (
    ("name", "Full name"),
    ("username", "Username"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("country", "Country"),
    ("email", "E-mail address"),
    ("current_password", "Current password"),
)
PROFILE_FORM = "profile"


class AccountState(SessionState):
    profile: dict[str, str] = {}
    # Bumped whenever the saved profile is reloaded, so the form's inputs remount with it.
    form_version: int = 0
    loaded: bool = False
    errors: dict[str, str] = {}
    pending_email: str = ""
    code_errors: dict[str, str] = {}

    def _fill(self, user: User) -> None:
        self.profile = {name: str(getattr(user, name) or "") for name in PROFILE_FIELDS}
        self.form_version += 1
        self.loaded = True

    @rx.event
    def load(self) -> None:
        self.errors, self.code_errors = {}, {}
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is not None:
                self._fill(user)

    @rx.event
    def save(self, form: dict[str, Any]) -> Iterator[Any]:
        """Save what changed; a new e-mail address waits for the code sent to it."""
        self.busy, self.errors = "profile", {}
        yield
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            changes = {
                name: str(form.get(name, "")).strip()
                for name in PROFILE_FIELDS
                if name in form and str(form.get(name, "")).strip() != str(getattr(user, name) or "")
            }
            if not changes:
                self._tell("Nothing to save: your profile is unchanged.")
                return
            result = profile.update_profile(
                db,
                user=user,
                changes=changes,
                current_password=str(form.get("current_password") or "") or None,
                ip=ip,
                user_agent=user_agent,
            )
            db.flush()
            self._fill(user)
            self.pending_email = result.pending_email or ""
            self.user_name = self.profile["name"] or self.profile["username"]
            if self.pending_email:
                self._tell("Code sent. Enter it below to finish changing your e-mail address.")
            else:
                self._tell("Profile saved.")

        if not self._act("profile", action):
            yield first_error(self._in_form_order(self.errors), form_id=PROFILE_FORM)

    @rx.event
    def confirm_email(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.code_errors = "code", {}
        yield
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            self._fill(
                profile.confirm_email_change(
                    db, user=user, code=str(form.get("code", "")).strip(), ip=ip, user_agent=user_agent
                )
            )

        if self._act("code", action, "Your e-mail address is changed."):
            self.pending_email = ""
            self.user_email = self.profile["email"]

    def _refused(self, form: str, error: DomainError) -> None:
        if form == "code":
            self.code_errors = error_messages(error, shown=("code",))
        else:
            self.errors = {"form": error.message} | error_messages(error, shown=(*PROFILE_FIELDS, "current_password"))

    @staticmethod
    def _in_form_order(errors: dict[str, str]) -> dict[str, str]:
        """The messages in the order the fields stand in the form (focus goes to the first)."""
        return {name: errors[name] for name, _ in PROFILE_LABELS if name in errors}

    @rx.event
    def cancel_email_change(self) -> None:
        """Hide the code form; the unused code simply expires."""
        self.pending_email, self.code_errors = "", {}
