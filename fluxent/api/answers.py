"""One route, two kinds of caller: scripts send JSON, pages post native HTML forms.

Reflex cannot set HttpOnly cookies, so the sign-in pages post plain ``<form>``s
(``application/x-www-form-urlencoded`` with a ``csrfmiddlewaretoken`` field) to
the same routes scripts call with JSON. A JSON caller gets JSON, and errors in
the one shape of ``api/errors.py``. A form post gets a ``303`` to a page of the
site: the next page on success, or back to the form with ``?error=<code>``.

Redirects only ever go to ``FLUXENT_BASE_URL`` plus a checked path, never to a
URL the request names, and their query never carries an e-mail address, token
or password.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.responses import JSONResponse, RedirectResponse, Response

from fluxent import routes
from fluxent.api.csrf import require_csrf
from fluxent.api.routing import FORM_URLENCODED, JSON, has_body, media_type_matches
from fluxent.core.cookies import CSRF_FIELD
from fluxent.core.errors import DomainError, PermissionDenied, RateLimited, SsoRequired, ValidationFailed
from fluxent.core.settings import get_settings

Model = TypeVar("Model", bound=BaseModel)

# The ``?error=`` codes the sign-in pages turn into words.
THROTTLED = "throttled"
CSRF_FAILED = "csrf_failed"
INVALID_INPUT = "invalid_input"
WEAK_PASSWORD = "weak_password"
INVALID_CREDENTIALS = "invalid_credentials"
INVALID_CODE = "invalid_code"
INVALID_SECOND_STEP = "invalid_second_step"
PASSKEY_REFUSED = "passkey_refused"
LINK_INVALID = "link_invalid"
SSO_FAILED = "sso_failed"
SSO_REQUIRED = "sso_required"

_URL_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


@dataclass(frozen=True)
class Submission:
    """The request's fields, however they came, and whether a form post failed its CSRF check."""

    is_form: bool
    fields: dict[str, Any] = field(default_factory=dict)
    csrf_failed: bool = False

    def text(self, name: str) -> str:
        value = self.fields.get(name)
        return value if isinstance(value, str) else ""


async def read_submission(request: Request) -> Submission:
    """Read a JSON object or a url-encoded form, then check CSRF.

    A JSON caller that fails the CSRF check gets the usual 403; a form post is
    answered with a redirect instead (see :func:`handle`).
    """
    is_form = media_type_matches(request.headers.get("content-type"), (FORM_URLENCODED,))
    fields: dict[str, Any] = {}
    if is_form:
        form = await request.form()
        fields = {name: value for name, value in form.items() if name != CSRF_FIELD and isinstance(value, str)}
    elif has_body(request):
        try:
            body = await request.json()
        except ValueError:
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Invalid JSON"}]) from None
        if not isinstance(body, dict):
            raise RequestValidationError([{"type": "dict_type", "loc": ("body",), "msg": "Send a JSON object"}])
        fields = body
    try:
        await require_csrf(request)
    except PermissionDenied:
        if not is_form:
            raise
        return Submission(is_form=True, fields=fields, csrf_failed=True)
    return Submission(is_form=is_form, fields=fields)


Submitted = Annotated[Submission, Depends(read_submission)]


def json_or_form(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route taking ``model`` as JSON or as a form (the media-type check reads it)."""
    schema = model.model_json_schema()
    return {
        "requestBody": {"required": False, "content": {JSON: {"schema": schema}, FORM_URLENCODED: {"schema": schema}}}
    }


def site_url(path: str, **query: str | None) -> str:
    """An absolute URL of a page of this site, with the non-empty query values."""
    pairs = {name: value for name, value in query.items() if value}
    return get_settings().base_url + path + (f"?{urlencode(pairs)}" if pairs else "")


def token_page(route: str, token: str, fallback: str, **query: str | None) -> str:
    """The page of a token link (``/reset-password/<token>``), or ``fallback`` for a malformed token."""
    if not _URL_SAFE_TOKEN.match(token):
        return site_url(fallback, **query)
    return site_url(routes.with_token(route, token), **query)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def answer(sent: Submission, body: Any = None, *, to: str, status: int = 200) -> Response:
    """Success: ``body`` as JSON (no body: 204), or a 303 to ``to`` for a form post."""
    if sent.is_form:
        return see_other(to)
    if body is None:
        return Response(status_code=204)
    return JSONResponse(body, status_code=status)


def handle(
    sent: Submission,
    db: Session,
    model: type[Model],
    work: Callable[[Model], Response],
    *,
    back: Callable[[str], str],
    refused: str,
) -> Response:
    """Validate ``sent`` against ``model`` and run ``work``.

    JSON callers get errors raised as usual. A failed form post is rolled back
    (what a refused attempt must keep, such as throttle counts, the services have
    already committed) and answered with a 303 to ``back(code)``.
    """
    if sent.csrf_failed:
        return see_other(back(CSRF_FAILED))
    # A page's form may post fields of its own (a submit button's name); JSON callers get unknown fields refused.
    fields = (
        {name: value for name, value in sent.fields.items() if name in model.model_fields}
        if sent.is_form
        else sent.fields
    )
    try:
        data = model.model_validate(fields)
    except ValidationError as invalid:
        if not sent.is_form:
            raise RequestValidationError(invalid.errors(include_url=False, include_input=False)) from None
        return see_other(back(INVALID_INPUT))
    try:
        return work(data)
    except DomainError as error:
        if not sent.is_form:
            raise
        db.rollback()
        return see_other(back(error_code(error, refused=refused)))


def error_code(error: DomainError, *, refused: str) -> str:
    """The ``?error=`` code for a failed form post; ``refused`` names this route's "no"."""
    if isinstance(error, RateLimited):
        return THROTTLED
    if isinstance(error, SsoRequired):
        return SSO_REQUIRED
    if isinstance(error, ValidationFailed):
        return WEAK_PASSWORD if "password" in error.fields else INVALID_INPUT
    return refused
