"""The only two cookies Fluxent sets (the privacy policy names them), shared by the
HTTP routes and the Reflex state so the names live in one place."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

SESSION_COOKIE = "sessionid"  # HttpOnly; the database keeps only its keyed hash
CSRF_COOKIE = "csrftoken"  # readable by the page, echoed in X-CSRFToken or a hidden field
CSRF_FIELD = "csrfmiddlewaretoken"  # that hidden field of a native form post
ALLOWED_COOKIES = frozenset({SESSION_COOKIE, CSRF_COOKIE})


def cookie_value(cookie_header: str, name: str) -> str:
    """One cookie from a ``Cookie`` header, or "" (a malformed header counts as absent)."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel else ""


def well_formed_csrf_token(token: str) -> bool:
    """The CSRF token shape the API accepts: URL-safe characters, 16 to 128 of them."""
    return 16 <= len(token) <= 128 and token.replace("-", "").replace("_", "").isalnum()
