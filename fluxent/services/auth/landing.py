"""Where a person goes after signing in: the page they asked for, or their role's home.

Staff and admins land on the console, clients on the portal. A ``next`` path a
sign-in carries (``/login?next=/portal/engagements``) wins when it is a path on
this site; anything else falls back to the landing, so a link can never send a
freshly signed-in browser to another origin.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from fluxent import routes
from fluxent.core.settings import get_settings
from fluxent.models.accounts import User
from fluxent.services.accounts import authz

_SAFE_PATH = re.compile(r"^/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$")


def landing(user: User) -> str:
    """The home page of ``user``'s role."""
    return routes.ADMIN if authz.is_staff(user) else routes.PORTAL


def destination(user: User, requested: object) -> str:
    """``requested`` when it is a safe path on this site, else ``user``'s landing."""
    return safe_next(requested) or landing(user)


def safe_next(value: object, default: str = "") -> str:
    """``value`` when it is a path on this site, else ``default``.

    Refuses anything that a browser could read as another origin once appended to
    the base URL: scheme-relative ``//host``, backslashes (``/\\host``), encoded
    forms of those, control characters, and anything not starting with ``/``.
    """
    if not isinstance(value, str) or not value or len(value) > 2000 or not _SAFE_PATH.match(value):
        return default
    decoded = value
    for _ in range(3):  # %252F → %2F → /
        decoded = unquote(decoded)
    if decoded.startswith("//") or "\\" in decoded or any(ord(char) < 32 or ord(char) == 127 for char in decoded):
        return default
    base = urlsplit(get_settings().base_url)
    target = urlsplit(get_settings().base_url + value)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc):
        return default
    return value
