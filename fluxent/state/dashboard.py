"""State of the portal dashboard (``/portal``): a thin view of ``services.portal.dashboard``.

Shows the organization chosen in the top bar (``OrganizationState``); an owner
accepts a submitted milestone right here, after the same confirmation as on the engagements
page (``MilestoneAcceptanceMixin``).
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.services.portal import dashboard
from fluxent.state.acceptance import MilestoneAcceptanceMixin
from fluxent.state.formatting import STATUS_LABELS, day, money
from fluxent.state.organization import OrganizationState


@dataclasses.dataclass
class ActionRow:
    engagement_id: int
    milestone_id: int
    engagement: str
    milestone: str
    amount: str
    since: str
    can_accept: bool  # an owner deciding; staff see milestones sent back to them


@dataclasses.dataclass
class CardRow:
    id: int
    title: str
    organization: str
    status_label: str
    price: str
    accepted: str
    progress: int
    milestones: str  # "2 of 3 milestones accepted"; "" while there are none yet (scoping)
    next_milestone: str
    next_due: str


@dataclasses.dataclass
class RecentDocumentRow:
    id: int
    filename: str
    version: int
    updated: str
    download_url: str


@dataclasses.dataclass
class ActivityRow:
    sentence: str
    actor: str
    organization: str
    at: str


class DashboardState(OrganizationState, MilestoneAcceptanceMixin):
    actions: list[ActionRow] = []
    cards: list[CardRow] = []
    documents: list[RecentDocumentRow] = []
    activity: list[ActivityRow] = []
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        """``on_load`` of the page, and again when the organization switcher changes."""
        self._refresh()

    def _refresh(self) -> None:
        self.actions, self.cards, self.documents, self.activity = [], [], [], []
        try:
            with read_scope() as db:
                user = self._person(db)
                if user is not None:
                    self._show(dashboard.dashboard(db, actor=user, organization_id=self._chosen()))
        except DomainError as error:
            # The chosen organization is no longer the person's: back to all of theirs.
            self.organization_id = ""
            self._tell(error.message, error=True)
            self._refresh()
            return
        self.loaded = True

    def _show(self, board: dashboard.Dashboard) -> None:
        self.actions = [
            ActionRow(
                a.engagement_id,
                a.milestone_id,
                a.engagement_title,
                a.milestone_title,
                money(a.amount_minor, a.currency),
                day(a.since),
                a.kind == "decide_milestone",
            )
            for a in board.needs_action
        ]
        self.cards = [
            CardRow(
                c.id,
                c.title,
                c.organization,
                STATUS_LABELS.get(c.status, c.status.title()),
                money(c.fixed_price_minor, c.currency),
                money(c.accepted_minor, c.currency),
                c.progress_percent,
                f"{c.milestones_accepted} of {c.milestones} milestones accepted" if c.milestones else "",
                c.next_milestone,
                day(c.next_due),
            )
            for c in board.engagements
        ]
        self.documents = [
            RecentDocumentRow(d.id, d.filename, d.version, day(d.updated_at), routes.api_url(d.download_url))
            for d in board.recent_documents
        ]
        self.activity = [ActivityRow(a.sentence, a.actor, a.organization, day(a.at)) for a in board.recent_activity]

    def _milestone_decided(self) -> None:
        self._refresh()
