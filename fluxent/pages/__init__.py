"""Every page of the app, registered in one place."""

from __future__ import annotations

import reflex as rx


def register_pages(app: rx.App) -> None:
    from fluxent.pages.site import home

    app.add_page(home.page, route="/", title="Fluxent")
