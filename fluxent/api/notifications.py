"""``/api/v1/notifications/``: the caller's own notifications, newest first, with the unread
count; ``read/`` marks some (``ids``) or all (``all``) of them read. ``services.notifications``
decides what is whose: another person's notification is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.errors import ValidationFailed
from fluxent.models.notifications import Notification
from fluxent.services.notifications import centre

router = APIRouter(tags=["notifications"])


class ReadIn(RequestBody):
    ids: list[Id] | None = Field(default=None, max_length=centre.MAX_MARKED, description="the notifications to mark")
    all: bool = Field(default=False, description="mark every unread notification instead")


def notification_json(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "link": notification.link,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


@router.get(api_path(routes.API_NOTIFICATIONS))
def list_notifications(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
) -> dict[str, Any]:
    page = centre.list_notifications(
        db, user=caller.user, unread_only=unread, page=paging.page, page_size=paging.page_size
    )
    return {**page_body(page, notification_json), "unread": centre.unread_count(db, user=caller.user)}


@router.post(api_path(routes.API_NOTIFICATIONS_READ), dependencies=[CSRF])
def mark_read(body: ReadIn, caller: CurrentCaller, db: DB) -> dict[str, int]:
    if body.all == (body.ids is not None):
        raise ValidationFailed(
            "Send either ids or all: true.", fields={"ids": "Name notifications, or send all: true."}
        )
    marked = centre.mark_read(db, user=caller.user, ids=None if body.all else body.ids)
    return {"marked": marked, "unread": centre.unread_count(db, user=caller.user)}
