"""``/api/v1/organizations/``: the organizations the caller can see (their own; staff see all),
their members and pending invitations, and the staff and owner actions on them.

Every route calls ``services.accounts.organizations`` / ``services.accounts.invitations`` / ``services.portal.engagements``,
which decide who may do what (outsiders get 404, members without the right role 403).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, page_body
from fluxent.api.routing import APIRouter
from fluxent.api.serializers import invitation_view
from fluxent.models.accounts import Organization, OrgRole
from fluxent.services.accounts import invitations, organizations

router = APIRouter(prefix="/organizations", tags=["organizations"])


class OrganizationIn(RequestBody):
    name: str = Field(max_length=200)


class MemberRoleIn(RequestBody):
    role: OrgRole


class InvitationIn(RequestBody):
    email: str = Field(min_length=1, max_length=320)
    org_role: OrgRole = OrgRole.MEMBER


def organization_json(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.id,
        "name": organization.name,
        "slug": organization.slug,
        "created_at": organization.created_at.isoformat(),
    }


def member_json(member: organizations.Member) -> dict[str, Any]:
    return {"user_id": member.user_id, "name": member.name, "email": member.email, "role": str(member.role)}


@router.get("/")
def list_organizations(
    caller: CurrentCaller, db: DB, paging: Paging, q: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    """The caller's organizations; ``q`` (staff only) searches every organization by name."""
    if q is not None:
        page = organizations.search_organizations(
            db, actor=caller.user, query=q, page=paging.page, page_size=paging.page_size
        )
    else:
        page = organizations.list_organizations(db, actor=caller.user, page=paging.page, page_size=paging.page_size)
    return page_body(page, organization_json)


@router.post("/", status_code=201, dependencies=[CSRF])
def create_organization(body: OrganizationIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return organization_json(organizations.create_organization(db, actor=caller.user, name=body.name))


@router.get("/{organization_id}/")
def get_organization(organization_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return organization_json(organizations.get_organization(db, actor=caller.user, organization_id=organization_id))


@router.get("/{organization_id}/members/")
def list_members(organization_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    members = organizations.members_of(db, actor=caller.user, organization_id=organization_id)
    return {"items": [member_json(member) for member in members]}


@router.post("/{organization_id}/members/{user_id}/role/", dependencies=[CSRF])
def change_member_role(
    organization_id: Id, user_id: Id, body: MemberRoleIn, caller: CurrentCaller, db: DB
) -> dict[str, Any]:
    organizations.change_member_role(
        db, actor=caller.user, organization_id=organization_id, user_id=user_id, role=body.role
    )
    return list_members(organization_id, caller, db)


@router.delete("/{organization_id}/members/{user_id}/", dependencies=[CSRF])
def remove_member(organization_id: Id, user_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    organizations.remove_member(db, actor=caller.user, organization_id=organization_id, user_id=user_id)
    return list_members(organization_id, caller, db)


@router.get("/{organization_id}/invitations/")
def list_invitations(organization_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    pending = invitations.pending_rows(db, actor=caller.user, organization_id=organization_id)
    return {"items": [invitation_view(invitation) for invitation in pending]}


@router.post("/{organization_id}/invitations/", status_code=201, dependencies=[CSRF])
def invite(organization_id: Id, body: InvitationIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """E-mail an invitation to join the organization: staff invite owners or members, its owners members only."""
    row = invitations.invite_member(
        db, actor=caller.user, organization_id=organization_id, email=body.email, org_role=body.org_role
    )
    return invitation_view(invitations.pending_row(row))


@router.delete("/{organization_id}/invitations/{invitation_id}/", dependencies=[CSRF])
def revoke_invitation(organization_id: Id, invitation_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    invitations.revoke_invitation(db, actor=caller.user, organization_id=organization_id, invitation_id=invitation_id)
    return list_invitations(organization_id, caller, db)


@router.post("/{organization_id}/invitations/{invitation_id}/resend/", dependencies=[CSRF])
def resend_invitation(organization_id: Id, invitation_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """A new link for a pending invitation (the old one stops working); staff and the organization's owners."""
    row = invitations.resend_invitation(
        db, actor=caller.user, organization_id=organization_id, invitation_id=invitation_id
    )
    return invitation_view(invitations.pending_row(row))
