"""Form pieces for the portal's settings pages: labelled inputs with inline errors,
a form-level alert, submit buttons that show progress, and the section card they sit in.

Errors come from a state's ``dict[str, str]`` of messages by field name (the
service's ``ValidationFailed.fields``); an input with a message is marked
``aria-invalid`` and points at it with ``aria-describedby``.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

from fluxent.components import theme
from fluxent.components.spinner import spinner

FIELD_INPUT: dict[str, Any] = {
    "width": "100%",
    "height": theme.CONTROL_HEIGHT,
    "padding_x": theme.SPACE_4,
    "border": f"1px solid {theme.LINE_STRONG}",
    "border_radius": theme.RADIUS_MD,
    "background": theme.SURFACE,
    "color": theme.INK,
    "font_family": theme.FONT_SANS,
    "font_size": theme.TEXT_MD,
    "transition": theme.TRANSITION,
    "&:hover": {"border_color": theme.TEXT_SUBTLE},
    "&:focus": {"border_color": theme.ACCENT, "box_shadow": f"0 0 0 3px {theme.ACCENT_GLOW}", "outline": "none"},
    "&[aria-invalid='true']": {"border_color": theme.DANGER},
    "&:disabled": {"background": theme.CANVAS, "color": theme.TEXT_SUBTLE},
}

_LABEL: dict[str, Any] = {
    "display": "block",
    "margin_bottom": theme.SPACE_2,
    "color": theme.INK,
    "font_size": theme.TEXT_SM,
    "font_weight": theme.WEIGHT_SEMIBOLD,
}

_HINT: dict[str, Any] = {"margin": f"{theme.SPACE_2} 0 0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS}

_ERROR: dict[str, Any] = {
    "display": "flex",
    "align_items": "flex-start",
    "gap": theme.SPACE_1,
    "margin": f"{theme.SPACE_2} 0 0",
    "color": theme.DANGER,
    "font_size": theme.TEXT_SM,
    "line_height": theme.LEADING_SNUG,
}


def field(
    label: str,
    name: str,
    errors: Var,
    *,
    form_id: str,
    type: str = "text",
    default_value: Var | str = "",
    autocomplete: str = "off",
    hint: str = "",
    required: bool = False,
    input_style: dict[str, Any] | None = None,
    **input_props: Any,
) -> rx.Component:
    """A labelled input; the message ``errors[name]`` (if any) shows below it."""
    input_id = f"{form_id}-{name}"
    error_id = f"{input_id}-error"
    message = errors[name].to(str)
    has_error = errors.contains(name)
    return rx.el.div(
        rx.el.label(label, html_for=input_id, style=_LABEL),
        rx.el.input(
            id=input_id,
            name=name,
            type=type,
            default_value=default_value,
            auto_complete=autocomplete,
            required=required,
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, error_id, f"{input_id}-hint" if hint else ""),
            style={**FIELD_INPUT, **(input_style or {})},
            **input_props,
        ),
        rx.cond(
            has_error,
            rx.el.p(rx.icon("circle-alert", size=14, aria_hidden="true", style={"flex_shrink": "0", "margin_top": "2px"}), message, id=error_id, style=_ERROR),
            rx.el.p(hint, id=f"{input_id}-hint", style=_HINT) if hint else rx.fragment(),
        ),
        style={"min_width": "0"},
    )


def form_alert(errors: Var, key: str = "form") -> rx.Component:
    """The message that belongs to no single field (``errors[key]``), as an alert above the fields."""
    return rx.cond(
        errors.contains(key),
        rx.el.div(
            rx.icon("triangle-alert", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
            rx.el.p(errors[key].to(str), style={"margin": "0"}),
            role="alert",
            style={
                "display": "flex",
                "gap": theme.SPACE_3,
                "align_items": "flex-start",
                "padding": theme.SPACE_4,
                "border_radius": theme.RADIUS_MD,
                "background": theme.DANGER_SOFT,
                "color": theme.DANGER,
                "font_size": theme.TEXT_SM,
                "line_height": theme.LEADING_SNUG,
            },
        ),
    )


def submit_button(label: str, busy: Var, busy_label: str, *, danger: bool = False, **props: Any) -> rx.Component:
    """A submit button that says what is happening and cannot be pressed twice."""
    style = {**theme.BUTTON_PRIMARY, **(DANGER_BUTTON if danger else {}), "&:disabled": {"opacity": "0.7", "cursor": "progress", "transform": "none"}}
    return rx.el.button(
        rx.cond(busy, rx.el.span(spinner(size="2"), busy_label, style={"display": "inline-flex", "align_items": "center", "gap": theme.SPACE_2}), label),
        type="submit",
        disabled=busy,
        aria_busy=busy,
        style=style,
        **props,
    )


DANGER_BUTTON: dict[str, Any] = {
    "background": theme.DANGER,
    "box_shadow": "none",
    "&:hover": {"background": theme.DANGER_HOVER, "color": theme.ON_INK, "transform": "translateY(-1px)"},
}


def section_card(heading: str, text: str, *children: rx.Component, section_id: str, icon: str = "") -> rx.Component:
    """A settings section: heading and explanation, then its content, in one card."""
    heading_id = f"{section_id}-heading"
    return rx.el.section(
        rx.el.div(
            rx.el.span(rx.icon(icon, size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)) if icon else rx.fragment(),
            rx.el.div(
                rx.el.h2(heading, id=heading_id, style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
                rx.el.p(text, style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}),
                style={"min_width": "0"},
            ),
            style={"display": "flex", "gap": theme.SPACE_4, "align_items": "flex-start", "margin_bottom": theme.SPACE_6},
        ),
        *children,
        id=section_id,
        aria_labelledby=heading_id,
        style={**theme.CARD, "padding": f"clamp({theme.SPACE_5}, 3vw, {theme.SPACE_8})"},
    )


def page_heading(title: str, text: str) -> rx.Component:
    return rx.el.div(
        rx.el.h1(title, style={**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}),
        rx.el.p(text, style={"margin": "0", "color": theme.TEXT_MUTED, "max_width": "62ch"}),
        style={"margin_bottom": theme.SPACE_8},
    )


def badge(text: str | Var, *, tone: str = "accent") -> rx.Component:
    colours = {
        "accent": (theme.ACCENT_SOFT, theme.ACCENT),
        "success": (theme.SUCCESS_SOFT, theme.SUCCESS),
        "danger": (theme.DANGER_SOFT, theme.DANGER),
    }[tone]
    return rx.el.span(
        text,
        style={
            "display": "inline-flex",
            "align_items": "center",
            "padding": f"2px {theme.SPACE_3}",
            "border_radius": theme.RADIUS_PILL,
            "background": colours[0],
            "color": colours[1],
            "font_size": theme.TEXT_XS,
            "font_weight": theme.WEIGHT_BOLD,
            "white_space": "nowrap",
        },
    )
