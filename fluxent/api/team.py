"""``/api/v1/team/{user_id}/photo/``: a staff member's Team-page photo, public while they are
listed (``services.accounts.staff_photos``). The URL stays the same for a person; the page adds
``?v=`` with the photo's version so a new photo is fetched at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.responses import StreamingResponse

from fluxent import routes
from fluxent.api.identity import DB, Caller, optional_caller
from fluxent.api.inputs import Id
from fluxent.api.routing import APIRouter, api_path
from fluxent.services.accounts import staff_photos

router = APIRouter(tags=["team"])


@router.get(api_path(routes.API_TEAM_PHOTO))
def team_photo(user_id: Id, db: DB, caller: Annotated[Caller | None, Depends(optional_caller)]) -> StreamingResponse:
    chunks = staff_photos.photo_chunks(db, user_id=user_id, viewer=caller.user if caller else None)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
    return StreamingResponse(chunks, media_type=staff_photos.PHOTO_MIME, headers=headers)
