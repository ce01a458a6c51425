"""A one-line notice at the top of a public page after a full page load (``?notice=``).

Only known notice codes show anything, as fixed text: the query string never puts
words of its own on the page.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme

PUBLIC_NOTICES = {
    routes.NOTICE_ACCOUNT_DELETED: "Your account is deleted and you are signed out. Thank you for working with Fluxent.",
}


def _strip(text: str) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            rx.icon("circle-check", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
            text,
            style={"display": "flex", "align_items": "center", "gap": theme.SPACE_2, "margin": "0 auto", "max_width": theme.CONTENT_MAX_WIDTH},
        ),
        role="status",
        data_testid="page-notice",
        style={"padding": f"{theme.SPACE_3} {theme.GUTTER}", "background": theme.SUCCESS_SOFT, "color": theme.SUCCESS, "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_MEDIUM, "border_bottom": "1px solid #BFE6D4"},
    )


def notice_strip() -> rx.Component:
    notice = rx.State.router.url.query_parameters["notice"].to(str)  # type: ignore[attr-defined]
    return rx.match(notice, *[(code, _strip(text)) for code, text in PUBLIC_NOTICES.items()], rx.fragment())
