"""The privacy desk (``/admin/privacy-requests``): the queue with its clocks, one request's
detail and audited steps, and the actions, each one call to ``services.privacy.requests``
or ``services.privacy.fulfilment`` (which decide who may do what)."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.models.privacy import PrivacyRequest, RequestStatus
from fluxent.services.pagination import DEFAULT_PAGE_SIZE
from fluxent.services.privacy import fulfilment, requests
from fluxent.state.admin_console import ConsoleState, filter_choice, filter_text, page_within
from fluxent.state.formatting import day, moment

PAGE_SIZE = DEFAULT_PAGE_SIZE
CLOCK_LABELS = {"on_time": "On time", "due_soon": "Due soon", "overdue": "Overdue", "closed": "Closed"}


@dataclasses.dataclass
class RequestRow:
    id: int
    reference: str
    kind: str
    subject: str
    status: str
    clock: str
    clock_label: str
    due: str
    days_left: int
    verification: str


def _row(request: PrivacyRequest) -> RequestRow:
    clock = requests.clock_state(request)
    return RequestRow(
        id=request.id or 0,
        reference=f"PR-{request.id}",
        kind=requests.KIND_LABELS[request.kind] + (" (child's data)" if request.child else ""),
        subject=request.subject_email,
        status=str(request.status),
        clock=clock,
        clock_label=CLOCK_LABELS[clock],
        due=day(request.due_at),
        days_left=requests.days_left(request),
        verification=requests.verification_status(request),
    )


class AdminPrivacyState(ConsoleState):
    rows: list[RequestRow] = []
    # The queue's filters and page.
    request_query: str = ""
    request_status: str = ""  # a RequestStatus value; "" for every confirmed request
    request_page: int = 1
    request_pages: int = 1
    request_total: int = 0
    selected: int = 0
    detail: dict[str, str] = {}
    steps: list[dict[str, str]] = []

    def _fill(self, db: Session, user: User) -> None:
        self._fill_queue(db, user)
        self.detail, self.steps = {}, []
        if self.selected:
            request = requests.request_for_staff(db, actor=user, request_id=self.selected)
            row = _row(request)
            self.detail = {
                **{key: str(value) for key, value in dataclasses.asdict(row).items()},
                "name": request.subject_name or "—",
                "details": request.details or "—",
                "agent": f"{request.agent_name} <{request.agent_email}>" if request.agent_email else "",
                "authority": request.agent_authority,
                "received": day(request.received_at),
                "extended": day(request.extended_at) if request.extended_at else "",
                "extension_reason": request.extension_reason,
                "outcome": str(request.outcome or ""),
                "outcome_note": request.outcome_note,
                "appeal_of": f"PR-{request.appeal_of_id}" if request.appeal_of_id else "",
            }
            self.steps = [
                {"at": moment(step.at), "action": step.action, "actor": step.actor}
                for step in requests.steps_of(db, actor=user, request_id=request.id)
            ]
        self.form_version += 1

    def _fill_queue(self, db: Session, user: User) -> None:
        found = requests.queue(
            db,
            actor=user,
            status=self.request_status,
            query=self.request_query,
            page=self.request_page,
            page_size=PAGE_SIZE,
        )
        self.rows = [_row(item) for item in found.items]
        self.request_total, self.request_pages = found.total, found.pages

    @rx.event
    def search_requests(self, form: dict[str, Any]) -> None:
        self.request_status = filter_choice(form, RequestStatus)
        self.request_query, self.request_page = filter_text(form), 1
        self._load(self._fill_queue)

    @rx.event
    def requests_go_to(self, page: int) -> None:
        self.request_page = page_within(page, self.request_pages)
        self._load(self._fill_queue)

    @rx.event
    def load(self) -> None:
        self.selected = parse_id(str(self.router.url.query_parameters.get("request", ""))) or 0
        self._load(self._fill)

    @rx.event
    def open_request(self, request_id: int) -> None:
        self.selected = int(request_id)
        self._load(self._fill)

    # Actions: each runs one service as the signed-in person, then shows the request again.

    @rx.event
    def extend(self, form: dict[str, Any]) -> None:
        reason = str(form.get("reason", ""))
        self._call(
            "extend",
            requests.extend,
            "Extended by 45 days; the requester was told.",
            request_id=self.selected,
            reason=reason,
        )

    @rx.event
    def close(self, form: dict[str, Any]) -> None:
        self._call(
            "close",
            requests.close,
            "Closed; the requester was answered.",
            request_id=self.selected,
            outcome=str(form.get("outcome", "")),
            note=str(form.get("note", "")),
        )

    @rx.event
    def send_code(self) -> None:
        self._call("act", requests.send_subject_code, "A code was e-mailed to the subject.", request_id=self.selected)

    @rx.event
    def send_export(self) -> None:
        self._call(
            "act", fulfilment.send_export, "The export link was e-mailed to the subject.", request_id=self.selected
        )

    @rx.event
    def erase(self) -> None:
        self._call("act", fulfilment.erase, "The subject's data was erased.", request_id=self.selected)

    @rx.event
    def restrict(self) -> None:
        self._call("act", fulfilment.restrict, "Processing is restricted.", request_id=self.selected)

    @rx.event
    def lift_restriction(self) -> None:
        self._call("act", fulfilment.lift_restriction, "The restriction is lifted.", request_id=self.selected)

    @rx.event
    def object_to_marketing(self) -> None:
        self._call("act", fulfilment.object_to_marketing, "Unsubscribed and suppressed.", request_id=self.selected)

    @rx.event
    def correct(self, form: dict[str, Any]) -> None:
        changes = {name: str(form.get(name, "")) for name in fulfilment.CORRECTABLE if str(form.get(name, "")).strip()}
        self._call("correct", fulfilment.correct, "Corrected.", request_id=self.selected, changes=changes)
