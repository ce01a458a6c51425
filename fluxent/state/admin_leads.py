"""Staff view of the leads pipeline, on the console's base (``ConsoleState``): every event
re-resolves the person and asks the lead services, which require staff."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from fluxent import routes
from fluxent.core.errors import DomainError, NotFound, PermissionDenied
from fluxent.models.accounts import User
from fluxent.models.marketing import Lead, LeadSource, LeadStatus
from fluxent.services.accounts import organizations
from fluxent.services.marketing import leads, pipeline
from fluxent.state.admin_console import ConsoleState, route_id
from fluxent.state.formatting import moment

STATUSES = [status.value for status in LeadStatus]
SOURCES = [source.value for source in LeadSource]
SOURCE_LABELS = {"scope": "Scope", "contact": "Contact"}
PAGE_SIZE = 20
# Convert-form fields as the service names them -> as the form names them.
_CONVERT_FIELDS = {"title": "title", "fixed_price_minor": "price", "currency": "currency"}


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
        "created": moment(lead.created_at),
        "last_activity": moment(lead.last_activity_at),
        "converted": moment(lead.converted_at) if lead.converted_at else "",
    }
    return {key: value or ("" if key == "converted" else "—") for key, value in row.items()}


class AdminLeadsState(ConsoleState):
    """Under ``SessionState`` (through the console's base) so that it is reset with the
    person's other states (``state/tab_binding.py``)."""

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
    note_errors: dict[str, str] = {}
    convert_errors: dict[str, str] = {}
    converted: dict[str, str] = {}

    @rx.var
    def export_url(self) -> str:
        """The CSV of the leads under the list's filters (``GET /api/v1/leads/export/``)."""
        filters = {"status": self.status_filter, "source": self.source_filter, "q": self.query}
        query = urlencode({name: value for name, value in filters.items() if value})
        return routes.api_url(routes.API_LEADS_EXPORT) + (f"?{query}" if query else "")

    # The list ---------------------------------------------------------------------

    def _load_list(self) -> None:
        self.list_error = ""

        def fill(db, user: User) -> None:
            try:
                found = pipeline.list_leads(
                    db,
                    actor=user,
                    status=self.status_filter or None,
                    source=self.source_filter or None,
                    q=self.query,
                    page=self.page,
                    page_size=PAGE_SIZE,
                )
                counts = pipeline.status_counts(db, actor=user)
            except PermissionDenied:
                self.rows, self.counts = [], []
                raise
            except DomainError as error:
                self.rows, self.total, self.pages, self.list_error = [], 0, 1, error.message
                return
            self.rows = [_row(lead) for lead in found.items]
            self.total, self.pages, self.page = found.total, found.pages, found.page
            self.counts = [{"status": status, "count": str(count)} for status, count in counts.items()]

        self._load(fill)

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
        return route_id(self, "lead_id")

    def _load_lead(self, db, user: User | None) -> None:
        lead = leads.lead_for_staff(db, user=user, lead_id=self._lead_id())
        self.lead = _row(lead)
        self.notes = [
            {
                "id": str(entry.note.id),
                "body": entry.note.body,
                "author": entry.author,
                "when": moment(entry.note.created_at),
            }
            for entry in pipeline.notes_of(db, actor=user, lead_id=lead.id)  # type: ignore[arg-type]
        ]
        self.organization, self.organization_href = "", ""
        if lead.organization_id is not None:
            self.organization = organizations.get_organization(
                db, actor=user, organization_id=lead.organization_id
            ).name  # type: ignore[arg-type]
            self.organization_href = routes.admin_organization(lead.organization_id)
        self.access = "ok"

    def _refused(self, form: str, error: DomainError) -> None:
        """No access hides the lead; the note and conversion forms show field messages."""
        if isinstance(error, (PermissionDenied, NotFound)):
            self.lead, self.notes = {}, []
            self.access = "denied" if isinstance(error, PermissionDenied) else "missing"
        elif form == "note":
            self.note_errors = dict(error.fields) or {"form": error.message}
        elif form == "convert":
            fields = {_CONVERT_FIELDS.get(name, name): message for name, message in error.fields.items()}
            self.convert_errors = {**fields, "form": error.message}
        else:
            self._tell(error.message, error=True)

    def _change(self, form: str, action, success: str = "") -> bool:
        """``_act`` that shows the lead as the change left it."""
        return self._act(form, lambda db, user: (action(db, user), self._load_lead(db, user)), success)

    @rx.event
    def load_lead(self) -> None:
        self.note_errors, self.convert_errors, self.converted = {}, {}, {}
        self.lead, self.notes, self.busy = {}, [], ""
        self._load(lambda db, user: self._load_lead(db, user))

    @rx.event
    def change_status(self, form_data: dict[str, Any]) -> None:
        status = str(form_data.get("status", ""))
        self._change(
            "status",
            lambda db, user: leads.set_status(db, user=user, lead_id=self._lead_id(), status=status),
            f"Status changed to {status}.",
        )

    @rx.event
    def add_note(self, form_data: dict[str, Any]) -> Iterator[Any]:
        self.note_errors, self.busy = {}, "note"
        yield
        body = str(form_data.get("body", ""))
        if self._change(
            "note",
            lambda db, user: pipeline.add_note(db, actor=user, lead_id=self._lead_id(), body=body),
            "Note added.",
        ):
            yield rx.set_value("lead-note-body", "")

    @rx.event
    def convert(self, form_data: dict[str, Any]) -> Iterator[Any]:
        self.convert_errors, self.converted, self.busy = {}, {}, "convert"
        yield

        def action(db, user) -> None:
            conversion = pipeline.convert(
                db,
                actor=user,
                lead_id=self._lead_id(),
                title=str(form_data.get("title", "")),
                fixed_price_minor=pipeline.price_to_minor(str(form_data.get("price", ""))),
                currency=str(form_data.get("currency", "")),
            )
            self.converted = {
                "organization": conversion.organization.name,
                "engagement": conversion.engagement.title,
                "email": conversion.invitation.email,
                "organization_href": routes.admin_organization(conversion.organization.id),  # type: ignore[arg-type]
                "engagement_href": routes.admin_engagement(conversion.engagement.id),  # type: ignore[arg-type]
            }

        if not self._change("convert", action):
            self.converted = {}
