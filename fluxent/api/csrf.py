"""CSRF protection for unsafe requests (ARCHITECTURE §3).

An unsafe request that a browser could send on a person's behalf must prove it
comes from the site itself: the ``X-CSRFToken`` header (or, for a native form
post, the ``csrfmiddlewaretoken`` field) must equal the ``csrftoken`` cookie, and
``Origin`` (or, failing that, ``Referer``) must be one of the site's origins.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request, Response

from fluxent.core.cookies import CSRF_COOKIE, CSRF_FIELD
from fluxent.core.errors import PermissionDenied
from fluxent.core.settings import get_settings
from fluxent.core.tokens import new_token

CSRF_HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_CSRF_COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def csrf_cookie(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE, "")


def issue_csrf_cookie(request: Request, response: Response) -> str:
    """Reuse the caller's token or set a new one; returns the token."""
    token = csrf_cookie(request)
    if not _well_formed(token):
        token = new_token(24)
        response.set_cookie(
            CSRF_COOKIE,
            token,
            max_age=_CSRF_COOKIE_MAX_AGE,
            path="/",
            samesite="lax",
            secure=get_settings().is_https,
            httponly=False,  # pages copy it into forms and headers
        )
    return token


async def require_csrf(request: Request) -> None:
    """FastAPI dependency for every unsafe route reachable from a browser."""
    if request.method in SAFE_METHODS:
        return
    _require_same_origin(request)
    cookie = csrf_cookie(request)
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and _is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not (_well_formed(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())):
        raise PermissionDenied("The request could not be verified (CSRF). Reload the page and try again.")


def _require_same_origin(request: Request) -> None:
    allowed = set(get_settings().cors_origins)
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        referer = request.headers.get("referer", "")
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    if origin.rstrip("/") not in allowed:
        raise PermissionDenied("Requests must come from this site.")


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _well_formed(token: str) -> bool:
    return 16 <= len(token) <= 128 and token.replace("-", "").replace("_", "").isalnum()


async def require_site_origin(request: Request) -> None:
    """For public routes without a session (forms anyone may send): the request must
    still come from the site's own pages, judged by ``Origin`` or ``Referer``."""
    _require_same_origin(request)
