"""Interactive API docs at ``/api/v1/docs``, served entirely by this site.

FastAPI's default page loads Swagger UI from a CDN, which the Content-Security-Policy
(and the promise of no third-party requests) rules out; the same files come from
the ``swagger-ui-bundle-v2`` package instead.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path


def add_docs(api: FastAPI, *, prefix: str) -> None:
    assets = f"{prefix}/docs-assets"
    api.mount(assets, StaticFiles(directory=swagger_ui_path), name="swagger-assets")

    @api.get(f"{prefix}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json",
            title="Fluxent API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
        )
