"""Passkeys on the security page: add one (named), see when each was last used, remove one.

The rules live in ``services.auth.passkeys``. Adding takes two moves in the page: "Add a
passkey" asks the service for a fresh challenge and opens the naming panel; "Create passkey"
hands the challenge to the browser (``components/passkeys.py``), whose answer comes back to
``passkey_created``. Removing asks for the password unless the person confirmed it is them
in the last few minutes (``services.auth.step_up``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.services.auth import passkeys
from fluxent.state.formatting import moment
from fluxent.state.session import SessionState, error_messages

NOT_CREATED = "Your device did not make a passkey (it was cancelled, or this browser cannot). Try again."


class PasskeysState(SessionState):
    passkeys_loaded: bool = False
    # id, name, added, last_used ("" when never).
    passkey_rows: list[dict[str, str]] = []
    # The naming panel is open with this challenge for the browser.
    passkey_options: dict[str, Any] = {}
    passkey_name: str = ""
    # The passkey whose removal is being confirmed ("" when none).
    passkey_removing: str = ""
    passkey_errors: dict[str, str] = {}

    def _list(self, db: Session, user: User) -> None:
        self.passkey_rows = [
            {
                "id": str(row.id),
                "name": row.name,
                "added": moment(row.created_at),
                "last_used": moment(row.last_used_at) if row.last_used_at else "",
            }
            for row in passkeys.list_for(db, user_id=user.id)
        ]
        self.passkeys_loaded = True

    @rx.event
    def load_passkeys(self) -> None:
        self.passkey_options, self.passkey_name, self.passkey_removing, self.passkey_errors = {}, "", "", {}
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is not None:
                self._list(db, user)

    def _refused(self, form: str, error: DomainError) -> None:
        if form.startswith("passkey"):
            self.passkey_errors = error_messages(error, shown=("name", "password"))
        else:
            super()._refused(form, error)

    @rx.event
    def start_adding(self) -> Iterator[Any]:
        self.busy, self.passkey_errors, self.passkey_removing = "passkey_start", {}, ""
        yield

        def action(db: Session, user: User) -> None:
            self.passkey_options = passkeys.registration_options(db, user=user)

        self._act("passkey_start", action)

    @rx.event
    def set_passkey_name(self, value: str) -> None:
        self.passkey_name = value[: passkeys.NAME_LENGTH]

    @rx.event
    def cancel_adding(self) -> None:
        self.passkey_options, self.passkey_name, self.passkey_errors = {}, "", {}

    @rx.event
    def passkey_created(self, outcome: dict[str, Any]) -> Iterator[Any]:
        """The browser's answer: ``{"response": <JSON text>}``, or ``{"error": <name>}`` when no passkey was made."""
        response = str((outcome or {}).get("response") or "")
        if not response:
            self.passkey_errors = {"form": NOT_CREATED}
            yield PasskeysState.start_adding
            return
        self.busy, self.passkey_errors = "passkey_add", {}
        yield
        ip, user_agent = self._client()
        name = self.passkey_name

        def action(db: Session, user: User) -> None:
            passkeys.add(db, user=user, name=name, response=response, ip=ip, user_agent=user_agent)
            self._list(db, user)

        if self._act("passkey_add", action, f"Passkey “{name.strip()}” added."):
            self.passkey_options, self.passkey_name = {}, ""
        elif self.passkey_options:
            yield PasskeysState.renew_challenge

    @rx.event
    def renew_challenge(self) -> None:
        """A refused answer used its challenge up: a fresh one, keeping the name and the message."""
        errors = self.passkey_errors

        def action(db: Session, user: User) -> None:
            self.passkey_options = passkeys.registration_options(db, user=user)

        self._act("passkey_start", action)
        self.passkey_errors = errors

    @rx.event
    def ask_remove(self, passkey_id: str) -> None:
        self.passkey_removing, self.passkey_errors = passkey_id, {}

    @rx.event
    def cancel_remove(self) -> None:
        self.passkey_removing, self.passkey_errors = "", {}

    @rx.event
    def remove_passkey(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.passkey_errors = "passkey_remove", {}
        yield
        ip, user_agent = self._client()
        password = str(form.get("password", "")) or None
        try:
            passkey_id = int(self.passkey_removing)
        except ValueError:
            return

        def action(db: Session, user: User, browser: AuthSession) -> None:
            passkeys.remove(
                db,
                user=user,
                passkey_id=passkey_id,
                auth_session=browser,
                password=password,
                ip=ip,
                user_agent=user_agent,
            )
            self._list(db, user)

        if self._act("passkey_remove", action, "Passkey removed.", with_session=True):
            self.passkey_removing = ""
