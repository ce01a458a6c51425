"""The confirmation before a client owner accepts a milestone, shared by the dashboard and the
engagements page: it names the milestone, its amount (what will be invoiced), the engagement's
scope, the milestone's description, due date, acceptance criteria and deliverables.

What it shows is read again from ``listings.acceptance_line`` when it opens, and the acceptance
itself goes through ``milestones.accept``, which checks again who may.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.services.portal import listings, milestones
from fluxent.services.portal.deliverables import DeliverableLine
from fluxent.state.formatting import day, money

CANNOT_ACCEPT = "This milestone cannot be accepted now."


@dataclasses.dataclass
class DeliverableRow:
    label: str
    href: str
    is_document: bool


def deliverable_row(line: DeliverableLine) -> DeliverableRow:
    return DeliverableRow(line.label, routes.api_url(line.href) if line.is_document else line.href, line.is_document)


class MilestoneAcceptanceMixin(rx.State, mixin=True):
    """Mixed into a page state; that state says how its page is read again after a decision."""

    # The milestone the dialog asks about (0: closed), and what it says.
    confirming: int = 0
    confirm_engagement: int = 0
    confirm_engagement_title: str = ""
    confirm_scope: str = ""
    confirm_title: str = ""
    confirm_amount: str = ""
    confirm_due: str = ""
    confirm_description: str = ""
    confirm_criteria: str = ""
    confirm_deliverables: list[DeliverableRow] = []

    def _milestone_decided(self) -> None:
        """Read the page again after the milestone was accepted (or refused)."""
        raise NotImplementedError

    @rx.event
    def ask_accept(self, engagement_id: int, milestone_id: int) -> None:
        """Open the dialog for a milestone the viewer may accept now; change nothing."""
        try:
            with read_scope() as db:
                user = self._person(db)  # type: ignore[attr-defined]
                line = (
                    None
                    if user is None
                    else listings.acceptance_line(
                        db, actor=user, engagement_id=engagement_id, milestone_id=milestone_id
                    )
                )
        except DomainError:
            line = None
        if line is None or not line.milestone.can_decide:
            self.confirming = 0
            self._tell(CANNOT_ACCEPT, error=True)  # type: ignore[attr-defined]
            return
        milestone = line.milestone
        self.confirming, self.confirm_engagement = milestone.id, line.engagement_id
        self.confirm_engagement_title, self.confirm_scope = line.engagement_title, line.scope_summary
        self.confirm_title, self.confirm_amount = milestone.title, money(milestone.amount_minor, line.currency)
        self.confirm_due, self.confirm_description = day(milestone.due_date), milestone.description
        self.confirm_criteria = milestone.acceptance_criteria
        self.confirm_deliverables = [deliverable_row(item) for item in milestone.deliverables]

    @rx.event
    def cancel_accept(self) -> None:
        self.confirming = 0

    @rx.event
    def accept(self) -> None:
        """Accept the milestone the dialog names (the service checks again who may)."""
        engagement_id, milestone_id, title = self.confirm_engagement, self.confirming, self.confirm_title
        self.confirming = 0
        if not milestone_id:
            return
        self._act(  # type: ignore[attr-defined]
            "milestone",
            lambda db, user: milestones.accept(db, actor=user, engagement_id=engagement_id, milestone_id=milestone_id),
            f"{title} accepted. Thank you! A receipt is on its way by e-mail.",
        )
        self._milestone_decided()
