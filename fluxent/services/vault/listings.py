"""What the vault pages list: the engagements whose vault the person may open."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.models.accounts import Membership, Organization, User
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus
from fluxent.models.vault import VaultItem
from fluxent.services.accounts import authz


@dataclass(frozen=True)
class VaultEngagementRow:
    id: int
    title: str
    organization: str
    items: int


def vault_engagements(session: Session, *, user: User) -> list[VaultEngagementRow]:
    """Open engagements of the person's organizations, or for staff those they are assigned to."""
    if authz.is_staff(user):
        mine = select(EngagementStaff.engagement_id).where(EngagementStaff.user_id == user.id)
    else:
        orgs = select(Membership.organization_id).where(Membership.user_id == user.id)
        mine = select(Engagement.id).where(Engagement.organization_id.in_(orgs))
    counts = (
        select(VaultItem.engagement_id, func.count().label("item_count")).group_by(VaultItem.engagement_id).subquery()
    )
    rows = session.execute(
        select(Engagement.id, Engagement.title, Organization.name, func.coalesce(counts.c.item_count, 0))
        .join(Organization, Organization.id == Engagement.organization_id)
        .outerjoin(counts, counts.c.engagement_id == Engagement.id)
        .where(Engagement.id.in_(mine), Engagement.status != EngagementStatus.CLOSED)
        .order_by(Organization.name, Engagement.title)
    )
    return [VaultEngagementRow(*row) for row in rows]
