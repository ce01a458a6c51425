"""The Fluxent logo: the mark (``assets/logo.svg``) beside the wordmark."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme

LOGO_MARK = "/logo.svg"
FAVICON = "/favicon.svg"
COMPANY = "Fluxent Technologies, Inc."
SUPPORT_EMAIL = "support@fluxent.tech"
LOCATION = "Woodmere, NY"


def logo_mark(size: str = "32px", *, on_dark: bool = False) -> rx.Component:
    """The square mark alone; decorative, since the wordmark or a label names it.

    On a dark surface a hairline ring keeps the navy tile from melting into it.
    """
    style = {
        "width": size,
        "height": size,
        "display": "block",
        "flex_shrink": "0",
        "border_radius": f"calc({size} / 4)",
    }
    if on_dark:
        style["box_shadow"] = f"0 0 0 1px {theme.ON_INK_RING}"
    return rx.el.img(src=LOGO_MARK, alt="", width=size, height=size, style=style)


def wordmark(*, on_dark: bool = False, size: str = theme.TEXT_XL) -> rx.Component:
    return rx.el.span(
        "Fluxent",
        style={
            "font_size": size,
            "font_weight": theme.WEIGHT_BOLD,
            "letter_spacing": theme.TRACKING_TIGHT,
            "line_height": "1",
            "color": theme.ON_INK if on_dark else theme.INK,
        },
    )


def logo(*, on_dark: bool = False, href: str = routes.HOME, label: str = "Fluxent home") -> rx.Component:
    """Mark and wordmark, linking home."""
    return rx.el.a(
        logo_mark(on_dark=on_dark),
        wordmark(on_dark=on_dark),
        href=href,
        aria_label=label,
        style={
            "display": "inline-flex",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "text_decoration": "none",
            "flex_shrink": "0",
            "border_radius": theme.RADIUS_SM,
        },
    )
