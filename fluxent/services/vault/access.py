"""Who may use an engagement's vault.

- Owners and members of the engagement's organization add, edit, delete and reveal.
- Staff assigned to the engagement list and reveal; unassigned staff, administrators
  included, get PermissionDenied until they assign themselves (audited, and shown on
  the client's activity page).
- Everyone else gets NotFound, so an id tells an outsider nothing.
A closed engagement has no vault any more (it was shredded at close).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus
from fluxent.services.accounts import authz

NO_VAULT = "No such vault."
NOT_ASSIGNED = "Only staff assigned to this engagement can use its vault."
CLIENTS_ONLY = "Only the client's people add, change or delete vault items."


@dataclass(frozen=True)
class VaultAccess:
    engagement: Engagement
    membership: Membership | None  # None: assigned staff

    @property
    def manages(self) -> bool:
        return self.membership is not None

    @property
    def is_owner(self) -> bool:
        return self.membership is not None and self.membership.role == OrgRole.OWNER


def is_assigned(session: Session, user_id: int, engagement_id: int) -> bool:
    found = session.scalars(
        select(EngagementStaff.id).where(
            EngagementStaff.engagement_id == engagement_id, EngagementStaff.user_id == user_id
        )
    ).first()
    return found is not None


def vault_access(session: Session, user: User | None, engagement_id: int, *, manage: bool = False) -> VaultAccess:
    """The caller's access to the engagement's vault; ``manage`` asks for the client's rights."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or user is None or engagement.status == EngagementStatus.CLOSED:
        raise NotFound(NO_VAULT)
    if authz.is_staff(user):
        if not is_assigned(session, user.id, engagement.id):
            raise PermissionDenied(NOT_ASSIGNED)
        if manage:
            raise PermissionDenied(CLIENTS_ONLY)
        return VaultAccess(engagement, None)
    try:
        membership = authz.require_org_member(session, user, engagement.organization_id)
    except NotFound:
        raise NotFound(NO_VAULT) from None
    return VaultAccess(engagement, membership)
