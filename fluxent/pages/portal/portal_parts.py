"""Pieces shared by the portal's pages: intro, card grid, empty state, progress bar."""

from __future__ import annotations

import reflex as rx

from fluxent.components import theme
from fluxent.components.theme import MUTED

SECTION_HEADING = {**theme.HEADING_2, "margin": f"0 0 {theme.SPACE_4}", "font_size": theme.TEXT_LG}


def intro(title: str, text: str) -> rx.Component:
    return rx.el.div(
        rx.el.h1(title, style={**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}),
        rx.el.p(text, style={**MUTED, "font_size": theme.TEXT_MD, "max_width": "60ch"}),
    )


def card_grid(*cards: rx.Component) -> rx.Component:
    """A list of cards: one column on phones, two from tablets on."""
    return rx.el.ul(
        *cards,
        style={
            "list_style": "none",
            "margin": "0",
            "padding": "0",
            "display": "grid",
            "gap": theme.SPACE_4,
            theme.TABLET_UP: {"grid_template_columns": "repeat(2, minmax(0, 1fr))"},
        },
    )


def empty(text: str) -> rx.Component:
    return rx.el.p(text, style={**theme.CARD, **MUTED, "margin_top": theme.SPACE_8})


def progress_bar(percent: rx.Var, label: str) -> rx.Component:
    """A thin bar in the accent colour; ``percent`` is 0-100."""
    return rx.el.div(
        rx.el.div(
            style={
                "width": percent.to_string() + "%",
                "height": "100%",
                "background": theme.ACCENT,
                "border_radius": theme.RADIUS_PILL,
                "transition": theme.TRANSITION,
            }
        ),
        role="progressbar",
        aria_valuenow=percent,
        aria_valuemin=0,
        aria_valuemax=100,
        aria_label=label,
        style={
            "height": "8px",
            "background": theme.ACCENT_SOFT,
            "border_radius": theme.RADIUS_PILL,
            "margin_top": theme.SPACE_2,
            "overflow": "hidden",
        },
    )
