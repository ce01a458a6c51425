"""The CSRF token that native forms echo in their hidden ``csrfmiddlewaretoken`` field.

The API compares that field with the readable ``csrftoken`` cookie (double submit,
plus an Origin check). A page with such a form makes sure the cookie exists: the
browser's value is read when the page hydrates; when there is none (first visit),
a new token is made here and the page writes the cookie.

The cookie is a Reflex client-storage var rather than a script run with
``rx.call_script``: the site's Content-Security-Policy forbids ``eval``, which
``call_script`` needs; client-storage vars are written by Reflex's own code.
"""

from __future__ import annotations

import reflex as rx

from fluxent.core.cookies import CSRF_COOKIE, well_formed_csrf_token
from fluxent.core.settings import get_settings
from fluxent.core.tokens import new_token

TOKEN_BYTES = 24
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


class CsrfState(rx.State):
    """Holds the token for the hidden field; never anything secret."""

    csrf_token: str = rx.Cookie(
        "",
        name=CSRF_COOKIE,
        path="/",
        max_age=COOKIE_MAX_AGE,
        same_site="lax",
        secure=get_settings().is_https,
    )

    @rx.event
    def ensure_token(self) -> None:
        """``on_load`` of every page with a native form: keep a good cookie, or make one."""
        if not well_formed_csrf_token(self.csrf_token):
            self.csrf_token = new_token(TOKEN_BYTES)
