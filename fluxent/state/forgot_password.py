"""The forgotten-password page: e-mail a reset link, then say to check the inbox."""

from __future__ import annotations

from collections.abc import Iterator

import reflex as rx

from fluxent.services.auth import sign_in
from fluxent.state.sign_in import ENTER_EMAIL, send_request


class ForgotPasswordState(rx.State):
    email: str = ""
    email_error: str = ""
    busy: bool = False
    sent: bool = False

    @rx.event
    def load(self) -> None:
        self.busy = self.sent = False
        self.email_error = ""

    @rx.event
    def request_reset(self, form_data: dict) -> Iterator:
        self.email = str(form_data.get("email", "")).strip()
        if not self.email:
            self.email_error = ENTER_EMAIL
            return
        self.email_error, self.busy = "", True
        yield
        self.email_error = send_request(sign_in.request_password_reset, self.email, self.router)
        self.busy = False
        self.sent = not self.email_error

    @rx.event
    def start_over(self) -> None:
        self.sent = False
