"""Pieces shared by the portal's engagements and documents pages."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import theme

SECTION_HEADING = {**theme.HEADING_2, "margin": f"0 0 {theme.SPACE_4}", "font_size": theme.TEXT_LG}
MUTED = {"margin": "0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}


def intro(title: str, text: str) -> rx.Component:
    return rx.el.div(
        rx.el.h1(title, style={**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}),
        rx.el.p(text, style={**MUTED, "font_size": theme.TEXT_MD, "max_width": "60ch"}),
    )


def messages(notice: rx.Var, error: rx.Var) -> rx.Component:
    box: dict[str, Any] = {"margin": f"{theme.SPACE_6} 0 0", "padding": f"{theme.SPACE_3} {theme.SPACE_4}", "border_radius": theme.RADIUS_MD, "font_size": theme.TEXT_SM}
    return rx.fragment(
        rx.cond(notice != "", rx.el.p(notice, role="status", style={**box, "background": theme.SUCCESS_SOFT, "color": theme.SUCCESS})),
        rx.cond(error != "", rx.el.p(error, role="alert", style={**box, "background": "#FDECEC", "color": "#A61B1B"})),
    )


def pill(text: rx.Var | str) -> rx.Component:
    return rx.el.span(
        text,
        style={"display": "inline-block", "padding": f"{theme.SPACE_1} {theme.SPACE_3}", "border_radius": theme.RADIUS_PILL, "background": theme.ACCENT_SOFT, "color": theme.ACCENT, "font_size": theme.TEXT_XS, "font_weight": theme.WEIGHT_BOLD, "white_space": "nowrap"},
    )


def empty(text: str) -> rx.Component:
    return rx.el.p(text, style={**theme.CARD, **MUTED, "margin_top": theme.SPACE_8})


def progress_bar(percent: rx.Var, label: str) -> rx.Component:
    """A thin bar in the accent colour; ``percent`` is 0-100."""
    return rx.el.div(
        rx.el.div(style={"width": percent.to_string() + "%", "height": "100%", "background": theme.ACCENT, "border_radius": theme.RADIUS_PILL, "transition": theme.TRANSITION}),
        role="progressbar",
        aria_valuenow=percent,
        aria_valuemin=0,
        aria_valuemax=100,
        aria_label=label,
        style={"height": "8px", "background": theme.ACCENT_SOFT, "border_radius": theme.RADIUS_PILL, "margin_top": theme.SPACE_2, "overflow": "hidden"},
    )
