"""``/api/v1/audit-events/`` for administrators: the audit log under filters, and its export.

Rules (administrators only, the filters, erased people) live in ``services.audit.viewer``;
anyone else gets 403.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse

from fluxent import routes
from fluxent.api.identity import DB, CurrentCaller
from fluxent.api.inputs import Id
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.api.streams import closing_stream
from fluxent.core.clock import now
from fluxent.services.audit import viewer

router = APIRouter(prefix=api_path(routes.API_AUDIT_EVENTS).rstrip("/"), tags=["audit"])
_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _filters(
    person: Annotated[str, Query(max_length=viewer.MAX_PERSON)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    organization: Annotated[Id | None, Query()] = None,
    since: Annotated[date | None, Query(description="First day (UTC), inclusive")] = None,
    until: Annotated[date | None, Query(description="Last day (UTC), inclusive")] = None,
) -> viewer.AuditFilter:
    return viewer.AuditFilter(person=person, action=action, organization_id=organization, since=since, until=until)


Filters = Annotated[viewer.AuditFilter, Depends(_filters)]


def line_json(line: viewer.AuditLine) -> dict[str, Any]:
    return {
        "seq": line.seq,
        "created_at": iso(line.created_at),
        "action": line.action,
        "actor_id": line.actor_id,
        "actor": line.actor,
        "target": line.target,
        "organization_id": line.organization_id,
        "organization": line.organization,
        "meta": line.meta,
        "ip": line.ip,
        "user_agent": line.user_agent,
        "email": line.email,
        "erased": line.erased,
    }


@router.get("/")
def list_events(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    filters: Filters,
) -> dict[str, Any]:
    """Administrators only. Newest first; ``action`` is one action or an area (``documents``)."""
    page = viewer.events(
        db,
        actor=caller.user,
        filters=filters,
        page=paging.page,
        page_size=paging.page_size,
    )
    return page_body(page, line_json)


@router.get(
    api_path(routes.API_AUDIT_EXPORT).removeprefix(router.prefix),
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export_events(
    caller: CurrentCaller,
    db: DB,
    filters: Filters,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",  # noqa: A002 - the query parameter's name
) -> StreamingResponse:
    """Administrators only. The events under the list's filters, oldest first, streamed; audited."""
    chunks = viewer.start_export(db, actor=caller.user, filters=filters, fmt=format)
    filename = f"fluxent-audit-{now():%Y-%m-%d}.{format}"
    return StreamingResponse(
        closing_stream(chunks),
        media_type=_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
