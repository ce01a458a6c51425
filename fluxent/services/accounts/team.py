"""The portal's team page: one organization's people and, for its owners, the pending invitations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from fluxent.models.accounts import OrgRole, User
from fluxent.services.accounts import authz, invitations, organizations
from fluxent.services.accounts.invitations import PendingInvitation
from fluxent.services.accounts.organizations import Member


@dataclass(frozen=True)
class Team:
    organization_id: int
    organization: str
    may_invite: bool  # the viewer owns it (or is staff): invites, resends and revokes
    members: list[Member]
    pending: list[PendingInvitation]  # empty for those who may not invite


def team(session: Session, *, actor: User, organization_id: int | None = None) -> Team | None:
    """The organization ``organization_id`` (else the first the person owns, else the first they
    belong to), or None when they belong to none (staff pick one: they run teams in the console).
    Another organization is NotFound."""
    if organization_id is None and authz.is_staff(actor):
        return None
    if organization_id is None:
        owned = organizations.owned_organization_ids(session, actor)
        listed = organizations.list_organizations(session, actor=actor, page_size=50).items
        choice = next((o for o in listed if o.id in owned), listed[0] if listed else None)
        if choice is None:
            return None
        organization_id = choice.id
    organization = organizations.get_organization(session, actor=actor, organization_id=organization_id)
    members = organizations.members_of(session, actor=actor, organization_id=organization.id)
    may_invite = authz.is_staff(actor) or any(m.user_id == actor.id and m.role == OrgRole.OWNER for m in members)
    pending = invitations.pending_rows(session, actor=actor, organization_id=organization.id) if may_invite else []
    return Team(organization.id, organization.name, may_invite, members, pending)
