"""A tab's personal state is reset when the handshake's session is not the one it was built for."""

from __future__ import annotations

from reflex.istate.data import HeaderData, RouterData, SessionData

from fluxent.models.accounts import OrgRole, Role
from fluxent.services.auth import sessions
from fluxent.state.admin_leads import AdminLeadsState
from fluxent.state.portal import DocumentsState
from fluxent.state.session import SessionState
from fluxent.state.tab_binding import bind_to_handshake
from tests.support.auth import IP
from tests.support.state import person, run_async, tab


def _reconnect(state, cookie: str) -> None:
    """The tab's token comes back over a new websocket whose handshake carried ``cookie``."""
    root = state._get_root_state()
    root.router = RouterData(session=SessionData(client_ip=IP), headers=HeaderData(cookie=cookie))
    run_async(bind_to_handshake(root))


def _dana_on_documents() -> DocumentsState:
    _, cookie = person("dana@example.com", name="Dana Whitfield", organization="Northwind", org_role=OrgRole.OWNER)
    documents = tab(DocumentsState, cookie=cookie)
    _reconnect(documents, cookie)  # the first event binds the fresh tab to Dana's session
    documents.load_portal()
    documents.load()
    assert documents.user_email == "dana@example.com" and documents.targets
    return documents


def test_a_reconnect_without_a_cookie_gets_none_of_the_previous_persons_state(database):
    documents = _dana_on_documents()
    _reconnect(documents, "")
    assert (documents.user_name, documents.user_email, documents.signed_in) == ("", "", False)
    assert documents.organizations == [] and documents.targets == [] and documents.rows == []
    assert documents._bound_to == sessions.binding_key("")


def test_another_persons_cookie_gets_none_of_the_previous_persons_state(database):
    documents = _dana_on_documents()
    _, ravi = person("ravi@example.com", name="Ravi Okafor", organization="Bluefin")
    _reconnect(documents, ravi)
    assert documents.user_email == "" and documents.targets == []
    documents.load_portal()
    assert documents.user_email == "ravi@example.com"
    assert [o["name"] for o in documents.organizations] == ["Bluefin"]


def test_the_same_session_keeps_its_state(database):
    documents = _dana_on_documents()
    cookie = documents.router.headers.cookie
    documents.notice = "kept"
    _reconnect(documents, "csrftoken=other; " + cookie.split("; ")[-1])  # another csrftoken, same session
    assert documents.user_email == "dana@example.com" and documents.notice == "kept"


def test_staff_lead_lists_are_reset_too(database):
    _, cookie = person("priya@example.com", role=Role.STAFF, name="Priya Raman")
    leads = tab(AdminLeadsState, cookie=cookie)
    _reconnect(leads, cookie)
    leads.rows = [{"email": "lead@example.org"}]
    _reconnect(leads, "")
    assert leads.rows == []
    assert isinstance(leads, SessionState)
