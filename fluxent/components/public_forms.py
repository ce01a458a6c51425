"""What only the public site's forms (contact, scope, newsletter) have: the consent box and
the honeypot field. Everything else comes from the form kit in ``components.forms``."""

from __future__ import annotations

import reflex as rx

from fluxent.components import forms, theme
from fluxent.services.marketing import spam


def consent_checkbox(errors: rx.Var, statement: str, policy_href: str) -> rx.Component:
    """The "I agree" box: never pre-ticked; the server refuses the form without it."""
    return forms.checkbox(
        rx.fragment(
            rx.el.strong("I agree. ", style={"color": theme.INK}),
            statement + " ",
            rx.el.a(
                "Read the Privacy Policy",
                href=policy_href,
                style={"color": theme.ACCENT, "text_decoration": "underline"},
            ),
            ".",
        ),
        "agree",
        errors,
        style={
            "grid_column": "1 / -1",
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.CANVAS,
            "border": f"1px solid {theme.LINE}",
        },
    )


def honeypot(field_id: str = spam.HONEYPOT_FIELD) -> rx.Component:
    """A field people never see or reach; robots that fill every input fill it too."""
    return rx.el.div(
        rx.el.label("Leave this empty", html_for=field_id),
        rx.el.input(type="text", id=field_id, name=spam.HONEYPOT_FIELD, tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style={"position": "absolute", "left": "-10000px", "width": "1px", "height": "1px", "overflow": "hidden"},
    )
