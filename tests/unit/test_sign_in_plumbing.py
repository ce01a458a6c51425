"""Small pieces behind the sign-in pages: form actions, the outbox reader, the theme-storage patch."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluxent import routes
from fluxent.browser_storage import without_theme_storage
from fluxent.core.cookies import well_formed_csrf_token
from fluxent.core.settings import reset_settings
from fluxent.services import dev_outbox

THEME_PROVIDER = Path(__import__("reflex_base").__file__).parent / ".templates" / "web" / "utils" / "react-theme.js"


@pytest.mark.parametrize(
    ("env", "base_url", "api_url", "expected"),
    [
        ("development", "http://localhost:3000", "", "http://localhost:8000/api/v1/auth/login/"),
        ("production", "https://fluxent.tech", "", "/api/v1/auth/login/"),
        ("test", "http://127.0.0.1:8123", "", "/api/v1/auth/login/"),
        (
            "production",
            "https://fluxent.tech",
            "https://api.fluxent.tech",
            "https://api.fluxent.tech/api/v1/auth/login/",
        ),
    ],
)
def test_form_actions_reach_the_backend_origin(monkeypatch, env, base_url, api_url, expected):
    monkeypatch.setenv("FLUXENT_ENV", env)
    monkeypatch.setenv("FLUXENT_BASE_URL", base_url)
    monkeypatch.setenv("FLUXENT_API_URL", api_url)
    monkeypatch.setenv("FLUXENT_PORT", "8000")
    reset_settings()
    assert routes.api_url(routes.API_LOGIN) == expected


@pytest.mark.parametrize(
    ("token", "ok"),
    [
        ("a" * 16, True),
        ("Ab_-" * 8, True),
        ("a" * 15, False),
        ("a" * 129, False),
        ("abc def ghijklmnop", False),
        ("", False),
    ],
)
def test_csrf_token_shape(token, ok):
    assert well_formed_csrf_token(token) is ok


def test_links_in_a_message_are_cut_out_without_trailing_punctuation():
    pieces = dev_outbox.text_with_links(
        "Go to https://x.test/a/b_c-1. Or http://y.test/?q=1, then stop.\njavascript:alert(1)"
    )
    assert [text for text, is_link in pieces if is_link] == ["https://x.test/a/b_c-1", "http://y.test/?q=1"]
    assert "".join(text for text, _ in pieces).endswith("javascript:alert(1)")


def test_an_empty_or_missing_outbox_lists_nothing(tmp_path):
    assert dev_outbox.list_messages(tmp_path / "missing") == []
    (tmp_path / "notes.txt").write_text("not a message")
    assert dev_outbox.list_messages(tmp_path) == []


def test_the_theme_provider_keeps_nothing_in_local_storage():
    source = THEME_PROVIDER.read_text()
    assert 'localStorage.setItem("theme"' in source  # what Reflex ships
    patched = without_theme_storage(source)
    assert "localStorage." not in patched
    assert without_theme_storage(patched) == patched  # rebuilds patch the patched file again


def test_an_unknown_use_of_local_storage_stops_the_build():
    with pytest.raises(RuntimeError, match="react-theme.js"):
        without_theme_storage('localStorage.removeItem("theme");')
