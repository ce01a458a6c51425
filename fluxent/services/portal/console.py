"""The numbers on the staff console's home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent import routes
from fluxent.models.accounts import Membership, Organization, User
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.models.marketing import LeadStatus
from fluxent.services.accounts import authz, organizations
from fluxent.services.marketing import pipeline
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate_rows


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


@dataclass(frozen=True)
class OrganizationSummary:
    """An organization as the console lists it, with how many people and engagements it has."""

    id: int
    name: str
    href: str  # its console page
    members: int
    engagements: int
    active_engagements: int


def organization_rows(
    session: Session, *, actor: User, query: str = "", page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Page[OrganizationSummary]:
    """One page of the organizations whose name contains ``query``, counts included, in one
    statement (staff only)."""
    authz.require_staff(actor)

    def counted(model, *where) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.organization_id == Organization.id, *where)
            .correlate(Organization)
            .scalar_subquery()
        )

    statement = select(
        Organization.id,
        Organization.name,
        counted(Membership),
        counted(Engagement),
        counted(Engagement, Engagement.status == EngagementStatus.ACTIVE),
    ).order_by(Organization.name, Organization.id)
    found = paginate_rows(session, organizations.matching(statement, query), page=page, page_size=page_size)
    rows = [
        OrganizationSummary(id_, name, routes.admin_organization(id_), members, total, active)
        for id_, name, members, total, active in found.items
    ]
    return Page(items=rows, total=found.total, page=found.page, page_size=found.page_size)
