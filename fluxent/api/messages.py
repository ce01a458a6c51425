"""``/api/v1/engagements/<id>/messages/``: an engagement's conversation, a page at a time (newest
first, with the caller's unread count from before the read, which marks the thread read), and
posting to it. ``services.messages`` decides who may (the engagement's own rule: others get 404).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.services.messages import thread
from fluxent.services.messages.thread import MessageLine

router = APIRouter(tags=["messages"])


class MessageIn(RequestBody):
    # The service trims and allows 10,000 characters; this only bounds what is parsed.
    body: str = Field(max_length=2 * thread.MAX_BODY)
    parent_id: Id | None = Field(default=None, description="the message this one answers")
    document_id: Id | None = Field(default=None, description="a document of the engagement to attach")


def message_json(line: MessageLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "author": line.author,
        "by_fluxent": line.by_staff,
        "mine": line.mine,
        "body": line.body,
        "created_at": iso(line.created_at),
        "parent_id": line.parent_id,
        "quoted": line.quoted or None,
        "document": (
            {"id": line.document_id, "filename": line.document_name, "download_url": line.download_url}
            if line.document_id
            else None
        ),
        "unread": line.unread,
    }


@router.get(api_path(routes.API_ENGAGEMENT_MESSAGES))
def list_messages(engagement_id: Id, caller: CurrentCaller, db: DB, paging: Paging) -> dict[str, Any]:
    found = thread.thread_page(
        db, actor=caller.user, engagement_id=engagement_id, page=paging.page, page_size=paging.page_size
    )
    return {**page_body(found.page, message_json), "unread": found.unread}


@router.post(api_path(routes.API_ENGAGEMENT_MESSAGES), status_code=201, dependencies=[CSRF])
def post_message(engagement_id: Id, body: MessageIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    message = thread.post_message(
        db,
        actor=caller.user,
        engagement_id=engagement_id,
        body=body.body,
        parent_id=body.parent_id,
        document_id=body.document_id,
    )
    return message_json(thread.line_of(db, actor=caller.user, message=message))
