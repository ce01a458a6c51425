"""A real OpenID Connect provider on localhost (``oidc-provider-mock``) for the single sign-on tests.

The provider signs id tokens with its own RSA key and serves discovery and JWKS like any
other. Whatever claims a person is given are merged into their id token last, so a test
can make the provider itself issue a token for another audience, an expired one, or one
with another nonce or issuer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from oidc_provider_mock import run_server_in_thread


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


@contextmanager
def running_provider() -> Iterator[Provider]:
    with run_server_in_thread(require_nonce=True) as server:
        yield Provider(issuer=f"http://localhost:{server.server_port}")
