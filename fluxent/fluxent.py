"""The Reflex app: pages, the JSON API in front, and HTTP hardening around both."""

from __future__ import annotations

import reflex as rx
from reflex.utils.prerequisites import get_web_dir

from fluxent.api import create_api, wrap_asgi
from fluxent.api.portal import ROUTERS as PORTAL_ROUTERS
from fluxent.api.prerendered_pages import prerendered_pages
from fluxent.core.settings import check_production, get_settings
from fluxent.pages import register_pages
from fluxent.services import retention
from fluxent.state.busy import backend_exception_handler

check_production(get_settings())

app = rx.App(
    # In order: Reflex mounts itself inside the API app, prerendered token and 404 pages
    # stand in for the bare app shell, then the hardening wraps everything.
    api_transformer=[create_api(*PORTAL_ROUTERS), prerendered_pages(get_web_dir() / rx.constants.Dirs.STATIC), wrap_asgi],
    backend_exception_handler=backend_exception_handler,
)
register_pages(app)
if get_settings().retention_every_hours > 0:
    app.register_lifespan_task(retention.run_every, hours=get_settings().retention_every_hours)
