"""The staff console's shared state: who may see a page, and how a refusal shows.

Every event resolves the person again from the ``sessionid`` cookie of the
websocket handshake (``SessionState._person``) and changes go through
``SessionState._act``; the services decide who may do what. A refusal becomes an
on-page message: field messages under
``"<form>.<field>"`` keys of ``errors`` next to the inputs of that form, the rest
under ``"<form>.form"`` and in the page's status line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import invitations
from fluxent.services.pagination import MAX_SEARCH
from fluxent.services.portal import console
from fluxent.state.formatting import day
from fluxent.state.session import Action, SessionAction, SessionState, error_messages


@dataclasses.dataclass
class InvitationRow:
    id: int
    email: str
    role: str  # the organization role it grants ("" for a staff invitation)
    expires: str


def invitation_rows(pending: list[invitations.PendingInvitation]) -> list[InvitationRow]:
    return [InvitationRow(row.id, row.email, row.org_role, day(row.expires_at)) for row in pending]


def parse_amount(text: str, field: str) -> int:
    """``"2,000.50"`` -> 200050 minor units; ValidationFailed naming ``field`` otherwise."""
    cleaned = (text or "").replace(",", "").replace(" ", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) > 10**12:
        message = "Enter an amount such as 2000 or 2,000.50."
        raise ValidationFailed(message, fields={field: message})
    return int(value * 100)


def parse_date(text: str, field: str) -> date | None:
    if not (text or "").strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("Enter a date as YYYY-MM-DD.", fields={field: "Enter a date as YYYY-MM-DD."}) from None


def filter_text(form: dict[str, Any]) -> str:
    """A list's search text (field ``q``) as submitted; the service checks and trims it further."""
    return str(form.get("q", "")).strip()[:MAX_SEARCH]


def filter_choice(form: dict[str, Any], allowed: Iterable[str], name: str = "status") -> str:
    """A list's choice (``status``) when it is one of ``allowed``; "" (any) otherwise."""
    value = str(form.get(name, ""))
    return value if value in set(allowed) else ""


def page_within(page: Any, pages: int) -> int:
    """The page a pager asked for, kept within 1..``pages``."""
    return min(max(1, int(page)), pages)


def route_id(state: rx.State, name: str) -> int:
    """The numeric ``[name]`` parameter of the page's route (0 when it is not a number)."""
    raw = str(state.router.page.params.get(name, "")) or state.router.page.raw_path.rstrip("/").rsplit("/", 1)[-1]
    return parse_id(raw) or 0


class ConsoleState(SessionState):
    # "loading", "ok", "denied" (not staff, or not admin on admin pages) or "missing" (no such object)
    access: str = "loading"
    errors: dict[str, str] = {}
    # Bumped after a successful form (or a reload), so its inputs remount with what was saved.
    form_version: int = 0

    def _load(self, fill: Action, *, fresh: bool = True) -> None:
        """Run ``fill(db, user)`` for the page; a refusal hides the page behind a message.

        ``fresh=False`` (a reload after an action) keeps that action's messages.
        """
        if fresh:
            self.errors = {}
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is None:
                self.access = "loading"
                return
            try:
                fill(db, user)
                self.access = "ok"
            except PermissionDenied:
                self.access = "denied"
            except NotFound:
                self.access = "missing"
            except ValidationFailed as error:  # a list's filter it cannot use (control characters)
                self._refused("filter", error)

    def _act(self, form: str, action: Action | SessionAction, success: str = "", *, with_session: bool = False) -> bool:
        self.errors = {}
        return super()._act(form, action, success, with_session=with_session)

    def _fill(self, db: Session, user: User) -> None:
        """Fill the page for ``user``; the pages that change things define it (see ``_change``)."""
        raise NotImplementedError

    def _change(self, form: str, action: Action, success: str, *, keep_inputs: bool = False) -> bool:
        """``_act``, then the page read again so it shows the change; True when it was saved.

        ``keep_inputs``: a refused form keeps what was typed (no reload, which remounts the inputs).
        """
        saved = self._act(form, action, success)
        if saved or not keep_inputs:
            self._load(self._fill, fresh=False)
        return saved

    def _call(self, form: str, service: Callable[..., Any], success: str, **arguments: Any) -> bool:
        """``_change`` running ``service(db, actor=person, **arguments)``, for arguments that need no parsing."""
        return self._change(form, lambda db, user: service(db, actor=user, **arguments), success)

    def _send_invitation(self, email: str, send: Action) -> bool:
        """Run ``send(db, user)``, the service call that e-mails an invitation to ``email``; True when sent."""
        return self._change("invite", send, f"Invitation sent to {email.strip()}.", keep_inputs=True)

    def _refused(self, form: str, error: DomainError) -> None:
        """Field messages under ``"<form>.<field>"`` next to the form's inputs, and the status line."""
        self.errors = {f"{form}.{name}": text for name, text in error_messages(error).items()}
        self._tell(error.message, error=True)


class ConsoleHomeState(ConsoleState):
    numbers: dict[str, int] = {}

    @rx.event
    def load(self) -> None:
        def fill(db: Session, user: User) -> None:
            overview = console.overview(db, actor=user)
            self.numbers = {
                "organizations": overview.organizations,
                "active_engagements": overview.active_engagements,
                "waiting_for_client": overview.waiting_for_client,
                "new_leads": overview.new_leads,
            }

        self._load(fill)
