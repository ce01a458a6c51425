"""The friendly 404 page."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.public_layout import arrow_label, public_layout

TITLE = "Page not found · Fluxent"
DESCRIPTION = "The page you were looking for is not here."
SUGGESTIONS = (
    ("Home", routes.HOME),
    ("Client Journey", routes.CLIENT_JOURNEY),
    ("Case Studies", routes.CASE_STUDIES),
    ("Contact", routes.CONTACT),
)


def page() -> rx.Component:
    return public_layout(
        rx.el.section(
            rx.el.div(
                rx.el.img(
                    src="/illustrations/not-found.svg",
                    alt="",
                    width="360",
                    height="240",
                    style={"width": "100%", "max_width": "360px", "height": "auto"},
                ),
                rx.el.p(
                    "Error 404",
                    style={**theme.EYEBROW, "color": theme.ACCENT, "margin": f"{theme.SPACE_8} 0 {theme.SPACE_3}"},
                ),
                rx.el.h1(
                    "This page took a wrong turn",
                    style={**theme.HEADING_1, "font_size": theme.HEADING_XL, "margin": "0"},
                ),
                rx.el.p(
                    "The link may be old, or the address mistyped. These are good places to pick up the road again:",
                    style={
                        "margin": f"{theme.SPACE_4} 0 {theme.SPACE_6}",
                        "color": theme.TEXT_MUTED,
                        "font_size": theme.TEXT_LG,
                        "max_width": "52ch",
                    },
                ),
                rx.el.ul(
                    *[
                        rx.el.li(rx.el.a(arrow_label(label), href=route, style={**theme.BUTTON_SECONDARY}))
                        for label, route in SUGGESTIONS
                    ],
                    style={
                        "list_style": "none",
                        "margin": "0",
                        "padding": "0",
                        "display": "flex",
                        "flex_wrap": "wrap",
                        "gap": theme.SPACE_3,
                        "justify_content": "center",
                    },
                ),
                style={
                    **theme.CONTAINER,
                    "display": "flex",
                    "flex_direction": "column",
                    "align_items": "center",
                    "text_align": "center",
                    "padding_top": theme.SPACE_16,
                    "padding_bottom": theme.SPACE_24,
                },
            ),
            aria_label="Page not found",
        )
    )
