"""The newsletter sign-up form, used in the footer (on dark) and on the newsletter page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import forms, public_forms, theme
from fluxent.services.marketing import consent
from fluxent.state.marketing import NewsletterState


def signup_form(*, on_dark: bool, field_id: str, label: str = "Newsletter sign-up") -> rx.Component:
    error_id = f"{field_id}-error"
    input_style: dict[str, Any] = {
        **theme.CONTROL,
        "flex": "1",
        "width": "auto",
        "border_radius": theme.RADIUS_PILL,
        "font_size": theme.TEXT_SM,
    }
    if on_dark:
        input_style.update(
            {
                "background": theme.INK_RAISED,
                "color": theme.ON_INK,
                "border": f"1px solid {theme.INK_LINE}",
                "&::placeholder": {"color": theme.ON_INK_SUBTLE},
                "&:hover": {"border_color": theme.ON_INK_SUBTLE},
                "&:focus": {"border_color": theme.ACCENT_ON_INK, "outline": "none", "box_shadow": "none"},
            }
        )
    text_color = theme.ON_INK_SUBTLE if on_dark else theme.TEXT_SUBTLE
    return rx.cond(
        NewsletterState.done & (NewsletterState.sent_from == field_id),
        forms.confirmation(
            rx.el.p(
                NewsletterState.message,
                style={
                    "margin": "0",
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "color": theme.MINT if on_dark else theme.SUCCESS,
                    "font_size": theme.TEXT_SM,
                },
            ),
            element_id=f"{field_id}-done",
            style={"outline": "none"},
        ),
        forms.form(
            rx.el.div(
                rx.el.label("E-mail address", html_for=field_id, style=theme.VISUALLY_HIDDEN),
                rx.el.input(
                    id=field_id,
                    name="email",
                    type="email",
                    placeholder="you@company.com",
                    auto_complete="email",
                    max_length=254,
                    aria_describedby=f"{error_id} {field_id}-consent",
                    aria_invalid=rx.cond(NewsletterState.email_error != "", "true", "false"),
                    style=input_style,
                ),
                rx.el.button(
                    "Subscribe",
                    type="submit",
                    style=theme.BUTTON_ON_INK
                    if on_dark
                    else {**theme.BUTTON_PRIMARY, "border": "none", "cursor": "pointer"},
                ),
                style={"display": "flex", "gap": theme.SPACE_2, "width": "100%", "max_width": theme.PANEL_MAX_WIDTH},
            ),
            rx.el.p(
                NewsletterState.email_error,
                id=error_id,
                role="alert",
                style={**theme.FIELD_ERROR, "color": theme.DANGER_ON_INK if on_dark else theme.DANGER},
            ),
            rx.el.p(
                consent.NEWSLETTER_STATEMENT + " We send nothing until you confirm by e-mail.",
                id=f"{field_id}-consent",
                style={
                    "margin": f"{theme.SPACE_2} 0 0",
                    "font_size": theme.TEXT_XS,
                    "color": text_color,
                    "max_width": theme.PANEL_MAX_WIDTH,
                },
            ),
            rx.el.input(type="hidden", name="form", value=field_id),
            public_forms.honeypot(f"{field_id}-website"),
            on_submit=NewsletterState.subscribe,
            aria_label=label,
            method="post",
            style={"position": "relative"},
        ),
    )
