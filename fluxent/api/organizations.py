"""``/api/v1/organizations/``: the organizations the caller can see (their own; staff see all)."""

from __future__ import annotations

from typing import Any

from fluxent.api.identity import DB, CurrentCaller
from fluxent.api.listing import Paging, page_body
from fluxent.api.routing import APIRouter
from fluxent.models.accounts import Organization
from fluxent.services import engagements

router = APIRouter(prefix="/organizations", tags=["organizations"])


def organization_json(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.id,
        "name": organization.name,
        "slug": organization.slug,
        "created_at": organization.created_at.isoformat(),
    }


@router.get("/")
def list_organizations(caller: CurrentCaller, db: DB, paging: Paging) -> dict[str, Any]:
    page = engagements.list_organizations(db, actor=caller.user, page=paging.page, page_size=paging.page_size)
    return page_body(page, organization_json)


@router.get("/{organization_id}/")
def get_organization(organization_id: int, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return organization_json(engagements.get_organization(db, actor=caller.user, organization_id=organization_id))
