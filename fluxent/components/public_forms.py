"""Accessible form parts for the public site's forms (contact, scope, newsletter): labelled fields whose errors are tied to
the input (``aria-describedby``/``aria-invalid``) and announced in a live region."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import theme
from fluxent.services.marketing import spam

LABEL: dict[str, Any] = {"display": "block", "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK, "margin_bottom": theme.SPACE_2}
CONTROL: dict[str, Any] = {
    "width": "100%",
    "min_height": theme.CONTROL_HEIGHT,
    "padding": f"10px {theme.SPACE_4}",
    "border_radius": theme.RADIUS_MD,
    "border": f"1px solid {theme.LINE_STRONG}",
    "background": theme.SURFACE,
    "color": theme.INK,
    "font_family": theme.FONT_SANS,
    "font_size": theme.TEXT_MD,
    "transition": theme.TRANSITION,
    "&:focus": {"outline": f"2px solid {theme.FOCUS_RING}", "outline_offset": "1px", "border_color": theme.ACCENT},
    "&[aria-invalid='true']": {"border_color": theme.DANGER, "background": theme.DANGER_SOFT},
}
ERROR_TEXT: dict[str, Any] = {"margin": f"{theme.SPACE_2} 0 0", "color": theme.DANGER, "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_MEDIUM, "min_height": "0"}
HINT: dict[str, Any] = {"margin": f"{theme.SPACE_1} 0 {theme.SPACE_2}", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM}


def _error(errors: rx.Var, name: str) -> rx.Component:
    return rx.el.p(rx.cond(errors.contains(name), errors[name], ""), id=f"{name}-error", style=ERROR_TEXT)


def field(
    errors: rx.Var,
    name: str,
    label: str,
    *,
    kind: str = "text",
    required: bool = True,
    hint: str = "",
    options: tuple[str, ...] = (),
    full: bool = False,
    **props: Any,
) -> rx.Component:
    """A labelled input, textarea or select with its error line."""
    described = f"{name}-error" + (f" {name}-hint" if hint else "")
    common = dict(
        id=name,
        name=name,
        aria_invalid=rx.cond(errors.contains(name), "true", "false"),
        aria_describedby=described,
        aria_required="true" if required else "false",
        style=CONTROL,
        **props,
    )
    if kind == "textarea":
        control = rx.el.textarea(rows=6, **common, custom_attrs={"style": {"resize": "vertical"}})
    elif kind == "select":
        control = rx.el.select(
            rx.el.option("Choose one", value="", disabled=True),
            *[rx.el.option(option, value=option) for option in options],
            default_value="",
            **common,
        )
    else:
        control = rx.el.input(type=kind, **common)
    suffix = "" if required else " (optional)"
    return rx.el.div(
        rx.el.label(label, rx.el.span(suffix, style={"color": theme.TEXT_SUBTLE, "font_weight": theme.WEIGHT_REGULAR}), html_for=name, style=LABEL),
        rx.el.p(hint, id=f"{name}-hint", style=HINT) if hint else rx.fragment(),
        control,
        _error(errors, name),
        style={"grid_column": "1 / -1"} if full else {},
    )


def consent_checkbox(errors: rx.Var, statement: str, policy_href: str) -> rx.Component:
    """The "I agree" box: never pre-ticked; the server refuses the form without it."""
    return rx.el.div(
        rx.el.div(
            rx.el.input(
                type="checkbox",
                id="agree",
                name="agree",
                aria_invalid=rx.cond(errors.contains("agree"), "true", "false"),
                aria_describedby="agree-error",
                style={"width": "20px", "height": "20px", "margin": "2px 0 0", "flex_shrink": "0", "accent_color": theme.ACCENT},
            ),
            rx.el.label(
                rx.el.strong("I agree. ", style={"color": theme.INK}),
                statement + " ",
                rx.el.a("Read the Privacy Policy", href=policy_href, style={"color": theme.ACCENT, "text_decoration": "underline"}),
                ".",
                html_for="agree",
                style={"font_size": theme.TEXT_SM, "color": theme.TEXT, "line_height": theme.LEADING_BODY},
            ),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start"},
        ),
        _error(errors, "agree"),
        style={"grid_column": "1 / -1", "padding": theme.SPACE_4, "border_radius": theme.RADIUS_MD, "background": theme.CANVAS, "border": f"1px solid {theme.LINE}"},
    )


def honeypot(field_id: str = spam.HONEYPOT_FIELD) -> rx.Component:
    """A field people never see or reach; robots that fill every input fill it too."""
    return rx.el.div(
        rx.el.label("Leave this empty", html_for=field_id),
        rx.el.input(type="text", id=field_id, name=spam.HONEYPOT_FIELD, tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style={"position": "absolute", "left": "-10000px", "width": "1px", "height": "1px", "overflow": "hidden"},
    )


def form_alert(message: rx.Var) -> rx.Component:
    """The live region that announces the form's overall error."""
    return rx.el.div(
        rx.cond(
            message != "",
            rx.el.p(rx.icon("circle-alert", size=18, aria_hidden="true"), message, style={"display": "flex", "gap": theme.SPACE_2, "align_items": "center", "margin": "0", "padding": theme.SPACE_4, "border_radius": theme.RADIUS_MD, "background": theme.DANGER_SOFT, "color": theme.DANGER, "font_weight": theme.WEIGHT_SEMIBOLD, "font_size": theme.TEXT_SM}),
            rx.fragment(),
        ),
        role="alert",
        style={"grid_column": "1 / -1"},
    )
