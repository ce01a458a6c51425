"""Staff console: one engagement's editor (details, status, staff, milestones and the sum rule).
Thin handlers over ``services.portal.engagements`` and ``services.portal.milestones``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.core.errors import ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone
from fluxent.services.accounts import authz, organizations, staff
from fluxent.services.billing import invoices, ledger
from fluxent.services.portal import deliverables, engagements, milestones
from fluxent.state.admin_console import ConsoleState, parse_amount, parse_date, route_id
from fluxent.state.billing import LedgerRow, ledger_row
from fluxent.state.formatting import MILESTONE_TONES, STATUS_LABELS, date_input, day, money
from fluxent.state.vault import VaultState

STAFF_LABELS = {**STATUS_LABELS, "submitted": "Waiting for the client"}
# The button that moves an engagement to each status.
MOVE_LABELS = {
    "scoping": "Back to scoping",
    "proposed": "Mark as proposed",
    "active": "Start the engagement",
    "delivered": "Mark as delivered",
    "closed": "Close the engagement",
}


@dataclasses.dataclass
class Move:
    status: str
    label: str


@dataclasses.dataclass
class Person:
    id: int
    name: str


@dataclasses.dataclass
class DocumentChoice:
    id: int
    filename: str


@dataclasses.dataclass
class MilestonePlanRow:
    id: int
    title: str
    description: str
    acceptance_criteria: str
    links: str  # the deliverable links, one a line ("Label https://…")
    document_ids: list[int]  # the engagement's documents it delivers
    due: str  # YYYY-MM-DD or "", the date input's value
    due_label: str  # the same day as the page shows it
    amount: str  # major units for the input, e.g. "2000.00"
    amount_label: str
    status: str
    status_label: str
    tone: str  # the pill's colour
    can_edit: bool
    can_remove: bool
    can_start: bool
    can_submit: bool
    can_draft_invoice: bool  # accepted, and not invoiced yet
    invoice_href: str  # its invoice's page, "" when it has none


class EngagementEditorState(ConsoleState):
    engagement_id: int = 0
    details: dict[str, str] = {}
    status: str = ""
    status_label: str = ""
    can_reprice: bool = False
    can_add_milestone: bool = False
    organization: str = ""
    organization_href: str = ""
    moves: list[Move] = []
    allocation: str = ""
    allocation_ok: bool = False
    assigned: list[Person] = []
    assignable: list[dict[str, str]] = []  # staff to assign ({"id", "name"}), narrowed by assign_query
    assign_query: str = ""
    plan: list[MilestonePlanRow] = []
    documents: list[DocumentChoice] = []  # the engagement's documents a milestone may deliver
    ledger: list[LedgerRow] = []  # the engagement's one ledger row, as the ledger table takes rows

    def _fill(self, db: Session, user: User) -> None:
        # Staff only (it checks first): nothing of the page is filled for anyone else.
        authz.require_staff(user)
        engagement = engagements.get_engagement(db, actor=user, engagement_id=self.engagement_id)
        organization = organizations.get_organization(db, actor=user, organization_id=engagement.organization_id)
        status, currency = EngagementStatus(engagement.status), engagement.currency
        self.details = {
            "title": engagement.title,
            "scope_summary": engagement.scope_summary,
            "fixed_price_minor": f"{engagement.fixed_price_minor / 100:.2f}",
            "currency": currency,
            "start_date": date_input(engagement.start_date),
            "target_date": date_input(engagement.target_date),
            "price_label": money(engagement.fixed_price_minor, currency),
        }
        self.status, self.status_label = str(status), STAFF_LABELS[str(status)]
        self.can_reprice = engagements.can_reprice(engagement)
        self.can_add_milestone = milestones.can_add_milestone(engagement)
        self.organization, self.organization_href = organization.name, routes.admin_organization(organization.id)
        self.moves = [Move(str(target), MOVE_LABELS[str(target)]) for target in engagements.TRANSITIONS[status]]
        left = engagements.unallocated(db, engagement)
        self.allocation_ok = left == 0
        if left > 0:
            self.allocation = f"{money(left, currency)} left to allocate"
        elif left < 0:
            self.allocation = f"{money(-left, currency)} over the fixed price"
        else:
            self.allocation = "The milestones add up to the fixed price"
        assigned = engagements.assigned_staff(db, engagement.id)
        self.assigned = [Person(p.id, p.name or p.username) for p in assigned]
        self._fill_assignable(db, user)
        items = engagements.milestones_of(db, engagement.id)
        invoiced = invoices.milestone_invoice_ids(db, [m.id for m in items])
        self.plan = [_plan_row(db, engagement, m, invoiced.get(m.id)) for m in items]
        self.documents = [
            DocumentChoice(*choice)
            for choice in deliverables.document_choices(db, actor=user, engagement_id=engagement.id)
        ]
        self.ledger = [ledger_row(ledger.ledger_for(db, engagement))]
        self.form_version += 1

    @rx.event
    def load(self) -> None:
        self.engagement_id, self.assign_query = route_id(self, "engagement_id"), ""
        self._load(self._fill)

    @rx.event
    def save_details(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "details"
        yield
        self._change(
            "details",
            lambda db, user: engagements.update_engagement(
                db,
                actor=user,
                engagement_id=self.engagement_id,
                title=str(form.get("details.title", "")),
                scope_summary=str(form.get("details.scope_summary", "")),
                fixed_price_minor=parse_amount(str(form.get("details.fixed_price_minor", "")), "fixed_price_minor"),
                currency=str(form.get("details.currency", "")),
                start_date=parse_date(str(form.get("details.start_date", "")), "start_date"),
                target_date=parse_date(str(form.get("details.target_date", "")), "target_date"),
            ),
            "Engagement saved.",
            keep_inputs=True,
        )

    @rx.event
    def move(self, status: str) -> Any:
        """Change the status; closing shreds the vault, so its panel is read again."""
        if self._call(
            "status",
            engagements.change_status,
            f"The engagement is now {STATUS_LABELS.get(status, status).lower()}.",
            engagement_id=self.engagement_id,
            status=status,
        ):
            return VaultState.load_vault
        return None

    def _fill_assignable(self, db: Session, user: User) -> None:
        """The staff the picker offers: not yet assigned, named like ``assign_query``."""
        taken = {p.id for p in self.assigned}
        try:
            found = staff.assignable_staff(db, actor=user, query=self.assign_query)
        except ValidationFailed:  # control characters match nobody
            found = []
        self.assignable = [{"id": str(p.id), "name": p.name or p.username} for p in found if p.id not in taken]

    @rx.event
    def narrow_assignable(self, text: str) -> None:
        self.assign_query = str(text or "")[:200]
        self._load(self._fill_assignable, fresh=False)

    @rx.event
    def assign(self, form: dict[str, Any]) -> Any:
        """Assign staff; assigning oneself opens the vault panel, so it is read again."""
        raw = str(form.get("staff.user_id", ""))
        if self._call(
            "staff",
            engagements.assign_staff,
            "Staff member assigned.",
            engagement_id=self.engagement_id,
            user_id=parse_id(raw) or 0,
        ):
            return VaultState.load_vault
        return None

    @rx.event
    def unassign(self, user_id: int) -> Any:
        if self._call(
            "staff",
            engagements.unassign_staff,
            "Staff member unassigned.",
            engagement_id=self.engagement_id,
            user_id=user_id,
        ):
            return VaultState.load_vault
        return None

    @rx.event
    def add_milestone(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "milestone"
        yield
        self._change(
            "milestone",
            lambda db, user: milestones.add_milestone(
                db,
                actor=user,
                engagement_id=self.engagement_id,
                **_milestone_fields(form, "milestone"),
            ),
            "Milestone added.",
            keep_inputs=True,
        )

    @rx.event
    def save_milestone(self, form: dict[str, Any]) -> None:
        milestone_id = parse_id(str(form.get("milestone_id", ""))) or 0
        key = f"m{milestone_id}"
        self._change(
            key,
            lambda db, user: milestones.update_milestone(
                db,
                actor=user,
                engagement_id=self.engagement_id,
                milestone_id=milestone_id,
                **_milestone_fields(form, key),
            ),
            "Milestone saved.",
            keep_inputs=True,
        )

    @rx.event
    def remove_milestone(self, milestone_id: int) -> None:
        self._call(
            "plan",
            milestones.remove_milestone,
            "Milestone removed.",
            engagement_id=self.engagement_id,
            milestone_id=milestone_id,
        )

    @rx.event
    def start_milestone(self, milestone_id: int) -> None:
        self._call(
            "plan", milestones.start, "Milestone started.", engagement_id=self.engagement_id, milestone_id=milestone_id
        )

    @rx.event
    def submit_milestone(self, milestone_id: int) -> None:
        self._call(
            "plan",
            milestones.submit,
            "Milestone submitted: the client's owners are asked to accept it.",
            engagement_id=self.engagement_id,
            milestone_id=milestone_id,
        )

    @rx.event
    def draft_invoice(self, milestone_id: int) -> Iterator[Any]:
        """One click on an accepted milestone: its invoice drafted, then opened to review and issue."""
        drafted: list[int] = []
        if self._change(
            "plan",
            lambda db, user: drafted.append(
                invoices.draft_from_milestone(db, actor=user, milestone_id=milestone_id).id
            ),
            "Invoice drafted: review it, then issue it.",
        ):
            yield rx.redirect(routes.portal_invoice(drafted[0]))


def _milestone_fields(form: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The milestone form's fields; each ticked document (``<prefix>.document.<id>``) is a deliverable after the links."""
    documents = [
        deliverables.Deliverable(document_id=parse_id(name.rsplit(".", 1)[1]) or 0)
        for name, ticked in form.items()
        if name.startswith(f"{prefix}.document.") and ticked in ("on", True, "true")
    ]
    return {
        "title": str(form.get(f"{prefix}.title", "")),
        "description": str(form.get(f"{prefix}.description", "")),
        "acceptance_criteria": str(form.get(f"{prefix}.acceptance_criteria", "")),
        "deliverables": deliverables.parse_links(str(form.get(f"{prefix}.deliverables", ""))) + documents,
        "due_date": parse_date(str(form.get(f"{prefix}.due_date", "")), "due_date"),
        "amount_minor": parse_amount(str(form.get(f"{prefix}.amount_minor", "")), "amount_minor"),
    }


def _plan_row(db: Session, engagement: Engagement, milestone: Milestone, invoice_id: int | None) -> MilestonePlanRow:
    state = str(milestone.status)
    delivered = deliverables.deliverables_of(db, milestone.id)
    return MilestonePlanRow(
        id=milestone.id,
        title=milestone.title,
        description=milestone.description,
        acceptance_criteria=milestone.acceptance_criteria,
        links=deliverables.links_text(delivered),
        document_ids=[d.document_id for d in delivered if d.document_id is not None],
        due=date_input(milestone.due_date),
        due_label=day(milestone.due_date),
        amount=f"{milestone.amount_minor / 100:.2f}",
        amount_label=money(milestone.amount_minor, engagement.currency),
        status=state,
        status_label=STAFF_LABELS[state],
        tone=MILESTONE_TONES[state],
        can_edit=milestones.can_edit(engagement, milestone),
        can_remove=milestones.can_remove(engagement, milestone),
        can_start=milestones.can_start(engagement, milestone),
        can_submit=milestones.can_submit(engagement, milestone),
        can_draft_invoice=invoices.can_draft_from(milestone, invoice_id),
        invoice_href=routes.portal_invoice(invoice_id) if invoice_id else "",
    )
