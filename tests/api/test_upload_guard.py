"""``/_upload`` only with the request's own live session, bound to the tab, from the site's origin.

The tab lookup is a table here; the real server's lookup (Reflex state) is tried in
``tests/e2e/test_tab_token_attacks.py``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from fluxent.api.upload_guard import UploadGuard
from fluxent.core.db import session_scope
from fluxent.services.auth import sessions
from tests.support.auth import make_user

ORIGIN = "http://testserver"
TAB = "0f8fad5b-d9cb-469f-a165-70867728950e"


def _client(bound_to: str) -> tuple[TestClient, list[str]]:
    reached: list[str] = []

    async def inner(scope, receive, send):
        reached.append(scope["path"])
        await PlainTextResponse("accepted", status_code=202)(scope, receive, send)

    async def bound_session(token: str) -> str:
        return bound_to if token == TAB else ""

    return TestClient(UploadGuard(inner, bound_session), base_url=ORIGIN), reached


def _session(email: str) -> str:
    with session_scope() as db:
        return sessions.start_session(db, user=make_user(db, email))[1]


def _post(client, *, cookie: str = "", origin: str = ORIGIN, token: str = TAB):
    headers = {"Reflex-Client-Token": token, "Origin": origin}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    return client.post("/_upload", headers=headers, files={"files": ("a.txt", b"x", "text/plain")})


def test_only_the_tabs_own_session_from_the_site_gets_through(database):
    dana, ravi = _session("dana@example.com"), _session("ravi@example.com")
    client, reached = _client(sessions.binding_key(dana))
    refused = {
        "no cookie": _post(client),
        "unknown cookie": _post(client, cookie="not-a-session-" + "x" * 30),
        "another person": _post(client, cookie=ravi),
        "another tab": _post(client, cookie=dana, token="1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        "cross-site": _post(client, cookie=dana, origin="https://evil.example"),
    }
    assert {what: (r.status_code, r.json()["error"]["code"]) for what, r in refused.items()} == {
        "no cookie": (401, "not_authenticated"),
        "unknown cookie": (401, "not_authenticated"),
        "another person": (403, "permission_denied"),
        "another tab": (403, "permission_denied"),
        "cross-site": (403, "permission_denied"),
    }
    assert reached == []
    assert _post(client, cookie=dana).status_code == 202 and reached == ["/_upload"]


def test_other_paths_and_preflights_pass_untouched(database):
    client, reached = _client("")
    assert client.get("/_event/").status_code == 202
    assert client.options("/_upload").status_code == 202
    assert reached == ["/_event/", "/_upload"]
