"""Routing rules every API route gets without asking for them.

* :class:`ContentTypeRoute` refuses (415) a request body whose media type the
  route does not declare: JSON routes take ``application/json`` only, routes
  whose body is FastAPI ``Form``/``File`` parameters take form encodings. A
  JSON-only API cannot be driven by a cross-site HTML form (which can only send
  form encodings or ``text/plain``), and no route parses bytes it never meant
  to read. The check runs before the body is read.
  A route that reads its body itself (JSON or a native form post, see
  ``api/answers.py``) declares the media types it takes in its OpenAPI
  ``requestBody``, and exactly those are accepted.
* Since FastAPI 0.165, ``include_router`` keeps each router's own route class,
  so routers must be built with :class:`APIRouter` from this module;
  :func:`require_content_type_routes` makes ``create_api()`` fail at start-up
  when one is not.
* :func:`add_api_fallback` answers unknown ``/api`` paths with the API's JSON
  404/405 instead of letting them fall through to the Reflex frontend.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

import fastapi
from fastapi import FastAPI, params
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route

from fluxent import routes

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
JSON = "application/json"
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
_PROBE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def accepted_media_types(body_field: Any, openapi_extra: dict[str, Any] | None = None) -> tuple[str, ...]:
    """What a route's declared body may arrive as; JSON when it declares none."""
    documented = ((openapi_extra or {}).get("requestBody") or {}).get("content")
    if body_field is None and documented:
        return tuple(documented)
    info = getattr(body_field, "field_info", None)
    if isinstance(info, params.File):
        return (MULTIPART,)
    if isinstance(info, params.Form):
        return (FORM_URLENCODED, MULTIPART)
    return (JSON,)


def media_type_matches(content_type: str | None, accepted: tuple[str, ...]) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    media_type = message.get_content_type()  # lower-cased, parameters dropped
    if media_type in accepted:
        return True
    # application/merge-patch+json and friends are JSON too (and, like JSON,
    # cannot be sent cross-site without a CORS preflight).
    return JSON in accepted and media_type.startswith("application/") and media_type.endswith("+json")


def has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() != "0"
    return "transfer-encoding" in request.headers


class ContentTypeRoute(APIRoute):
    """An API route that checks the request's media type against its body declaration."""

    def media_types(self) -> tuple[str, ...]:
        """What this route's body may arrive as; a route that reads its own body stream overrides it."""
        return accepted_media_types(self.body_field, self.openapi_extra)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        accepted = self.media_types()

        async def checked_handler(request: Request) -> Response:
            if (
                request.method not in SAFE_METHODS
                and has_body(request)
                and not media_type_matches(request.headers.get("content-type"), accepted)
            ):
                raise HTTPException(415, f"This endpoint accepts {' or '.join(accepted)} request bodies.")
            return await handler(request)

        return checked_handler


class APIRouter(fastapi.APIRouter):
    """``fastapi.APIRouter`` whose routes check their request media type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", ContentTypeRoute)
        super().__init__(*args, **kwargs)


def require_content_type_routes(api: FastAPI) -> None:
    """Fail fast when a route that takes unsafe methods skips the media-type check."""
    unchecked = [
        f"{sorted(context.methods or ())} {context.path}"
        for context in iter_route_contexts(api.routes)
        if isinstance(context.original_route, APIRoute)
        and not isinstance(context.original_route, ContentTypeRoute)
        and set(context.methods or ()) - SAFE_METHODS
    ]
    if unchecked:
        raise RuntimeError(
            "API routes must be declared on fluxent.api.routing.APIRouter (media-type checks): " + ", ".join(unchecked)
        )


def add_api_fallback(api: FastAPI, prefix: str = "/api") -> None:
    """Answer unknown paths under ``prefix`` with JSON 404, or 405 with ``Allow``.

    Added last: Reflex mounts its own app at ``""`` after this, and without the
    fallback an unknown API path would get the frontend's HTML 404 page.
    """
    own_routes: list[BaseRoute] = []

    async def fallback(request: Request) -> Response:
        routes = [route for route in api.router.routes if route not in own_routes and not isinstance(route, Mount)]
        allowed = [method for method in _PROBE_METHODS if _any_full_match(routes, request.scope, method)]
        if allowed:
            raise HTTPException(405, headers={"Allow": ", ".join(allowed)})
        raise HTTPException(404, "No API endpoint at this address.")

    for path in (prefix, f"{prefix}/{{rest:path}}"):
        route = Route(path, fallback, methods=list(_PROBE_METHODS), include_in_schema=False)
        own_routes.append(route)
        api.router.routes.append(route)


def _any_full_match(routes: list[BaseRoute], scope: dict[str, Any], method: str) -> bool:
    probe = {**scope, "method": method}
    return any(route.matches(probe)[0] is Match.FULL for route in routes)


def api_path(route: str) -> str:
    """A route of ``fluxent.routes`` as a router declares it: relative to the API prefix."""
    if not route.startswith(routes.API + "/"):
        raise ValueError(f"{route!r} is not under {routes.API}")
    return route.removeprefix(routes.API)
