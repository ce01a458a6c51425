"""Staff view of leads. Every event re-resolves the person from the ``sessionid`` cookie
in the websocket handshake and asks the lead service, which requires staff."""

from __future__ import annotations

import reflex as rx

from fluxent.core.cookies import SESSION_COOKIE, cookie_value
from fluxent.core.db import session_scope
from fluxent.core.errors import NotFound, PermissionDenied, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.marketing import Lead, LeadStatus
from fluxent.services import leads, sessions

STATUSES = [status.value for status in LeadStatus]


def _row(lead: Lead) -> dict[str, str]:
    row = {
        "id": str(lead.id),
        "source": "Scope" if lead.source == "scope" else "Contact",
        "status": str(lead.status),
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "country": lead.country,
        "message": lead.message,
        "audience": lead.audience,
        "timeline": lead.timeline,
        "budget": lead.budget,
        "created": f"{lead.created_at:%Y-%m-%d %H:%M} UTC",
        "last_activity": f"{lead.last_activity_at:%Y-%m-%d %H:%M} UTC",
    }
    return {key: value or "—" for key, value in row.items()}


class AdminLeadsState(rx.State):
    # "loading", "ok", "denied" (not staff) or "missing" (no such lead)
    access: str = "loading"
    rows: list[dict[str, str]] = []
    lead: dict[str, str] = {}
    notice: str = ""

    def _user(self, db) -> User | None:
        found = sessions.resolve(db, cookie_value(self.router.headers.cookie, SESSION_COOKIE))
        return None if found is None else found[1]

    @rx.event
    def load_list(self) -> None:
        with session_scope() as db:
            try:
                self.rows = [_row(lead) for lead in leads.leads_for_staff(db, user=self._user(db))]
                self.access = "ok"
            except PermissionDenied:
                self.rows, self.access = [], "denied"

    def _lead_id(self) -> int:
        raw = str(self.router.page.params.get("lead_id", "")) or self.router.page.raw_path.rstrip("/").rsplit("/", 1)[-1]
        return int(raw) if raw.isdigit() else 0

    @rx.event
    def load_lead(self) -> None:
        self.notice = ""
        with session_scope() as db:
            try:
                self.lead = _row(leads.lead_for_staff(db, user=self._user(db), lead_id=self._lead_id()))
                self.access = "ok"
            except PermissionDenied:
                self.lead, self.access = {}, "denied"
            except NotFound:
                self.lead, self.access = {}, "missing"

    @rx.event
    def change_status(self, form_data: dict) -> None:
        with session_scope() as db:
            try:
                lead = leads.set_status(db, user=self._user(db), lead_id=self._lead_id(), status=str(form_data.get("status", "")))
                self.lead = _row(lead)
                self.notice = f"Status changed to {lead.status}."
            except PermissionDenied:
                self.lead, self.access = {}, "denied"
            except (NotFound, ValidationFailed) as error:
                self.notice = error.message
