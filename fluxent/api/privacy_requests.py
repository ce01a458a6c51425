"""``/api/v1/privacy-requests/``: the privacy desk's queue for staff, and the e-mailed export link.

Staff list, log, read and annotate requests and take the one extension; administrators
close them (``services.privacy.requests`` decides; clients get 403). The public form is a
page (``pages/legal/privacy_request``); the only public route here is the export link
``exports/<token>/``, authorized by its token alone.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Path, Query, Response
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.clock import now
from fluxent.models.privacy import PrivacyRequest, RequestKind, RequestOutcome, RequestStatus
from fluxent.services.privacy import fulfilment, requests

router = APIRouter(tags=["privacy requests"])
NO_STORE = {"Cache-Control": "no-store"}


class RequestIn(RequestBody):
    kind: RequestKind
    email: str = Field(max_length=400)
    name: str = Field(default="", max_length=400)
    details: str = Field(default="", max_length=10_000)
    child: bool = False
    agent: bool = False
    agent_name: str = Field(default="", max_length=400)
    agent_email: str = Field(default="", max_length=400)
    agent_authority: str = Field(default="", max_length=10_000)
    appeal_of: str = Field(default="", max_length=40, description="the reference (PR-<id>) of the decision appealed")


class RequestChangeIn(RequestBody):
    subject_name: str | None = Field(default=None, max_length=400)
    details: str | None = Field(default=None, max_length=10_000)
    staff_note: str | None = Field(default=None, max_length=10_000)


class ExtendIn(RequestBody):
    reason: str = Field(max_length=2000, description="told to the requester")


class CloseIn(RequestBody):
    outcome: RequestOutcome
    note: str = Field(default="", max_length=10_000, description="told to the requester; required unless fulfilled")


def request_json(request: PrivacyRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "reference": f"PR-{request.id}",
        "kind": str(request.kind),
        "status": str(request.status),
        "subject_email": request.subject_email,
        "subject_name": request.subject_name,
        "user_id": request.user_id,
        "child": request.child,
        "agent": {"name": request.agent_name, "email": request.agent_email} if request.agent_email else None,
        "verification": requests.verification_status(request),
        "received_at": iso(request.received_at),
        "due_at": iso(request.due_at),
        "clock": requests.clock_state(request),
        "extended_at": iso(request.extended_at),
        "appeal_of": request.appeal_of_id,
        "closed_at": iso(request.closed_at),
        "outcome": str(request.outcome) if request.outcome else None,
    }


def _detail(db, caller, request: PrivacyRequest) -> dict[str, Any]:
    steps = requests.steps_of(db, actor=caller.user, request_id=request.id)
    return {
        **request_json(request),
        "details": request.details,
        "agent_authority": request.agent_authority,
        "extension_reason": request.extension_reason,
        "staff_note": request.staff_note,
        "outcome_note": request.outcome_note,
        "steps": [{"at": iso(step.at), "action": step.action, "actor": step.actor} for step in steps],
    }


@router.get(api_path(routes.API_PRIVACY_REQUESTS))
def list_requests(
    caller: CurrentCaller, db: DB, paging: Paging, status: Annotated[RequestStatus | None, Query()] = None
) -> dict[str, Any]:
    """Staff only. Soonest due first; ``clock`` is ``on_time``, ``due_soon`` (under 7 days), ``overdue`` or ``closed``."""
    page = requests.queue(db, actor=caller.user, status=status, page=paging.page, page_size=paging.page_size)
    return page_body(page, request_json)


@router.post(api_path(routes.API_PRIVACY_REQUESTS), status_code=201, dependencies=[CSRF])
def log_request(body: RequestIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """Staff only: a request that arrived by e-mail or post, due 45 days from now (an appeal: 60)."""
    form = requests.RequestForm(**{**body.model_dump(), "kind": body.kind.value})
    request = requests.log_request(db, form, actor=caller.user)
    return _detail(db, caller, request)


@router.get(
    api_path(routes.API_PRIVACY_EXPORT), response_class=Response, responses={200: {"content": {"application/json": {}}}}
)
def download_export(token: Annotated[str, Path(max_length=200)], db: DB) -> Response:
    """The data export behind an e-mailed link (no sign-in: the link is the key, for 72 hours)."""
    document = fulfilment.download_export(db, token=token)
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type="application/json",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="fluxent-export-{now():%Y-%m-%d}.json"'},
    )


@router.get(api_path(routes.API_PRIVACY_REQUEST))
def get_request(request_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, caller, requests.request_for_staff(db, actor=caller.user, request_id=request_id))


@router.patch(api_path(routes.API_PRIVACY_REQUEST), dependencies=[CSRF])
def change_request(request_id: Id, body: RequestChangeIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    changes = body.model_dump(exclude_none=True)
    return _detail(db, caller, requests.update(db, actor=caller.user, request_id=request_id, changes=changes))


@router.post(api_path(routes.API_PRIVACY_REQUEST_EXTEND), dependencies=[CSRF])
def extend_request(request_id: Id, body: ExtendIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """The one 45-day extension, before the due date; the requester is e-mailed the reason."""
    return _detail(db, caller, requests.extend(db, actor=caller.user, request_id=request_id, reason=body.reason))


@router.post(api_path(routes.API_PRIVACY_REQUEST_CLOSE), dependencies=[CSRF])
def close_request(request_id: Id, body: CloseIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """Administrators only; an appeal by another administrator than the original's. The requester is answered."""
    request = requests.close(db, actor=caller.user, request_id=request_id, outcome=body.outcome.value, note=body.note)
    return _detail(db, caller, request)
