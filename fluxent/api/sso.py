"""Staff single sign-on over HTTP: a start that sends the browser to the company's identity
provider, and the callback the provider sends it back to (``services/auth/sso.py``).

The start is a form post (CSRF-checked) answered with a 303 to the provider's configured
authorization endpoint; the callback is a plain GET, as the provider redirects, answered
with a 303 to a page of this site: the next page with the new ``sessionid``, or the
sign-in page with ``?error=``.
"""

from __future__ import annotations

from fastapi import Request, Response

from fluxent import routes
from fluxent.api.answers import (
    SSO_FAILED,
    Submitted,
    answer,
    error_code,
    handle,
    json_or_form,
    see_other,
    site_url,
)
from fluxent.api.auth import NO_STORE
from fluxent.api.csrf import csrf_cookie
from fluxent.api.identity import DB, ClientInfo, WriteDB, set_session_cookie
from fluxent.api.inputs import RequestBody
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.errors import DomainError
from fluxent.services.auth import landing, sso

router = APIRouter(tags=["auth"])


class SsoStartIn(RequestBody):
    next: str = ""


@router.post(api_path(routes.API_SSO_START), openapi_extra=json_or_form(SsoStartIn))
def sso_start(request: Request, sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Staff: sign in with the company account. A 303 to the identity provider (JSON: its address)."""

    def work(data: SsoStartIn) -> Response:
        url = sso.start(
            db,
            browser_key=csrf_cookie(request),
            next_path=landing.safe_next(data.next),
            ip=client.ip,
            user_agent=client.user_agent,
        )
        response = answer(sent, {"authorization_url": url}, to=url)
        response.headers.update(NO_STORE)
        return response

    return handle(sent, db, SsoStartIn, work, back=_back_to_login, refused=SSO_FAILED)


@router.get(api_path(routes.API_SSO_CALLBACK))
def sso_callback(
    request: Request, db: WriteDB, client: ClientInfo, state: str = "", code: str = "", error: str = ""
) -> Response:
    """Where the identity provider sends the browser back: a 303 to the next page, signed in, or to the sign-in page."""
    try:
        (_, raw, user), next_path = sso.complete(
            db,
            state=state,
            code=code,
            error=error,
            browser_key=csrf_cookie(request),
            ip=client.ip,
            user_agent=client.user_agent,
        )
    except DomainError as refused:
        db.rollback()
        return see_other(_back_to_login(error_code(refused, refused=SSO_FAILED)))
    response = see_other(site_url(landing.destination(user, next_path)))
    response.headers.update(NO_STORE)
    set_session_cookie(response, raw)
    return response


def _back_to_login(code: str) -> str:
    return site_url(routes.LOGIN, error=code)
