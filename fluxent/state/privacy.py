"""The privacy centre: what is held and why, the dates it goes, the data download, and deleting the account.

Deleting needs re-authentication (the password, or a code e-mailed on request) and a
typed confirmation. ``services.privacy.self_erasure`` decides everything else, including
refusing while the person is an organization's only owner. Afterwards the page sends
the browser to the home page with a full page load.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.privacy import PrivacyRequest
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import step_up
from fluxent.services.privacy.dated_retention import retention_dates
from fluxent.services.privacy.erasure import erasure_keeps
from fluxent.services.privacy.export import privacy_summary
from fluxent.services.privacy.requests import requests_of
from fluxent.services.privacy.self_erasure import erase_self
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import day
from fluxent.state.session import SessionState, error_messages

CONFIRM_WORD = "DELETE"
CONFIRM_HINT = f"Type {CONFIRM_WORD} or your e-mail address to confirm."


ERASE_FORM = "erase"
# The deletion form's fields as its error summary names them, in the form's order.
ERASE_LABELS = (("secret", "Password or e-mail code"), ("confirmation", "Confirmation"))


def confirmation_matches(typed: str, email: str) -> bool:
    """The typed confirmation: the word DELETE, or the account's own e-mail address."""
    typed = typed.strip()
    return typed == CONFIRM_WORD or (bool(email) and typed.casefold() == email.casefold())


def _request_status(request: PrivacyRequest) -> str:
    if request.closed_at is not None:
        outcome = str(request.outcome or "closed").replace("_", " ")
        return f"Answered on {day(request.closed_at)}: {outcome}"
    return f"Open: we answer by {day(request.due_at)}"


class PrivacyState(SessionState):
    categories: list[dict[str, Any]] = []
    # What is held about this person, per category: legal basis, rule, and the dates its parts go.
    dated: list[dict[str, Any]] = []
    # The person's privacy requests: what they asked, when, and where each stands.
    past_requests: list[dict[str, str]] = []
    kept: list[dict[str, str]] = []
    method: str = "password"  # or "code"
    code_sent: bool = False
    errors: dict[str, str] = {}
    # Where the browser goes once the account is gone (rendered as a page refresh).
    leave_to: str = ""

    @rx.event
    def load(self) -> None:
        self.errors, self.leave_to = {}, ""
        self.categories = [
            {
                "title": item.title,
                "description": item.description,
                "held_as": list(item.held_as),
                "legal_bases": list(item.legal_bases),
                "retention": list(item.retention),
            }
            for item in privacy_summary()
        ]
        self.kept = [
            {"description": item.description, "how": item.how, "reason": item.reason, "retention": item.retention}
            for item in erasure_keeps()
        ]
        with read_scope() as db:
            user = self._signed_in_person(db)
            held = [] if user is None else retention_dates(db, user=user)
            asked = [] if user is None else requests_of(db, user=user)
        self.past_requests = [
            {
                "kind": request.kind.replace("_", " ").capitalize(),
                "received": day(request.received_at),
                "status": _request_status(request),
            }
            for request in asked
        ]
        self.dated = [
            {
                "title": category.title,
                "basis": category.basis,
                "rule": category.rule,
                "parts": [{"label": part.label, "on": day(part.on)} for part in category.parts],
            }
            for category in held
        ]

    @rx.event
    def use_method(self, method: str) -> None:
        self.method = "code" if method == "code" else "password"
        self.errors = {}

    @rx.event
    def send_code(self) -> Iterator[Any]:
        self.busy, self.errors = "code", {}
        yield
        ip, user_agent = self._client()
        if self._act(
            "code", lambda db, user: step_up.request_code(db, user=user, pii=Personal(ip, user_agent, user.email))
        ):
            self.code_sent = True
            self._tell(f"We sent a 6-digit code to {self.user_email}.")

    @rx.event
    def delete_account(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.errors = "delete", {}
        yield
        secret = str(form.get("secret", ""))
        ip, user_agent = self._client()

        def action(db: Session, user: User) -> None:
            if not confirmation_matches(str(form.get("confirmation", "")), user.email):
                raise ValidationFailed(CONFIRM_HINT, fields={"confirmation": CONFIRM_HINT})
            erase_self(
                db,
                user=user,
                password=secret if self.method == "password" else None,
                code=secret.strip() if self.method == "code" else None,
                ip=ip,
                user_agent=user_agent,
            )

        if self._act("delete", action):
            # The session is gone with the account; the page now leaves with a full page load.
            self.leave_to = routes.home_with_notice(routes.NOTICE_ACCOUNT_DELETED)
        else:
            in_order = {name: self.errors[name] for name, _ in ERASE_LABELS if name in self.errors}
            yield first_error(in_order, form_id=ERASE_FORM)

    def _refused(self, form: str, error: DomainError) -> None:
        # The service names the secret "password" or "code"; this page has one field for either.
        shown = ("secret",) if form == "code" else ("secret", "confirmation")
        self.errors = error_messages(error, shown=shown, renamed={"password": "secret", "code": "secret"})
        if form == "delete":  # the deletion form's summary: its message, then each field in error
            self.errors = {"form": error.message} | self.errors
