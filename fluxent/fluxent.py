"""The Reflex app: pages, the JSON API in front, and HTTP hardening around both."""

from __future__ import annotations

import reflex as rx

from fluxent.api import create_api, wrap_asgi
from fluxent.api.portal import ROUTERS as PORTAL_ROUTERS
from fluxent.core.settings import check_production, get_settings
from fluxent.pages import register_pages

check_production(get_settings())

app = rx.App(
    # In order: Reflex mounts itself inside the API app, then the hardening wraps both.
    api_transformer=[create_api(*PORTAL_ROUTERS), wrap_asgi],
)
register_pages(app)
