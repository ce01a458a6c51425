"""The public privacy-request page: the form, then the code step, then what happens next.
Handlers parse the form, call one service (``services.privacy.requests``) and show the answer."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from fluxent.core.db import session_scope
from fluxent.core.errors import RateLimited, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.services.marketing import spam
from fluxent.services.privacy import requests
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import day
from fluxent.state.requester import client_ip

_FIELDS = ("kind", "email", "name", "details", "agent_name", "agent_email", "agent_authority", "appeal_of")


def _checked(form_data: dict, name: str) -> bool:
    return str(form_data.get(name, "")).lower() in ("on", "true", "yes", "1")


class PrivacyRequestFormState(rx.State):
    stamp: str = ""
    # "form", then "code" (the request waits for the e-mailed code), then "done".
    step: str = "form"
    request_id: int = 0
    errors: dict[str, str] = {}
    form_error: str = ""
    # Whom the next code goes to, and what the "done" step says.
    code_sent_to: str = ""
    outcome: str = ""

    @rx.event
    def prepare(self) -> None:
        """``on_load``: a fresh form; ``?request=<id>`` (the link in a code e-mail) opens the code step."""
        self.stamp = spam.new_stamp()
        self.errors, self.form_error, self.outcome, self.code_sent_to = {}, "", "", ""
        self.request_id = parse_id(str(self.router.url.query_parameters.get("request", ""))) or 0
        self.step = "code" if self.request_id else "form"

    @rx.event
    def submit(self, form_data: dict) -> EventSpec | None:
        form = requests.RequestForm(
            **{name: str(form_data.get(name, "")) for name in _FIELDS},
            child=_checked(form_data, "child"),
            agent=_checked(form_data, "agent"),
            honeypot=str(form_data.get(spam.HONEYPOT_FIELD, "")),
            stamp=self.stamp,
        )
        try:
            with session_scope() as db:
                request = requests.submit(db, form, ip=client_ip(self.router))
                sent_to = requests.requester_email(request) if request is not None else ""
                request_id = request.id if request is not None else 0
        except ValidationFailed as error:
            self.errors, self.form_error = dict(error.fields), error.message
            return first_error(self.errors)
        except RateLimited as error:
            self.errors, self.form_error = {}, error.message
            return None
        self.errors, self.form_error = {}, ""
        self.request_id, self.code_sent_to, self.step = request_id or 0, sent_to, "code"
        return None

    @rx.event
    def confirm(self, form_data: dict) -> EventSpec | None:
        try:
            with session_scope() as db:
                request = requests.confirm_code(
                    db,
                    request_id=self.request_id,
                    email=str(form_data.get("email", "")),
                    code=str(form_data.get("code", "")),
                    ip=client_ip(self.router),
                )
                waiting_for_subject = not requests.released_to_subject(request)
                due = day(request.due_at)
                reference = f"PR-{request.id}"
        except (ValidationFailed, RateLimited) as error:
            self.errors = dict(error.fields) or {"code": error.message}
            self.form_error = error.message
            return first_error(self.errors)
        self.errors, self.form_error, self.step = {}, "", "done"
        self.outcome = (
            f"Request {reference} is confirmed. We have e-mailed the person you act for: nothing about them "
            "is released or changed until they confirm it is them."
            if waiting_for_subject
            else f"Request {reference} is confirmed. We will answer by {due} at the latest."
        )
        return None
