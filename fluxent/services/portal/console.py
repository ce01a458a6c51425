"""The numbers on the staff console's home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.models.accounts import Organization, User
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.models.marketing import LeadStatus
from fluxent.services.accounts import authz
from fluxent.services.marketing import pipeline


@dataclass(frozen=True)
class Overview:
    organizations: int
    active_engagements: int
    waiting_for_client: int  # submitted milestones the client has not decided on
    new_leads: int


def overview(session: Session, *, actor: User) -> Overview:
    authz.require_staff(actor)

    def count(model, *where) -> int:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

    return Overview(
        organizations=count(Organization),
        active_engagements=count(Engagement, Engagement.status == EngagementStatus.ACTIVE),
        waiting_for_client=count(Milestone, Milestone.status == MilestoneStatus.SUBMITTED),
        new_leads=pipeline.status_counts(session, actor=actor)[LeadStatus.NEW],
    )
