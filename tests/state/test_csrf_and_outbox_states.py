"""The CSRF token for native forms, and the development outbox page."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.core.cookies import well_formed_csrf_token
from fluxent.core.email import Email, send
from fluxent.core.settings import reset_settings
from fluxent.state.csrf import CsrfState
from fluxent.state.dev_outbox import DevOutboxState


def test_a_missing_or_malformed_csrf_cookie_is_replaced_and_a_good_one_kept(page_state):
    state = page_state(CsrfState, routes.LOGIN)
    state.ensure_token()
    first = state.csrf_token
    assert well_formed_csrf_token(first) and len(first) >= 32
    state.ensure_token()
    assert state.csrf_token == first
    state.csrf_token = "bad token; path=/"
    state.ensure_token()
    assert well_formed_csrf_token(state.csrf_token) and state.csrf_token != first


def test_the_csrf_cookie_is_the_one_the_policy_names_with_safe_attributes():
    cookie = CsrfState.get_fields()["csrf_token"].default
    assert (cookie.name, cookie.path, cookie.same_site) == ("csrftoken", "/", "lax")
    assert cookie.max_age == 365 * 24 * 3600


@pytest.fixture
def outbox_dir(tmp_path, monkeypatch):
    directory = tmp_path / "outbox"
    monkeypatch.setenv("FLUXENT_EMAIL_FILE_DIR", str(directory))
    reset_settings()
    return directory


def _mail(to: str, subject: str, text: str) -> None:
    send(Email(to=to, subject=subject, text=text, html="<p>html</p>"))


def test_outbox_lists_newest_first_and_opens_a_message_with_clickable_links(page_state, outbox_dir):
    _mail("a@example.com", "First", "Hello.")
    _mail("b@example.com", "Second", "Sign in: http://testserver/auth/magic/Tok_en-1. Then go.")
    state = page_state(DevOutboxState, routes.DEV_OUTBOX)
    state.load()
    assert state.available and [m["subject"] for m in state.messages] == ["Second", "First"]
    assert state.messages[0]["to"] == "b@example.com" and state.messages[0]["time"].endswith("UTC")

    state.open_message(state.messages[0]["id"])
    assert state.opened_subject == "Second"
    links = [piece["href"] for piece in state.opened_pieces if piece["href"]]
    assert links == ["http://testserver/auth/magic/Tok_en-1"]
    assert "".join(piece["text"] for piece in state.opened_pieces).startswith(
        "Sign in: http://testserver/auth/magic/Tok_en-1. Then go."
    )


@pytest.mark.parametrize("name", ["../secrets.env", "/etc/passwd", "..", "missing.eml", "a/../b.eml"])
def test_outbox_opens_only_its_own_messages(page_state, outbox_dir, name):
    _mail("a@example.com", "First", "Hello.")
    (outbox_dir.parent / "secrets.env").write_text("FLUXENT_SECRET_KEY=x")
    state = page_state(DevOutboxState, routes.DEV_OUTBOX)
    state.load()
    state.open_message(name)
    assert state.opened_id == "" and state.opened_pieces == [] and state.error == "No such message in the outbox."


def test_outbox_is_not_available_unless_development_or_test_with_the_file_backend(page_state, outbox_dir, monkeypatch):
    _mail("a@example.com", "First", "Hello.")
    monkeypatch.setenv("FLUXENT_EMAIL_BACKEND", "smtp")
    reset_settings()
    state = page_state(DevOutboxState, routes.DEV_OUTBOX)
    state.load()
    assert (state.checked, state.available, state.messages) == (True, False, [])
    state.open_message(sorted(path.name for path in outbox_dir.iterdir())[0])
    assert state.opened_id == ""
