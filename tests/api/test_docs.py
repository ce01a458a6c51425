"""The API documents itself without any third-party request."""

from fastapi.testclient import TestClient

from fluxent.api import create_api


def test_docs_page_loads_swagger_from_this_site():
    client = TestClient(create_api())
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "https://" not in page.text
    script = client.get("/api/v1/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Fluxent API"
