"""Two-step sign-in on the security page: set up an authenticator app, keep recovery codes, remove it.

The rules live in ``services.auth.two_step``; each handler re-resolves the person
from the handshake cookie (``SessionState._act``). The secret and the recovery codes
are in the state only while they are on screen: recovery codes until the person
says they saved them (or leaves the page), the secret until the app is confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.models.accounts import User
from fluxent.services.auth import passkeys, two_step
from fluxent.state.formatting import moment
from fluxent.state.session import SessionState, error_messages

# Each form's code field, so a refusal shows under the field of the form that was sent.
CODE_FIELD = {"two_step_confirm": "setup_code", "two_step_codes": "renew_code", "two_step_remove": "remove_code"}


class TwoStepState(SessionState):
    two_step_loaded: bool = False
    two_step_on: bool = False
    two_step_since: str = ""
    recovery_codes_left: int = 0
    # Staff whose second step the site requires and who have none yet.
    two_step_required: bool = False
    # Passkeys (``state/passkeys.py``) are a second step too: then an app is a spare, not a must.
    has_passkeys: bool = False
    # An enrolment on screen: the QR code (a data: URI of an SVG) and the secret as text.
    qr_code: str = ""
    secret: str = ""
    # Shown once, right after they are made.
    recovery_codes: list[str] = []
    two_step_errors: dict[str, str] = {}
    # Bumped after each action so the code inputs remount empty.
    two_step_form_version: int = 0

    def _status(self, db: Session, user: User) -> None:
        found = two_step.status(db, user=user)
        self.two_step_on = found.enabled
        self.two_step_since = moment(found.enabled_at) if found.enabled_at else ""
        self.recovery_codes_left = found.recovery_codes_left
        self.has_passkeys = passkeys.has_passkey(db, user.id)
        self.two_step_required = two_step.required_for(user) and not found.enabled and not self.has_passkeys
        self.two_step_loaded = True

    @rx.event
    def load_two_step(self) -> None:
        self.qr_code = self.secret = ""
        self.recovery_codes, self.two_step_errors = [], {}
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is not None:
                self._status(db, user)

    def _refused(self, form: str, error: DomainError) -> None:
        if form in CODE_FIELD:
            field = CODE_FIELD[form]
            self.two_step_errors = error_messages(error, shown=(field,), renamed={"code": field})
        elif form.startswith("two_step"):
            self.two_step_errors = error_messages(error)
        else:
            super()._refused(form, error)

    def _run(self, form: str, action: Any, success: str = "") -> bool:
        self.busy, self.two_step_errors = form, {}
        done = self._act(form, action, success)
        if done:
            self.two_step_form_version += 1
        return done

    @rx.event
    def start_setup(self) -> Iterator[Any]:
        self.busy = "two_step_start"
        yield

        def action(db: Session, user: User) -> None:
            enrolment = two_step.begin_enrolment(db, user=user)
            self.qr_code, self.secret = enrolment.qr_data_uri, enrolment.secret

        self._run("two_step_start", action)

    @rx.event
    def cancel_setup(self) -> None:
        self.qr_code = self.secret = ""
        self.two_step_errors = {}

    @rx.event
    def confirm_setup(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "two_step_confirm"
        yield
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            codes = two_step.confirm_enrolment(
                db, user=user, code=str(form.get("setup_code", "")), ip=ip, user_agent=user_agent
            )
            self.recovery_codes = codes
            self._status(db, user)

        if self._run("two_step_confirm", action, "Two-step sign-in is on."):
            self.qr_code = self.secret = ""

    @rx.event
    def new_recovery_codes(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "two_step_codes"
        yield
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            self.recovery_codes = two_step.replace_recovery_codes(
                db, user=user, code=str(form.get("renew_code", "")), ip=ip, user_agent=user_agent
            )
            self._status(db, user)

        self._run("two_step_codes", action, "New recovery codes made; the old ones no longer work.")

    @rx.event
    def saved_recovery_codes(self) -> None:
        self.recovery_codes = []

    @rx.event
    def remove(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "two_step_remove"
        yield
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            two_step.remove(db, user=user, code=str(form.get("remove_code", "")), ip=ip, user_agent=user_agent)
            self._status(db, user)

        if self._run("two_step_remove", action, "Two-step sign-in is off."):
            self.recovery_codes = []
