"""Attacks with a browser tab's Reflex client token against the real production server.

The token sits in the tab's sessionStorage, survives sign-out, and shows up in
``/_event/?token=`` URLs that proxies log. These tests hold it and try to get the
previous person's data over the websocket or to upload as them; nothing may work
but the person's own tab with their own cookie. People sign in over HTTP as a
browser does; tabs are Socket.IO clients (``tests/support/socket_tabs.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
import pytest
import reflex as rx

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_DOCUMENT, DEMO_ENGAGEMENT, DEMO_ORGANIZATION, DEMO_OTHER_CLIENT
from fluxent.state.portal import DocumentsState
from fluxent.state.session import SessionState
from tests.support.socket_tabs import SocketTab, open_page, state_values

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROOT_STATE = rx.State.get_full_name()
SESSION_STATE = SessionState.get_full_name()
DOCUMENTS_STATE = DocumentsState.get_full_name()
NORTHWIND_ID = f"""
from fluxent.core.db import session_scope
from fluxent.services.accounts import organizations
with session_scope() as db:
    print(organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r}).id)
"""
UPLOAD_HANDLER = f"{DocumentsState.get_full_name()}.upload"
PORTAL_PAGES = (routes.PORTAL, routes.PORTAL_DOCUMENTS, routes.PORTAL_SECURITY, routes.PORTAL_ACCOUNT)
# What only Dana's portal shows (Ravi shares Bluefin with her, so nothing of Bluefin).
DANAS = (DEMO_CLIENT.email, DEMO_CLIENT.name, DEMO_DOCUMENT, DEMO_ENGAGEMENT, DEMO_ORGANIZATION, "USD 48,000.00")


@dataclass
class Person:
    http: httpx.Client

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())

    def sign_out(self) -> httpx.Response:
        return self.http.post(routes.API_LOGOUT, json={}, headers=self.http.headers)


def sign_in(server, who) -> Person:
    http = httpx.Client(base_url=server.base_url, headers={"Origin": server.base_url}, timeout=30)
    csrf = http.get(routes.API_CSRF).json()["csrftoken"]
    http.headers["X-CSRFToken"] = csrf
    answer = http.post(routes.API_LOGIN, json={"login": who.email, "password": who.password})
    assert answer.status_code == 200, answer.text
    assert answer.headers["clear-site-data"] == '"storage"'
    return Person(http)


def danas_token_after_sign_out(server) -> str:
    """Dana signs in, opens her portal pages in one tab, signs out and closes it: the tab's token."""
    dana = sign_in(server, DEMO_CLIENT)
    tab = SocketTab(server.base_url, cookie=dana.cookie_header).connect()
    try:
        for path in PORTAL_PAGES:
            open_page(tab, path)
        seen = tab.everything_received()
        assert all(text in seen for text in DANAS), "the victim's own tab must show her data (test premise)"
    finally:
        tab.close()
    signed_out = dana.sign_out()
    assert signed_out.status_code == 204 and signed_out.headers["clear-site-data"] == '"storage"'
    return tab.token


def leaked(tab: SocketTab) -> list[str]:
    seen = tab.everything_received()
    return [text for text in DANAS if text in seen]


def test_the_token_without_a_cookie_gets_nothing_of_the_previous_person(server):
    token = danas_token_after_sign_out(server)
    attacker = SocketTab(server.base_url, token=token).connect()
    try:
        open_page(attacker, routes.PORTAL_DOCUMENTS)
        open_page(attacker, routes.PORTAL_SECURITY)
        assert leaked(attacker) == []
    finally:
        attacker.close()


def test_the_token_with_another_persons_cookie_gets_nothing_of_the_previous_person(server):
    token = danas_token_after_sign_out(server)
    ravi = sign_in(server, DEMO_OTHER_CLIENT)
    attacker = SocketTab(server.base_url, token=token, cookie=ravi.cookie_header).connect()
    try:
        for path in PORTAL_PAGES:
            open_page(attacker, path)
        assert DEMO_OTHER_CLIENT.email in attacker.everything_received()  # Ravi sees his own portal
        # Dana's name may rightly reach Ravi through Bluefin (a document she uploaded there);
        # her own state never does: not her person, not Northwind.
        assert [text for text in leaked(attacker) if text != DEMO_CLIENT.name] == []
        people = [state_values(update, SESSION_STATE) for update in attacker.updates]
        assert DEMO_CLIENT.name not in [values.get("user_name") for values in people]
    finally:
        attacker.close()


# Uploads ---------------------------------------------------------------------------


def _post_upload(server, token: str, *, cookie: str = "", origin: str | None = None, name: str = "planted.txt"):
    headers = {
        "Reflex-Client-Token": token,
        "Reflex-Event-Handler": UPLOAD_HANDLER,
        "Origin": origin or server.base_url,
    }
    if cookie:
        headers["Cookie"] = cookie
    return httpx.post(
        server.url("/_upload"),
        headers=headers,
        timeout=30,
        files={"files": (name, b"meeting notes\n", "text/plain")},
    )


def _document_names(person: Person) -> list[str]:
    answer = person.http.get(f"{routes.API}/documents/", params={"page_size": 100})
    assert answer.status_code == 200, answer.text
    return [document["filename"] for document in answer.json()["items"]]


@pytest.fixture
def danas_documents_tab(server):
    """Dana, signed in, with the documents page open and Northwind chosen as the upload target
    (she belongs to two organizations, so the page waits for her choice)."""
    dana = sign_in(server, DEMO_CLIENT)
    tab = SocketTab(server.base_url, cookie=dana.cookie_header).connect()
    open_page(tab, routes.PORTAL_DOCUMENTS)
    target = f"org:{server.python(NORTHWIND_ID).strip().splitlines()[-1]}"
    after = len(tab.updates)
    tab.emit(f"{DOCUMENTS_STATE}.set_target", {"value": target}, path=routes.PORTAL_DOCUMENTS)
    tab.wait_for(lambda update: state_values(update, DOCUMENTS_STATE).get("target") == target, after=after)
    yield dana, tab
    tab.close()


def test_an_upload_needs_the_requests_own_session_of_the_tab_and_the_sites_origin(server, danas_documents_tab):
    dana, tab = danas_documents_tab
    before = _document_names(dana)
    ravi = sign_in(server, DEMO_OTHER_CLIENT)
    attempts = {
        "no cookie": _post_upload(server, tab.token, name="no-cookie.txt"),
        "another person's cookie": _post_upload(server, tab.token, cookie=ravi.cookie_header, name="foreign.txt"),
        "a foreign origin": _post_upload(
            server, tab.token, cookie=dana.cookie_header, origin="https://evil.example", name="cross-site.txt"
        ),
    }
    statuses = {what: (answer.status_code, answer.json()["error"]["code"]) for what, answer in attempts.items()}
    assert statuses == {
        "no cookie": (401, "not_authenticated"),
        "another person's cookie": (403, "permission_denied"),
        "a foreign origin": (403, "permission_denied"),
    }
    time.sleep(2)  # an upload that got through would be stored by a background task by now
    assert _document_names(dana) == before


def test_the_persons_own_tab_still_uploads(server, danas_documents_tab):
    dana, tab = danas_documents_tab
    answer = _post_upload(server, tab.token, cookie=dana.cookie_header, name="own-notes.txt")
    assert answer.status_code == 202, answer.text
    deadline = time.monotonic() + 30
    while "own-notes.txt" not in _document_names(dana):
        assert time.monotonic() < deadline, "the upload was not stored"
        time.sleep(0.5)


def test_an_undispatchable_event_leaves_no_cookie_or_token_in_the_log(server):
    dana = sign_in(server, DEMO_CLIENT)
    tab = SocketTab(server.base_url, cookie=dana.cookie_header).connect()
    try:
        open_page(tab, routes.PORTAL)
        tab.emit(f"{ROOT_STATE}.no_such_handler", {"x": 1}, path=routes.PORTAL)
        tab.emit(f"{DocumentsState.get_full_name()}.set_target", {"value": {"not": "a string"}}, path=routes.PORTAL)
        time.sleep(2)
    finally:
        tab.close()
    log = server.log_path.read_text()
    assert "no_such_handler" in log, "the server did log the malformed event (test premise)"
    secrets = {
        "sessionid": dana.http.cookies["sessionid"],
        "csrftoken": dana.http.cookies["csrftoken"],
        "token": tab.token,
    }
    assert [name for name, value in secrets.items() if value in log] == []
