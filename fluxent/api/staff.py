"""``/api/v1/staff/``: Fluxent's staff and administrators, and pending staff invitations,
managed by administrators (``services.accounts.staff``; anyone else gets 403). Staff are invited
with ``POST /api/v1/auth/invitations/`` and ``"role": "staff"``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import Field

from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, page_body
from fluxent.api.routing import APIRouter
from fluxent.api.serializers import invitation_view
from fluxent.models.accounts import Role
from fluxent.services.accounts import staff
from fluxent.services.marketing import team

router = APIRouter(prefix="/staff", tags=["staff"])


class StaffIn(RequestBody):
    role: Role
    name: str | None = Field(default=None, max_length=200, description="Left as it is when absent.")
    title: str = Field(default="", max_length=120)
    team: str = Field(default="", max_length=120)
    listed_on_team_page: bool = False
    bio: str = Field(default="", max_length=400, description="Plain text.")
    links: list[str] = Field(default_factory=list, max_length=5, description="http:// or https:// addresses.")


def staff_json(member: staff.StaffMember) -> dict[str, Any]:
    return {
        "user_id": member.user_id,
        "name": member.name,
        "email": member.email,
        "role": str(member.role),
        "title": member.title,
        "team": member.team,
        "listed_on_team_page": member.listed,
        "bio": member.bio,
        "links": list(member.links),
        "photo_url": team.photo_url_of(member.user_id, member.photo_updated_at),
    }


@router.get("/")
def list_staff(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    q: Annotated[str, Query(max_length=200)] = "",
    role: Annotated[Literal["", "staff", "admin"], Query()] = "",
) -> dict[str, Any]:
    found = staff.list_staff(db, actor=caller.user, query=q, role=role, page=paging.page, page_size=paging.page_size)
    return page_body(found, staff_json)


@router.get("/invitations/")
def list_invitations(caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return {"items": [invitation_view(row) for row in staff.pending_invitation_rows(db, actor=caller.user)]}


@router.delete("/invitations/{invitation_id}/", dependencies=[CSRF])
def revoke_invitation(invitation_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    staff.revoke_invitation(db, actor=caller.user, invitation_id=invitation_id)
    return list_invitations(caller, db)


@router.put("/{user_id}/", dependencies=[CSRF])
def update_staff(user_id: Id, body: StaffIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    member = staff.update_staff(
        db,
        actor=caller.user,
        user_id=user_id,
        role=body.role,
        title=body.title,
        team=body.team,
        listed=body.listed_on_team_page,
        name=body.name,
        bio=body.bio,
        links=body.links,
    )
    return staff_json(member)
