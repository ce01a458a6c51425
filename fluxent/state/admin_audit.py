"""Staff console, administrators only: the audit log under filters, page by page, its export, and
the chain's verification. Thin handlers over ``services.audit.viewer`` and ``services.audit.verification``."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any
from urllib.parse import urlencode

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import organizations
from fluxent.services.audit import verification, viewer
from fluxent.state.admin_console import ConsoleState, parse_date
from fluxent.state.formatting import moment

PAGE_SIZE = 25
FORM = "filters"


@dataclasses.dataclass
class EventRow:
    seq: int
    when: str
    action: str
    actor: str
    target: str
    organization: str
    meta: str
    ip: str
    user_agent: str
    email: str
    erased: bool


@dataclasses.dataclass
class Choice:
    value: str
    label: str


def _row(line: viewer.AuditLine) -> EventRow:
    return EventRow(
        seq=line.seq,
        when=moment(line.created_at, seconds=True),
        action=line.action,
        actor=line.actor or "system",
        target=line.target,
        organization=line.organization,
        meta="" if line.meta == "{}" else line.meta,
        ip=line.ip,
        user_agent=line.user_agent,
        email=line.email,
        erased=line.erased,
    )


class AdminAuditState(ConsoleState):
    rows: list[EventRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    # The filters as the form holds them (dates as YYYY-MM-DD).
    person: str = ""
    action: str = ""
    organization: str = ""
    since: str = ""
    until: str = ""
    actions: list[Choice] = []
    organization_choices: list[Choice] = []
    # The chain: "never", "ok" or "broken", and the sentence that says it.
    chain: str = "never"
    chain_text: str = ""
    verifying: bool = False

    def _filters(self) -> viewer.AuditFilter:
        filters = viewer.AuditFilter(
            person=self.person,
            action=self.action,
            organization_id=parse_id(self.organization) if self.organization else None,
            since=parse_date(self.since, "since"),
            until=parse_date(self.until, "until"),
        )
        if self.organization and filters.organization_id is None:
            raise ValidationFailed("Choose an organization from the list.", fields={"organization": "Choose one."})
        return filters

    @rx.var
    def export_csv(self) -> str:
        return self._export_url("csv")

    @rx.var
    def export_json(self) -> str:
        return self._export_url("json")

    def _export_url(self, fmt: str) -> str:
        """``GET /api/v1/audit-events/export/`` under the list's filters."""
        filters = {
            "format": fmt,
            "person": self.person,
            "action": self.action,
            "organization": self.organization,
            "since": self.since,
            "until": self.until,
        }
        return routes.api_url(routes.API_AUDIT_EXPORT) + "?" + urlencode({k: v for k, v in filters.items() if v})

    def _fill(self, db: Session, user: User) -> None:
        last = verification.last_verification(db, actor=user)  # administrators only: it checks first
        self._show_chain(last)
        self.actions = [Choice(name, name) for name in viewer.action_names(db, actor=user)]
        self.organization_choices = [
            Choice(str(org.id), org.name)
            for org in organizations.search_organizations(db, actor=user, page_size=100).items
        ]
        try:
            found = viewer.events(db, actor=user, filters=self._filters(), page=self.page, page_size=PAGE_SIZE)
        except ValidationFailed as error:
            self.rows, self.total, self.pages = [], 0, 1
            self._refused(FORM, error)
            return
        self.rows = [_row(line) for line in found.items]
        self.total, self.pages = found.total, found.pages

    def _show_chain(self, last: verification.Verification | None) -> None:
        if last is None:
            self.chain, self.chain_text = "never", "The chain has not been verified yet."
        elif last.ok:
            self.chain = "ok"
            self.chain_text = f"Verified {moment(last.at)}: OK, {last.checked:,} events checked."
        else:
            self.chain = "broken"
            self.chain_text = (
                f"Verified {moment(last.at)}: BROKEN at sequence number {last.broken_seq} ({last.reason})."
            )

    @rx.event
    def load(self) -> None:
        self._load(self._fill)

    @rx.event
    def apply_filters(self, form: dict[str, Any]) -> None:
        self.person = " ".join(str(form.get(f"{FORM}.person", "")).split())
        self.action, self.organization, self.since, self.until = (
            str(form.get(f"{FORM}.{name}", "")).strip() for name in ("action", "organization", "since", "until")
        )
        self.page = 1
        self._load(self._fill)

    @rx.event
    def clear_filters(self) -> None:
        self.person = self.action = self.organization = self.since = self.until = ""
        self.page = 1
        self.form_version += 1
        self._load(self._fill)

    @rx.event
    def go_to_page(self, page: int) -> None:
        self.page = max(1, min(int(page), self.pages))
        self._load(self._fill, fresh=False)

    @rx.event(background=True)
    async def verify(self) -> None:
        """The same check as ``python -m fluxent audit verify``, off the event loop (it reads the whole chain)."""
        async with self:
            self.verifying = True
            with read_scope() as db:
                user = self._signed_in_person(db)
                actor_id = None if user is None else user.id
        try:
            if actor_id is not None:
                await asyncio.to_thread(verification.verify_now, actor_id=actor_id)
        except DomainError as error:
            async with self:
                self.verifying = False
                self._refused("verify", error)
            return
        async with self:
            self.verifying = False
            self._load(self._fill, fresh=False)
            self._tell("The chain was verified: " + self.chain_text.split(": ", 1)[-1], error=self.chain == "broken")
