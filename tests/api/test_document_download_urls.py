"""One builder for the document download URL, and the URL it builds is the route that serves it."""

from __future__ import annotations

from pathlib import Path

import fluxent
from fluxent import routes
from fluxent.services.portal import listings
from fluxent.services.portal.dashboard import dashboard
from tests.support.portal import PDF_BYTES, client_for


def test_the_builder():
    assert routes.api_document_download(7) == "/api/v1/documents/7/download/"
    assert routes.api_document_download(7, version=2) == "/api/v1/documents/7/download/?version=2"


def test_every_download_url_is_served(session, world):
    client = client_for(session, world.owner_a)
    document_id = world.document_a.id
    detail = client.get(f"/api/v1/documents/{document_id}/").json()
    assert detail["download_url"] == routes.api_document_download(document_id)
    (line,) = listings.document_lines(session, actor=world.owner_a)
    (recent,) = dashboard(session, actor=world.owner_a).recent_documents
    versions = [v["download_url"] for v in detail.get("versions", [])]
    assert versions == [routes.api_document_download(document_id, version=1)]
    for url in {detail["download_url"], line.download_url, recent.download_url, *versions}:
        response = client.get(url)
        assert response.status_code == 200 and response.content == PDF_BYTES, url


def test_no_other_module_types_the_download_path():
    package = Path(fluxent.__file__).parent
    typed = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if "/download/" in p.read_text() and p.name != "routes.py"
    ]
    assert typed == []
