"""The security page's "Two-step sign-in" section: set up an authenticator app, recovery codes, turn it off."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import forms, theme
from fluxent.components.spinner import spinner
from fluxent.components.two_step import app_setup, code_field, recovery_codes
from fluxent.state.two_step import TwoStepState

REQUIRED = "Staff accounts must use two-step sign-in. Set up an authenticator app now."
_ROW: dict[str, Any] = {"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3}


def _busy(form: str) -> rx.Var:
    return TwoStepState.busy == form


def _setup() -> rx.Component:
    return forms.form(
        app_setup(TwoStepState.qr_code, TwoStepState.secret),
        code_field("setup_code", TwoStepState.two_step_errors, form_id="two-step-setup", style={"max_width": "22rem"}),
        rx.el.div(
            forms.submit_button("Turn on two-step sign-in", _busy("two_step_confirm"), "Checking…"),
            rx.el.button("Cancel", type="button", on_click=TwoStepState.cancel_setup, style=theme.BUTTON_SECONDARY),
            style=_ROW,
        ),
        key=TwoStepState.two_step_form_version,
        on_submit=TwoStepState.confirm_setup,
        aria_label="Confirm your authenticator app",
        style=forms.FORM_STACK,
    )


def _off() -> rx.Component:
    return rx.cond(
        TwoStepState.qr_code != "",
        _setup(),
        rx.el.div(
            rx.el.p(
                rx.cond(
                    TwoStepState.has_passkeys,
                    "No app. Your passkeys are your second step; an app (with recovery codes) is a spare "
                    "for when your passkey's device is not at hand.",
                    "Off. Add a second step so that a stolen password or e-mail account is not enough to sign in.",
                ),
                style=theme.MUTED,
            ),
            rx.el.button(
                rx.cond(_busy("two_step_start"), spinner(size="1"), rx.icon("smartphone", size=16, aria_hidden="true")),
                "Set up an authenticator app",
                type="button",
                on_click=TwoStepState.start_setup,
                disabled=_busy("two_step_start") | ~rx.State.is_hydrated,
                style=theme.BUTTON_PRIMARY,
            ),
            style={**_ROW, "justify_content": "space-between"},
        ),
    )


def _code_form(field: str, form_id: str, label: str, hint: str, button: rx.Component, **handlers: Any) -> rx.Component:
    return forms.form(
        code_field(field, TwoStepState.two_step_errors, form_id=form_id, label=label, hint=hint),
        rx.el.div(button),
        key=TwoStepState.two_step_form_version,
        style=forms.FORM_STACK,
        **handlers,
    )


def _on() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            forms.badge("On", tone="success"),
            rx.el.span("Since ", TwoStepState.two_step_since, style=theme.MUTED),
            rx.el.span(
                TwoStepState.recovery_codes_left,
                " recovery codes left",
                data_testid="recovery-codes-left",
                style=theme.MUTED,
            ),
            style={**_ROW, "margin_bottom": theme.SPACE_6},
        ),
        rx.el.div(
            _code_form(
                "renew_code",
                "two-step-renew",
                "New recovery codes",
                "Enter the code from your app; the old recovery codes stop working.",
                forms.submit_button("Make new codes", _busy("two_step_codes"), "Making…"),
                on_submit=TwoStepState.new_recovery_codes,
                aria_label="Make new recovery codes",
            ),
            _code_form(
                "remove_code",
                "two-step-remove",
                "Turn off two-step sign-in",
                "Enter the code from your app, or a recovery code.",
                forms.submit_button("Turn off", _busy("two_step_remove"), "Turning off…", danger=True),
                on_submit=TwoStepState.remove,
                aria_label="Turn off two-step sign-in",
            ),
            style={
                "display": "grid",
                "gap": theme.SPACE_8,
                theme.TABLET_UP: {"grid_template_columns": "repeat(2, minmax(0, 1fr))"},
            },
        ),
    )


def section() -> rx.Component:
    return forms.section_card(
        "Two-step sign-in",
        "After your password or e-mailed code, a code from an authenticator app on your phone.",
        rx.cond(
            TwoStepState.two_step_loaded,
            rx.el.div(
                forms.alert(rx.cond(TwoStepState.two_step_required, REQUIRED, ""), data_testid="two-step-required"),
                forms.alert(TwoStepState.two_step_errors),
                rx.cond(
                    TwoStepState.recovery_codes.length() > 0,
                    recovery_codes(TwoStepState.recovery_codes, on_saved=TwoStepState.saved_recovery_codes),
                ),
                rx.cond(TwoStepState.two_step_on, _on(), _off()),
                style={"display": "grid", "gap": theme.SPACE_5},
            ),
            rx.el.div(spinner(size="3"), style={"display": "flex", "justify_content": "center"}),
        ),
        section_id="two-step",
        icon="smartphone",
    )
