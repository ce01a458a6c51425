"""Pieces of two-step sign-in shared by the security page and the sign-in's second step:
the authenticator app's QR code with its secret as text, the code field, and recovery codes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import forms, theme

CODE_HINT = "The 6-digit code your authenticator app shows now."


def app_setup(qr_code: rx.Var, secret: rx.Var) -> rx.Component:
    """Scan the QR code, or type the secret into the app."""
    return rx.el.div(
        rx.el.img(
            src=qr_code,
            alt="QR code to add Fluxent to your authenticator app",
            width="176",
            height="176",
            data_testid="two-step-qr",
            style={
                "display": "block",
                "width": "176px",
                "height": "176px",
                "padding": theme.SPACE_2,
                "background": theme.SURFACE,
                "border": f"1px solid {theme.LINE}",
                "border_radius": theme.RADIUS_MD,
            },
        ),
        rx.el.div(
            rx.el.p(
                "Scan the code with an authenticator app (such as 1Password, Google Authenticator or "
                "Microsoft Authenticator). Can't scan it? Enter this key in the app instead:",
                style={**theme.MUTED, "margin": "0"},
            ),
            rx.el.code(
                secret,
                data_testid="two-step-secret",
                style={
                    "display": "block",
                    "margin_top": theme.SPACE_3,
                    "padding": f"{theme.SPACE_2} {theme.SPACE_3}",
                    "border_radius": theme.RADIUS_SM,
                    "background": theme.CANVAS,
                    "border": f"1px solid {theme.LINE}",
                    "font_family": theme.FONT_MONO,
                    "font_size": theme.TEXT_SM,
                    "color": theme.INK,
                    "letter_spacing": "0.08em",
                    "word_break": "break-all",
                    "user_select": "all",
                },
            ),
            style={"min_width": "0", "flex": "1 1 220px"},
        ),
        style={"display": "flex", "flex_wrap": "wrap", "align_items": "flex-start", "gap": theme.SPACE_5},
    )


def code_field(
    name: str, error: Any = None, *, label: str = "Code from your app", hint: str = CODE_HINT, **props: Any
) -> rx.Component:
    return forms.field(
        label,
        name,
        error,
        type="text",
        input_mode="numeric",
        auto_complete="one-time-code",
        auto_capitalize="none",
        spell_check=False,
        max_length=64,
        required=True,
        hint=hint,
        input_style={"font_family": theme.FONT_MONO, "letter_spacing": "0.2em"},
        **props,
    )


def recovery_codes(codes: rx.Var, *, on_saved: Any) -> rx.Component:
    """The new recovery codes, shown once, with the button that hides them."""
    return rx.el.div(
        rx.el.p(
            "Your recovery codes. Each works once, instead of a code from the app, if you lose your phone. "
            "Keep them somewhere safe, such as your password manager: this is the only time they are shown.",
            style={**theme.MUTED, "margin": f"0 0 {theme.SPACE_4}", "color": theme.WARNING},
        ),
        rx.el.ol(
            rx.foreach(codes, lambda code: rx.el.li(code, style={"white_space": "nowrap"})),
            data_testid="recovery-codes",
            style={
                "display": "grid",
                "grid_template_columns": "repeat(auto-fill, minmax(9.5rem, 1fr))",
                "gap": f"{theme.SPACE_2} {theme.SPACE_5}",
                "margin": "0",
                "padding": f"{theme.SPACE_4} {theme.SPACE_5} {theme.SPACE_4} {theme.SPACE_10}",
                "border_radius": theme.RADIUS_MD,
                "background": theme.SURFACE,
                "border": f"1px solid {theme.WARNING_LINE}",
                "font_family": theme.FONT_MONO,
                "font_size": theme.TEXT_SM,
                "color": theme.INK,
            },
        ),
        rx.el.button(
            "I've saved my recovery codes",
            type="button",
            on_click=on_saved,
            style={**theme.BUTTON_SECONDARY, "margin_top": theme.SPACE_4},
        ),
        style={
            "padding": theme.SPACE_5,
            "border_radius": theme.RADIUS_MD,
            "background": theme.WARNING_SOFT,
            "border": f"1px solid {theme.WARNING_LINE}",
        },
    )
