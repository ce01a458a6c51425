"""Invitations: staff invite clients (admins invite staff too); the invited person accepts.

Acceptance takes JSON or a native form post (``api/answers.py``), signs the person
in, and goes to the portal; the rules live in ``services/accounts/invitations.py``.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import Field

from fluxent import routes
from fluxent.api.answers import LINK_INVALID, Submitted, answer, handle, json_or_form, site_url, token_page
from fluxent.api.auth import NO_STORE, signed_in_answer
from fluxent.api.identity import CSRF, DB, ClientInfo, CurrentCaller, OptionalCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.routing import APIRouter, api_path
from fluxent.api.serializers import user_view
from fluxent.models.accounts import OrgRole, Role
from fluxent.services.accounts import invitations

router = APIRouter(tags=["invitations"])


class InvitationIn(RequestBody):
    email: str = Field(min_length=1, max_length=320)
    organization: Id | None = None
    org_role: str = OrgRole.MEMBER.value
    role: str = Role.CLIENT.value
    title: str = Field(default="", max_length=120)
    team: str = Field(default="", max_length=120)


class AcceptIn(RequestBody):
    token: str = Field(min_length=1, max_length=256)
    name: str = Field(default="", max_length=200)
    password: str = Field(default="", max_length=1024)


@router.post(api_path(routes.API_INVITATIONS), status_code=201)
def invite(caller: CurrentCaller, db: DB, data: InvitationIn, _csrf: None = CSRF) -> dict[str, object]:
    """Staff and admins only; e-mails a link to ``/invite/<token>`` valid for seven days."""
    row = invitations.invite(
        db,
        actor=caller.user,
        email=data.email,
        organization=data.organization,
        org_role=data.org_role,
        role=data.role,
        title=data.title,
        team=data.team,
    )
    return {
        "id": row.id,
        "email": row.email,
        "organization": row.organization_id,
        "expires_at": row.expires_at.isoformat(),
    }


@router.post(api_path(routes.API_INVITATION_ACCEPT), openapi_extra=json_or_form(AcceptIn))
def accept(sent: Submitted, db: DB, client: ClientInfo, caller: OptionalCaller) -> Response:
    """Create the account and sign in, or add the membership to the signed-in existing
    account (403 when it is not signed in); then go to the portal."""

    def work(data: AcceptIn) -> Response:
        signed_in = invitations.accept_invitation(
            db,
            token=data.token,
            name=data.name,
            password=data.password,
            ip=client.ip,
            user_agent=client.user_agent,
            signed_in_as=caller.user if caller is not None else None,
        )
        if signed_in is None and caller is not None:  # an existing account: its own session carries on
            response = answer(sent, {"user": user_view(db, caller.user)}, to=site_url(routes.PORTAL))
            response.headers.update(NO_STORE)
            return response
        return signed_in_answer(sent, db, signed_in)

    def back(code: str) -> str:
        return token_page(routes.INVITATION, sent.text("token"), routes.LOGIN, error=code)

    return handle(sent, db, AcceptIn, work, back=back, refused=LINK_INVALID)
