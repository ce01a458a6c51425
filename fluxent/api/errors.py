"""One JSON shape for every API error, whoever raised it.

Clients (and the portal's own scripts) parse exactly one format::

    {"error": {"code": "not_found", "message": "...", "fields": {"email": "..."}}}

``code`` is stable and machine-readable, ``message`` is for people and never
carries exception text or stack traces, ``fields`` appears only for
field-level validation problems. Domain errors raised by services map to HTTP
statuses here, once, so routes never translate them by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from fluxent.core.errors import (
    Busy,
    Conflict,
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
    TooLarge,
    ValidationFailed,
)

logger = logging.getLogger(__name__)

# Most specific class first; a DomainError without its own entry is a plain 400.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    ValidationFailed: 422,
    NotAuthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
    TooLarge: 413,
}

# Codes for errors raised as HTTP statuses (routing, content negotiation, limits).
HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    503: "busy",
}

# Where a parameter came from; ``body`` is implied, the others are kept so a
# query parameter cannot be mistaken for a body field of the same name.
_BODY_LOCATION = "body"


def error_body(code: str, message: str, fields: Mapping[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = dict(fields)
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    fields: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, fields), status_code=status, headers=dict(headers or {}))


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in DOMAIN_STATUS:
            return DOMAIN_STATUS[cls]
    return 400


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    headers = {"Retry-After": str(max(0, int(exc.retry_after)))} if isinstance(exc, RateLimited) else None
    return error_response(status_for(exc), exc.code, exc.message, fields=exc.fields, headers=headers)


def busy_response(exc: Busy) -> Response:
    return error_response(503, exc.code, exc.message, headers={"Retry-After": str(exc.retry_after)})


async def busy_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Busy)
    # Work given up under load is worth a line in the log (a lock that stayed taken names
    # itself there); the in-flight limit's quick 503s never reach this handler.
    logger.warning("%s %s answered 503: %s", request.method, request.url.path, exc.reason)
    return busy_response(exc)


def validation_fields(errors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Dotted location -> first message, e.g. ``{"items.0.name": "Field required"}``.

    Only pydantic's message is used, never the rejected input (it may be a password).
    """
    fields: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) > 1 and loc[0] == _BODY_LOCATION:
            loc = loc[1:]
        fields.setdefault(".".join(loc) or _BODY_LOCATION, str(error.get("msg", "Invalid value")))
    return fields


async def request_validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    return error_response(
        422, "validation_failed", "Some fields are missing or invalid.", fields=validation_fields(errors)
    )


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (204, 304):  # no body allowed
        return Response(status_code=exc.status_code, headers=exc.headers)
    code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else _phrase(exc.status_code)
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def unhandled_error_handler(request: Request, exc: Exception) -> Response:
    """Log the details here; the client only learns that something failed."""
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "An internal error occurred. Please try again later.")


def register_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(DomainError, domain_error_handler)
    api.add_exception_handler(Busy, busy_handler)
    api.add_exception_handler(RequestValidationError, request_validation_handler)
    api.add_exception_handler(StarletteHTTPException, http_exception_handler)
    api.add_exception_handler(Exception, unhandled_error_handler)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
