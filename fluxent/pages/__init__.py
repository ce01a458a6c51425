"""Every page of the app, registered in one place.

Each page module exposes ``page``, made by ``public_page`` or ``portal_page``,
which carries its route, title, description and load events (``page.spec``).
"""

from __future__ import annotations

import reflex as rx

from fluxent.components import brand, theme


def _configure_document(app: rx.App) -> None:
    """What every page's ``<html>`` and ``<head>`` share: language, icon, theme colour."""
    app.html_lang = "en"
    app.head_components = [
        *app.head_components,
        rx.el.link(rel="icon", href=brand.FAVICON, type="image/svg+xml"),
        rx.el.meta(name="theme-color", content=theme.INK),
    ]


def register_pages(app: rx.App) -> None:
    from fluxent.pages.portal import dashboard, documents, engagements
    from fluxent.pages.site import home

    _configure_document(app)
    for page in (home.page, dashboard.page, engagements.page, documents.page):
        spec = page.spec
        app.add_page(
            page,
            route=spec.route,
            title=spec.title,
            description=spec.description,
            image=brand.LOGO_MARK,
            on_load=spec.on_load,
        )
