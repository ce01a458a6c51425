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

from sqlalchemy import and_, select
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


def vault_access(session: Session, user: User | None, engagement_id: int, *, manage: bool = False) -> VaultAccess:
    """The caller's access to the engagement's vault; ``manage`` asks for the client's rights.

    One read gives the engagement and whether the caller is assigned to it (reveals are hot).
    """
    if user is None:
        raise NotFound(NO_VAULT)
    found = session.execute(
        select(Engagement, EngagementStaff.id)
        .outerjoin(
            EngagementStaff, and_(EngagementStaff.engagement_id == Engagement.id, EngagementStaff.user_id == user.id)
        )
        .where(Engagement.id == engagement_id)
    ).first()
    if found is None or found[0].status == EngagementStatus.CLOSED:
        raise NotFound(NO_VAULT)
    engagement, assignment = found
    if authz.is_staff(user):
        if assignment is None:
            raise PermissionDenied(NOT_ASSIGNED)
        if manage:
            raise PermissionDenied(CLIENTS_ONLY)
        return VaultAccess(engagement, None)
    try:
        membership = authz.require_org_member(session, user, engagement.organization_id)
    except NotFound:
        raise NotFound(NO_VAULT) from None
    return VaultAccess(engagement, membership)
