"""A small busy indicator, drawn by the site itself (no component library's stylesheet)."""

from __future__ import annotations

import reflex as rx

# Icon size in px by the sizes the pages ask for ("1" inline in small buttons, "3" for a section).
SIZES = {"1": 14, "2": 16, "3": 24}

_STYLE = {
    "display": "inline-block",
    "flex_shrink": "0",
    "animation": "fluxent-spin 0.8s linear infinite",
    "@keyframes fluxent-spin": {"to": {"transform": "rotate(360deg)"}},
    "@media (prefers-reduced-motion: reduce)": {"animation_duration": "2.4s"},
}


def spinner(size: str = "2") -> rx.Component:
    """Decorative: the control or region around it says what is happening."""
    return rx.icon("loader-circle", size=SIZES[size], aria_hidden="true", style=_STYLE)
