"""``/api/v1/vault/``: the credential vault. Lists and item reads carry metadata only; the one
way to a value is ``items/<id>/reveal/`` (``?version=`` for an earlier one, listed by
``items/<id>/versions/``), which needs a step-up (``auth/reauth/``) in the last
10 minutes (else 403 ``reauth_required``). ``services.vault`` decides who may do what.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import iso
from fluxent.api.routing import APIRouter, api_path
from fluxent.models.vault import VaultItemKind
from fluxent.services.vault import activity, items, offboarding
from fluxent.services.vault.activity import ActivityRow
from fluxent.services.vault.items import ItemRow, VersionRow

router = APIRouter(tags=["vault"])
NO_STORE = {"Cache-Control": "no-store"}
SecretFields = dict[Annotated[str, Field(max_length=32)], Annotated[str, Field(max_length=items.MAX_FIELD)]]


class ItemIn(RequestBody):
    engagement: Id
    kind: VaultItemKind
    name: str = Field(max_length=200)
    tags: list[Annotated[str, Field(max_length=items.MAX_TAG)]] = Field(default_factory=list, max_length=items.MAX_TAGS)
    value: SecretFields = Field(description="the kind's fields, e.g. username and password for a login")


class ItemChangeIn(RequestBody):
    name: str | None = Field(default=None, max_length=200)
    tags: list[Annotated[str, Field(max_length=items.MAX_TAG)]] | None = Field(default=None, max_length=items.MAX_TAGS)
    value: SecretFields | None = Field(default=None, description="a new value: stored as a new version")


class RevealIn(RequestBody):
    copied: bool = Field(default=False, description="audited as copied rather than revealed")


class DeleteVaultIn(RequestBody):
    confirm: str = Field(max_length=200, description="the engagement's title, typed")


def item_json(row: ItemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "engagement_id": row.engagement_id,
        "kind": row.kind,
        "name": row.name,
        "tags": list(row.tags),
        "version": row.version,
        "created_by": row.created_by,
        "updated_by": row.updated_by,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def version_json(row: VersionRow) -> dict[str, Any]:
    return {
        "version": row.version,
        "created_by": row.created_by,
        "created_at": iso(row.created_at),
        "current": row.current,
    }


def activity_json(row: ActivityRow) -> dict[str, Any]:
    return {
        "at": iso(row.at),
        "action": row.action,
        "who": row.who,
        "by_fluxent": row.by_fluxent,
        "item": row.item,
    }


@router.get(api_path(routes.API_VAULT_ITEMS))
def list_items(caller: CurrentCaller, db: DB, engagement: Annotated[Id, Query()]) -> dict[str, Any]:
    rows = items.list_items(db, actor=caller.user, engagement_id=engagement)
    return {"items": [item_json(row) for row in rows]}


@router.post(api_path(routes.API_VAULT_ITEMS), status_code=201, dependencies=[CSRF])
def create_item(body: ItemIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    item = items.create_item(
        db,
        actor=caller.user,
        engagement_id=body.engagement,
        kind=body.kind,
        name=body.name,
        tags=body.tags,
        value=body.value,
    )
    return item_json(items.get_item(db, actor=caller.user, item_id=item.id))


@router.get(api_path(routes.API_VAULT_ITEM))
def get_item(item_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return item_json(items.get_item(db, actor=caller.user, item_id=item_id))


@router.patch(api_path(routes.API_VAULT_ITEM), dependencies=[CSRF])
def change_item(item_id: Id, body: ItemChangeIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    items.update_item(db, actor=caller.user, item_id=item_id, name=body.name, tags=body.tags, value=body.value)
    return item_json(items.get_item(db, actor=caller.user, item_id=item_id))


@router.delete(api_path(routes.API_VAULT_ITEM), status_code=204, dependencies=[CSRF])
def delete_item(item_id: Id, caller: CurrentCaller, db: DB) -> Response:
    items.delete_item(db, actor=caller.user, item_id=item_id)
    return Response(status_code=204)


@router.post(api_path(routes.API_VAULT_ITEM_REVEAL), dependencies=[CSRF])
def reveal(
    item_id: Id,
    caller: CurrentCaller,
    db: DB,
    version: Annotated[Id | None, Query(description="an earlier version (default: the current one)")] = None,
    body: RevealIn | None = None,
) -> JSONResponse:
    value = items.reveal(
        db,
        actor=caller.user,
        auth_session=caller.auth_session,
        item_id=item_id,
        version=version,
        copied=bool(body and body.copied),
    )
    return JSONResponse({"value": value}, headers=NO_STORE)


@router.get(api_path(routes.API_VAULT_ITEM_VERSIONS))
def list_versions(item_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    rows = items.list_versions(db, actor=caller.user, item_id=item_id)
    return {"versions": [version_json(row) for row in rows]}


@router.get(api_path(routes.API_VAULT_ACCESS_LOG))
def access_log(caller: CurrentCaller, db: DB, engagement: Annotated[Id, Query()]) -> dict[str, Any]:
    rows = activity.access_log(db, actor=caller.user, engagement_id=engagement)
    return {"events": [activity_json(row) for row in rows]}


@router.delete(api_path(routes.API_VAULT_ENGAGEMENT), dependencies=[CSRF])
def delete_vault(engagement_id: Id, body: DeleteVaultIn, caller: CurrentCaller, db: DB) -> dict[str, int]:
    deleted = offboarding.delete_vault(
        db, actor=caller.user, auth_session=caller.auth_session, engagement_id=engagement_id, confirm=body.confirm
    )
    return {"items_deleted": deleted}
