"""Token pages and the 404 page answer with their prerendered HTML, not the app shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from fluxent import routes
from fluxent.api.prerendered_pages import PrerenderedPages
from fluxent.prerendering import with_extra_prerender_paths

SHELL = "<html><body>app shell</body></html>"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def static_dir(tmp_path: Path) -> Path:
    _write(tmp_path / "404.html", SHELL)
    _write(tmp_path / "contact" / "index.html", "<p>Talk to an engineer</p>")
    _write(tmp_path / "newsletter" / "confirm" / "_" / "index.html", "<p>Confirm my subscription</p>")
    _write(tmp_path / "not-found" / "index.html", "<h1>This page took a wrong turn</h1>")
    return tmp_path


def _client(static_dir: Path) -> TestClient:
    frontend = Starlette(routes=[Mount("/", app=StaticFiles(directory=static_dir, html=True))])
    return TestClient(PrerenderedPages(frontend, static_dir), follow_redirects=False)


def test_every_token_gets_the_prerendered_page(static_dir):
    client = _client(static_dir)
    for token in ("abc", "Zx_9-long.token"):
        answer = client.get(routes.newsletter_confirm(token) + "/")
        assert answer.status_code == 200
        assert "Confirm my subscription" in answer.text


def test_a_token_page_without_its_slash_is_redirected_keeping_the_query(static_dir):
    answer = _client(static_dir).get(routes.newsletter_confirm("abc") + "?utm=x")
    assert answer.status_code == 307
    assert answer.headers["location"] == routes.newsletter_confirm("abc") + "/?utm=x"


def test_only_one_segment_counts_as_the_token(static_dir):
    answer = _client(static_dir).get(routes.newsletter_confirm("abc") + "/extra/")
    assert answer.status_code == 404
    assert "wrong turn" in answer.text


def test_unknown_addresses_get_the_404_page_with_status_404(static_dir):
    client = _client(static_dir)
    for path in ("/no-such-page/", "/no-such-page", routes.NOT_FOUND_PRERENDER + "/"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "This page took a wrong turn" in answer.text and "app shell" not in answer.text
        assert int(answer.headers["content-length"]) == len(answer.content)
    head = client.head("/no-such-page/")
    assert head.status_code == 404 and head.content == b""


def test_pages_and_other_methods_pass_through(static_dir):
    client = _client(static_dir)
    assert "Talk to an engineer" in client.get("/contact/").text
    assert client.post(routes.newsletter_confirm("abc") + "/").status_code == 405  # not rewritten, not a page


def test_without_a_build_the_shell_answers_as_before(static_dir):
    (static_dir / "not-found" / "index.html").unlink()
    (static_dir / "newsletter" / "confirm" / "_" / "index.html").unlink()
    client = _client(static_dir)
    assert client.get("/no-such-page/").text == SHELL
    assert client.get(routes.newsletter_confirm("abc") + "/").status_code == 404


def test_the_build_prerenders_the_placeholder_addresses_only_in_production():
    production = 'export default {"basename": "/", "ssr": false, "prerender": true, "build": "build"};'
    patched = with_extra_prerender_paths(production)
    assert "prerender: true" not in patched and '"prerender"' not in patched
    assert json.dumps(["/newsletter/confirm/_", "/newsletter/unsubscribe/_", routes.NOT_FOUND_PRERENDER]) in patched
    assert "...getStaticPaths()" in patched
    development = 'export default {"basename": "/", "ssr": false};'
    assert with_extra_prerender_paths(development) == development
    with pytest.raises(RuntimeError):
        with_extra_prerender_paths("module.exports = {}")
