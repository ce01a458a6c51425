"""The signed-in person's own account: profile, e-mail change, password, sessions,
data export, account deletion, policy notices to acknowledge, and (admins) viewing the
portal as a client.

JSON only; every route needs a live session (401 otherwise) and, for unsafe
methods, the CSRF header. Rules live in services (accounts.profile, auth.sign_in,
privacy.export, privacy.self_erasure, policies.acknowledgements, portal.view_as).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Body, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, ClientInfo, CurrentCaller, clear_session_cookie, read_as_caller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import iso
from fluxent.api.routing import APIRouter, api_path
from fluxent.api.serializers import session_view, user_view
from fluxent.api.streams import closing_stream
from fluxent.core.clock import now
from fluxent.services.accounts import profile
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import sign_in, step_up
from fluxent.services.policies import acknowledgements
from fluxent.services.portal import view_as
from fluxent.services.privacy import self_erasure
from fluxent.services.privacy.export import stream_export

router = APIRouter(tags=["account"])
NO_STORE = {"Cache-Control": "no-store"}


class CodeIn(RequestBody):
    code: str = Field(min_length=1, max_length=32)


class PasswordChangeIn(RequestBody):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class ErasureIn(RequestBody):
    password: str | None = Field(default=None, max_length=1024)
    code: str | None = Field(default=None, max_length=32)


class ReauthIn(RequestBody):
    password: str | None = Field(default=None, max_length=1024)
    code: str | None = Field(default=None, max_length=32, description="from POST auth/reauth/code/")


class ViewAsIn(RequestBody):
    organization: Id | None = Field(description="The organization to view as, or null to stop")


@router.get(api_path(routes.API_ME))
async def me(request: Request) -> JSONResponse:
    """Who is signed in (401 otherwise), with their organizations."""
    view = await read_as_caller(request, lambda db, caller: {"user": user_view(db, caller.user)})
    return JSONResponse(view, headers=NO_STORE)


@router.patch(api_path(routes.API_ME))
def update_me(
    caller: CurrentCaller,
    db: DB,
    client: ClientInfo,
    changes: Annotated[dict[str, Any], Body(examples=[{"name": "Dana Whitfield", "phone": "+1 555 0100"}])],
    _csrf: None = CSRF,
) -> JSONResponse:
    """Rectify name, username, phone, company, country; a new ``email`` needs ``current_password``
    and is applied only after the code sent to it is confirmed."""
    current_password = changes.pop("current_password", None)
    result = profile.update_profile(
        db,
        user=caller.user,
        changes=changes,
        current_password=current_password if isinstance(current_password, str) else None,
        ip=client.ip,
        user_agent=client.user_agent,
    )
    return JSONResponse(
        {"user": user_view(db, result.user), "changed": list(result.changed), "pending_email": result.pending_email},
        headers=NO_STORE,
    )


@router.post(api_path(routes.API_ME_EMAIL_VERIFY))
def verify_new_email(
    caller: CurrentCaller, db: DB, client: ClientInfo, data: CodeIn, _csrf: None = CSRF
) -> JSONResponse:
    user = profile.confirm_email_change(
        db, user=caller.user, code=data.code, ip=client.ip, user_agent=client.user_agent
    )
    return JSONResponse({"user": user_view(db, user)}, headers=NO_STORE)


@router.post(api_path(routes.API_PASSWORD_CHANGE))
def change_password(
    caller: CurrentCaller, db: DB, client: ClientInfo, data: PasswordChangeIn, _csrf: None = CSRF
) -> dict[str, int]:
    """Needs the current password; every OTHER session of the person ends."""
    revoked = sign_in.change_password(
        db,
        user=caller.user,
        current_password=data.current_password,
        new_password=data.new_password,
        keep_session=caller.auth_session,
        ip=client.ip,
        user_agent=client.user_agent,
    )
    return {"sessions_revoked": revoked}


@router.get(api_path(routes.API_SESSIONS))
def list_sessions(caller: CurrentCaller, db: DB) -> JSONResponse:
    rows = sign_in.list_sessions(db, user=caller.user)
    views = [session_view(row, current_id=caller.auth_session.id) for row in rows]
    return JSONResponse({"sessions": views}, headers=NO_STORE)


@router.delete(api_path(routes.API_SESSION), status_code=204)
def revoke_session(caller: CurrentCaller, db: DB, session_id: Id, _csrf: None = CSRF) -> Response:
    """Sign out one of your sessions (your own current one clears the cookie too)."""
    sign_in.revoke_session(db, user=caller.user, session_id=session_id)
    response = Response(status_code=204)
    if session_id == caller.auth_session.id:
        clear_session_cookie(response)
    return response


@router.post(api_path(routes.API_SESSIONS_REVOKE_OTHERS))
def revoke_other_sessions(caller: CurrentCaller, db: DB, _csrf: None = CSRF) -> dict[str, int]:
    return {"revoked": sign_in.revoke_other_sessions(db, user=caller.user, keep=caller.auth_session)}


@router.get(api_path(routes.API_ME_EXPORT), response_class=StreamingResponse)
def export(caller: CurrentCaller, db: DB) -> StreamingResponse:
    """Everything held about you, as one JSON document (schema: ``/api/v1/schemas/export.json``), streamed."""
    chunks = stream_export(db, user=caller.user)
    filename = f"fluxent-export-{now():%Y-%m-%d}.json"
    return StreamingResponse(
        closing_stream(chunks),
        media_type="application/json",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(api_path(routes.API_ME_ERASURE_CODE), status_code=202)
def request_erasure_code(caller: CurrentCaller, db: DB, client: ClientInfo, _csrf: None = CSRF) -> dict[str, str]:
    """E-mail a code that confirms deleting the account (the step-up code of ``auth/reauth/code/``)."""
    step_up.request_code(db, user=caller.user, pii=Personal(client.ip, client.user_agent, caller.user.email))
    return {"status": "sent"}


@router.post(api_path(routes.API_REAUTH_CODE), status_code=202)
def request_reauth_code(caller: CurrentCaller, db: DB, client: ClientInfo, _csrf: None = CSRF) -> dict[str, str]:
    """E-mail a step-up code (for accounts that sign in by e-mail only)."""
    step_up.request_code(db, user=caller.user, pii=Personal(client.ip, client.user_agent, caller.user.email))
    return {"status": "sent"}


@router.post(api_path(routes.API_REAUTH))
def reauthenticate(
    caller: CurrentCaller, db: DB, client: ClientInfo, data: ReauthIn, _csrf: None = CSRF
) -> dict[str, str | None]:
    """Step-up: your password or a fresh e-mailed code opens sensitive actions in this browser for 10 minutes."""
    until = step_up.reauthenticate(
        db,
        user=caller.user,
        auth_session=caller.auth_session,
        password=data.password,
        code=data.code,
        pii=Personal(client.ip, client.user_agent, caller.user.email),
    )
    return {"until": iso(until)}


@router.delete(api_path(routes.API_ME))
def erase_me(caller: CurrentCaller, db: DB, client: ClientInfo, data: ErasureIn, _csrf: None = CSRF) -> JSONResponse:
    """Delete your account: your password or a fresh e-mailed code. Lists what is kept, and why."""
    report = self_erasure.erase_self(
        db, user=caller.user, password=data.password, code=data.code, ip=client.ip, user_agent=client.user_agent
    )
    response = JSONResponse(report.as_dict(), headers=NO_STORE)
    clear_session_cookie(response)
    return response


@router.get(api_path(routes.API_ME_POLICY_NOTICES))
def policy_notices(caller: CurrentCaller, db: DB) -> JSONResponse:
    """Announced policy versions you have not acknowledged yet (what the portal's notice shows)."""
    pending = acknowledgements.pending_for(db, user=caller.user)
    return JSONResponse({"notices": [dataclasses.asdict(notice) for notice in pending]}, headers=NO_STORE)


@router.post(api_path(routes.API_ME_POLICY_NOTICE_ACKNOWLEDGE))
def acknowledge_policy_notice(caller: CurrentCaller, db: DB, announcement_id: Id, _csrf: None = CSRF) -> dict[str, Any]:
    """Acknowledge an announced policy version (recorded once; again answers the first time)."""
    row = acknowledgements.acknowledge(db, user=caller.user, announcement_id=announcement_id)
    return {"announcement_id": announcement_id, "acknowledged_at": iso(row.acknowledged_at)}


@router.post(api_path(routes.API_VIEW_AS))
def set_view_as(caller: CurrentCaller, db: DB, data: ViewAsIn, _csrf: None = CSRF) -> dict[str, Any]:
    """Admins: start (an organization id) or stop (null) viewing the portal as a client. Audited.

    While it holds, every route outside your own account (``/api/v1/auth/``) answers as the
    organization's owner would see it, and refuses every change (403 ``viewing_read_only``)."""
    if data.organization is None:
        view_as.stop_view_as(db, actor=caller.user, organization_id=None, auth_session=caller.auth_session)
        return {"organization": None}
    organization = view_as.start_view_as(
        db, actor=caller.user, organization_id=data.organization, auth_session=caller.auth_session
    )
    return {"organization": {"id": organization.id, "name": organization.name}}
