"""Shared pieces of the auth API tests: the real app on the test database, a browser-like
client that carries cookies and the CSRF header, and people built through the services.

The ``make_browser``, ``browser`` and ``people`` fixtures are in ``tests/api/conftest.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from fastapi.testclient import TestClient

from fluxent import routes
from fluxent.api.app import create_api, wrap_asgi
from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization, User
from tests.support.auth import PASSWORD

SITE = "http://testserver"  # FLUXENT_BASE_URL in tests/conftest.py
EVIL = "https://evil.example"
ADA = "ada@example.com"
BOB = "bob@example.com"


class Browser:
    """A TestClient that behaves like a page of the site: it holds the cookies, sends
    ``Origin`` and ``X-CSRFToken``, and never follows redirects (tests look at them)."""

    def __init__(self, peer: str = "testclient") -> None:
        """``peer``: the address the request comes from (a reverse proxy's, in some tests)."""
        self.client = TestClient(
            wrap_asgi(create_api()),
            base_url=SITE,
            follow_redirects=False,
            raise_server_exceptions=False,
            client=(peer, 50000),
        )

    def close(self) -> None:
        self.client.close()

    @property
    def csrf_token(self) -> str:
        token = self.client.cookies.get(CSRF_COOKIE)
        if not token:
            token = self.client.get(routes.API_CSRF).json()["csrftoken"]
        return token

    @property
    def session_cookie(self) -> str | None:
        return self.client.cookies.get(SESSION_COOKIE)

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Origin": SITE, "X-CSRFToken": self.csrf_token, **extra}

    def get(self, path: str, **kwargs: Any):
        return self.client.get(path, **kwargs)

    def send(self, method: str, path: str, json: Any = None, **kwargs: Any):
        """An unsafe JSON request as the site's own scripts make it."""
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        return self.client.request(method, path, json=json, headers=headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        return self.send("POST", path, json, **kwargs)

    def form(self, path: str, fields: dict[str, str], **kwargs: Any):
        """A native HTML form post with the hidden CSRF field."""
        data = {"csrfmiddlewaretoken": self.csrf_token, **fields}
        headers = {"Origin": SITE, **kwargs.pop("headers", {})}
        return self.client.post(path, data=data, headers=headers, **kwargs)

    def sign_in(self, login: str, password: str = PASSWORD):
        response = self.post(routes.API_LOGIN, {"login": login, "password": password})
        assert response.status_code == 200, response.text
        return response


@dataclass
class People:
    ada: User  # client, member of Acme
    bob: User  # client, owner of Acme
    staff: User
    admin: User
    acme: Organization


def set_cookie_attributes(response, name: str) -> dict[str, str]:
    """The attributes of the ``Set-Cookie`` header for ``name`` (lower-cased keys; flags map to "")."""
    for header in response.headers.get_list("set-cookie"):
        jar = SimpleCookie()
        jar.load(header)
        if name in jar:
            morsel = jar[name]
            attributes = {key: str(value) for key, value in morsel.items() if value}
            attributes["value"] = morsel.value
            return attributes
    raise AssertionError(f"no Set-Cookie for {name}")


def error_code(response) -> str:
    return response.json()["error"]["code"]


def read(query):
    """Run ``query(session)`` in a short unit of work of its own (the app's requests
    must never wait on a transaction the test left open)."""
    with session_scope() as db:
        return query(db)
