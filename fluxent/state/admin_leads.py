"""Staff view of the leads pipeline. Every event re-resolves the person from the ``sessionid``
cookie in the websocket handshake and asks the lead services, which require staff."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE, cookie_value
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import DomainError, NotFound, PermissionDenied
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.models.marketing import Lead, LeadSource, LeadStatus
from fluxent.services.accounts import organizations
from fluxent.services.auth import sessions
from fluxent.services.marketing import leads, pipeline
from fluxent.state.session import SessionState

STATUSES = [status.value for status in LeadStatus]
SOURCES = [source.value for source in LeadSource]
SOURCE_LABELS = {"scope": "Scope", "contact": "Contact"}
PAGE_SIZE = 20
# Convert-form fields as the service names them -> as the form names them.
_CONVERT_FIELDS = {"title": "title", "fixed_price_minor": "price", "currency": "currency"}


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _row(lead: Lead) -> dict[str, str]:
    row = {
        "id": str(lead.id),
        "href": routes.admin_lead(lead.id),  # type: ignore[arg-type]
        "source": SOURCE_LABELS.get(str(lead.source), "Contact"),
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
        "created": _when(lead.created_at),
        "last_activity": _when(lead.last_activity_at),
        "converted": _when(lead.converted_at) if lead.converted_at else "",
    }
    return {key: value or ("" if key == "converted" else "—") for key, value in row.items()}


class AdminLeadsState(SessionState):
    """Under ``SessionState`` so that it is reset with the person's other states (``state/tab_binding.py``)."""

    # "loading", "ok", "denied" (not staff) or "missing" (no such lead)
    access: str = "loading"
    # The list
    rows: list[dict[str, str]] = []
    counts: list[dict[str, str]] = []
    total: int = 0
    status_filter: str = ""
    source_filter: str = ""
    query: str = ""
    page: int = 1
    pages: int = 1
    list_error: str = ""
    # One lead
    lead: dict[str, str] = {}
    notes: list[dict[str, str]] = []
    organization: str = ""
    organization_href: str = ""
    notice: str = ""
    error: str = ""
    note_errors: dict[str, str] = {}
    note_busy: bool = False
    convert_errors: dict[str, str] = {}
    convert_busy: bool = False
    converted: dict[str, str] = {}

    @rx.var
    def export_url(self) -> str:
        """The CSV of the leads under the list's filters (``GET /api/v1/leads/export/``)."""
        filters = {"status": self.status_filter, "source": self.source_filter, "q": self.query}
        query = urlencode({name: value for name, value in filters.items() if value})
        return routes.api_url(routes.API_LEADS_EXPORT) + (f"?{query}" if query else "")

    def _user(self, db) -> User | None:
        found = sessions.resolve(db, cookie_value(self.router.headers.cookie, SESSION_COOKIE))
        return None if found is None else found[1]

    # The list ---------------------------------------------------------------------

    def _load_list(self) -> None:
        self.list_error = ""
        with read_scope() as db:
            user = self._user(db)
            try:
                found = pipeline.list_leads(
                    db, actor=user, status=self.status_filter or None, source=self.source_filter or None,
                    q=self.query, page=self.page, page_size=PAGE_SIZE,
                )
                counts = pipeline.status_counts(db, actor=user)
            except PermissionDenied:
                self.rows, self.counts, self.access = [], [], "denied"
                return
            except DomainError as error:
                self.rows, self.total, self.pages, self.list_error = [], 0, 1, error.message
                return
        self.rows = [_row(lead) for lead in found.items]
        self.total, self.pages, self.page = found.total, found.pages, found.page
        self.counts = [{"status": status, "count": str(count)} for status, count in counts.items()]
        self.access = "ok"

    @rx.event
    def load_list(self) -> None:
        self._load_list()

    @rx.event
    def apply_filters(self, form_data: dict[str, Any]) -> None:
        self.status_filter = str(form_data.get("status", ""))
        self.source_filter = str(form_data.get("source", ""))
        self.query = str(form_data.get("q", "")).strip()
        self.page = 1
        self._load_list()

    @rx.event
    def set_filter(self, name: str, value: str) -> None:
        """A filter select changed: the list follows at once."""
        if name == "status":
            self.status_filter = value
        elif name == "source":
            self.source_filter = value
        self.page = 1
        self._load_list()

    @rx.event
    def show_status(self, status: str) -> None:
        """The pipeline summary's shortcut: only leads in ``status`` ("" for all)."""
        self.status_filter, self.page = status, 1
        self._load_list()

    @rx.event
    def clear_filters(self):
        self.status_filter = self.source_filter = self.query = ""
        self.page = 1
        self._load_list()
        return rx.set_value("leads-q", "")

    @rx.event
    def go_to_page(self, page: int) -> None:
        self.page = max(1, min(int(page), self.pages))
        self._load_list()

    # One lead ----------------------------------------------------------------------

    def _lead_id(self) -> int:
        raw = str(self.router.page.params.get("lead_id", "")) or self.router.page.raw_path.rstrip("/").rsplit("/", 1)[-1]
        return parse_id(raw) or 0

    def _load_lead(self, db, user: User | None) -> None:
        lead = leads.lead_for_staff(db, user=user, lead_id=self._lead_id())
        self.lead = _row(lead)
        self.notes = [
            {"id": str(entry.note.id), "body": entry.note.body, "author": entry.author, "when": _when(entry.note.created_at)}
            for entry in pipeline.notes_of(db, actor=user, lead_id=lead.id)  # type: ignore[arg-type]
        ]
        self.organization, self.organization_href = "", ""
        if lead.organization_id is not None:
            self.organization = organizations.get_organization(db, actor=user, organization_id=lead.organization_id).name  # type: ignore[arg-type]
            self.organization_href = routes.admin_organization(lead.organization_id)
        self.access = "ok"

    def _act(self, action) -> DomainError | None:
        """Run ``action(db, user)`` and reload the lead; the error message, if any."""
        try:
            with session_scope() as db:
                user = self._user(db)
                action(db, user)
                self._load_lead(db, user)
        except PermissionDenied:
            self.lead, self.notes, self.access = {}, [], "denied"
        except NotFound:
            self.lead, self.notes, self.access = {}, [], "missing"
        except DomainError as error:
            return error
        return None

    @rx.event
    def load_lead(self) -> None:
        self.notice = self.error = ""
        self.note_errors, self.convert_errors, self.converted = {}, {}, {}
        self.note_busy = self.convert_busy = False
        self._act(lambda db, user: None)

    @rx.event
    def change_status(self, form_data: dict[str, Any]) -> None:
        self.notice = self.error = ""
        status = str(form_data.get("status", ""))
        failed = self._act(lambda db, user: leads.set_status(db, user=user, lead_id=self._lead_id(), status=status))
        if failed is None and self.access == "ok":
            self.notice = f"Status changed to {status}."
        elif failed is not None:
            self.error = failed.message

    @rx.event
    def add_note(self, form_data: dict[str, Any]) -> Iterator[None]:
        self.notice = self.error = ""
        self.note_errors, self.note_busy = {}, True
        yield
        body = str(form_data.get("body", ""))
        failed = self._act(lambda db, user: pipeline.add_note(db, actor=user, lead_id=self._lead_id(), body=body))
        self.note_busy = False
        if failed is not None:
            self.note_errors = dict(failed.fields) or {"form": failed.message}
        elif self.access == "ok":
            self.notice = "Note added."
            yield rx.set_value("lead-note-body", "")

    @rx.event
    def convert(self, form_data: dict[str, Any]) -> Iterator[None]:
        self.notice = self.error = ""
        self.convert_errors, self.converted, self.convert_busy = {}, {}, True
        yield
        done: list[pipeline.Conversion] = []

        def action(db, user) -> None:
            done.append(
                pipeline.convert(
                    db, actor=user, lead_id=self._lead_id(), title=str(form_data.get("title", "")),
                    fixed_price_minor=pipeline.price_to_minor(str(form_data.get("price", ""))),
                    currency=str(form_data.get("currency", "")),
                )
            )

        failed = self._act(action)
        self.convert_busy = False
        if failed is not None:
            fields = {_CONVERT_FIELDS.get(name, name): message for name, message in failed.fields.items()}
            self.convert_errors = {**fields, "form": failed.message}
        elif done:
            conversion = done[0]
            self.converted = {
                "organization": conversion.organization.name,
                "engagement": conversion.engagement.title,
                "email": conversion.invitation.email,
                "organization_href": routes.admin_organization(conversion.organization.id),  # type: ignore[arg-type]
                "engagement_href": routes.admin_engagement(conversion.engagement.id),  # type: ignore[arg-type]
            }
