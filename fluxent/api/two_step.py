"""Two-step sign-in over HTTP: the second step of a sign-in, and recovery by an administrator.

The first step (``api/auth.py``) answers with a login ticket instead of a session
when a second step is due; ``auth/two-step/`` takes the ticket and a code and sets
the session cookie; with a passkey, ``auth/two-step/passkey/options/`` gives the browser
its challenge and ``auth/two-step/passkey/`` takes its answer. Enrolment and removal by the person happen on the security
page (``state/two_step.py``); the rules of both doors are in ``services/auth/two_step.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import Field

from fluxent import routes
from fluxent.api.answers import INVALID_SECOND_STEP, PASSKEY_REFUSED, Submitted, handle, json_or_form, token_page
from fluxent.api.auth import NO_STORE, next_of, signed_in_answer
from fluxent.api.identity import CSRF, DB, ClientInfo, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.routing import APIRouter, api_path
from fluxent.services.auth import passkeys, sign_in, two_step

router = APIRouter(tags=["auth"])


class SecondStepIn(RequestBody):
    ticket: str = Field(min_length=1, max_length=256, description="The login ticket the first step answered with")
    code: str = Field(min_length=1, max_length=64, description="The authenticator app's code, or a recovery code")
    next: str = Field(default="", description="Form posts: the page to go to afterwards (a path on this site)")


class PasskeyOptionsIn(RequestBody):
    ticket: str = Field(min_length=1, max_length=256, description="The login ticket the first step answered with")


class PasskeyIn(RequestBody):
    ticket: str = Field(min_length=1, max_length=256, description="The login ticket the first step answered with")
    credential: str = Field(
        min_length=2,
        max_length=16_000,
        description="The browser's answer to the passkey options (the PublicKeyCredential as JSON text)",
    )
    next: str = Field(default="", description="Form posts: the page to go to afterwards (a path on this site)")


class IdentityCheckIn(RequestBody):
    identity_check: str = Field(
        min_length=1, max_length=300, description="How the person's identity was confirmed (kept in the audit log)"
    )


@router.post(api_path(routes.API_TWO_STEP), openapi_extra=json_or_form(SecondStepIn))
def second_step(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Finish a sign-in with the login ticket and a code; sets ``sessionid`` (a few wrong codes end the ticket)."""

    def work(data: SecondStepIn) -> Response:
        signed_in = sign_in.complete_second_step(
            db, ticket=data.ticket, code=data.code, ip=client.ip, user_agent=client.user_agent
        )
        return signed_in_answer(sent, db, signed_in)

    return handle(sent, db, SecondStepIn, work, back=_back_to_second_step(sent), refused=INVALID_SECOND_STEP)


@router.post(api_path(routes.API_TWO_STEP_PASSKEY_OPTIONS), dependencies=[CSRF])
def passkey_options(body: PasskeyOptionsIn, db: DB) -> JSONResponse:
    """The WebAuthn options (for the browser's ``navigator.credentials.get``) of a ticket whose person has a passkey;
    the challenge lives three minutes and answers once."""
    options = passkeys.sign_in_options_for(db, token=body.ticket)
    return JSONResponse({"options": options}, headers=NO_STORE)


@router.post(api_path(routes.API_TWO_STEP_PASSKEY), openapi_extra=json_or_form(PasskeyIn))
def second_step_with_passkey(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Finish a sign-in with the login ticket and a passkey's answer; sets ``sessionid`` (throttled like a code)."""

    def work(data: PasskeyIn) -> Response:
        signed_in = sign_in.complete_second_step_with_passkey(
            db, ticket=data.ticket, credential=data.credential, ip=client.ip, user_agent=client.user_agent
        )
        return signed_in_answer(sent, db, signed_in)

    return handle(sent, db, PasskeyIn, work, back=_back_to_second_step(sent), refused=PASSKEY_REFUSED)


def _back_to_second_step(sent: Submitted) -> Callable[[str], str]:
    """Where a browser's refused second step goes back to: the same step, with the error and ``next``."""

    def back(code: str) -> str:
        return token_page(routes.LOGIN_TWO_STEP, sent.text("ticket"), routes.LOGIN, error=code, next=next_of(sent))

    return back


@router.post(api_path(routes.API_PERSON_TWO_STEP_REMOVE), dependencies=[CSRF])
def remove_for_person(user_id: Id, body: IdentityCheckIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """Administrators: remove a person's second step after confirming who they are (audited; the person is e-mailed)."""
    person = two_step.remove_for_person(db, actor=caller.user, user_id=user_id, identity_check=body.identity_check)
    return {"user_id": person.id, "two_step": False}
