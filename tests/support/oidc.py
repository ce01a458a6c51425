"""A real OpenID Connect provider on localhost (``oidc-provider-mock``) for the single sign-on tests.

The provider signs id tokens with its own RSA key and serves discovery and JWKS like any
other. Whatever claims a person is given are merged into their id token last, so a test
can make the provider itself issue a token for another audience, an expired one, or one
with another nonce or issuer. Its pages are served without their stylesheet from a CDN
(and with an inline icon), so a browser test on them makes no request off the machine and none that fails.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import oidc_provider_mock
import werkzeug.serving
from jinja2 import ChoiceLoader, DictLoader


@dataclass(frozen=True)
class Provider:
    issuer: str

    def person(self, sub: str, **claims: Any) -> str:
        """Give the provider a person with these claims (``email_verified`` true unless said); returns ``sub``."""
        response = httpx.put(f"{self.issuer}/users/{sub}", json={"email_verified": True, **claims})
        response.raise_for_status()
        return sub

    def approve(self, authorization_url: str, sub: str) -> str:
        """Sign in at the provider as ``sub`` and consent; returns where it sends the browser back."""
        parts = urlsplit(authorization_url)
        response = httpx.post(f"{self.issuer}{parts.path}?{parts.query}", data={"sub": sub})
        assert response.status_code == 302, response.text
        return response.headers["location"]


_PLAIN_BASE = """<!doctype html>
<html lang="en"><title>Identity provider</title><link rel="icon" href="data:,"><main>{% block content %}{{ content }}{% endblock %}</main></html>
"""


@contextmanager
def running_provider() -> Iterator[Provider]:
    app = oidc_provider_mock.app(require_nonce=True)
    app.jinja_loader = ChoiceLoader([DictLoader({"_base.html": _PLAIN_BASE}), app.jinja_loader])
    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(issuer=f"http://localhost:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
