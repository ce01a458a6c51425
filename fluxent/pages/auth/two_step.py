"""``/login/two-step/<ticket>``: the second step of a sign-in (or, for staff the site requires it
of, setting up an authenticator app first); posts to the API, which signs in."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import auth_card, auth_page, back_to_sign_in, query_messages
from fluxent.components.forms import FORM_STACK, alert, submit_button
from fluxent.components.native_form import api_form
from fluxent.components.passkeys import CREDENTIAL_FIELD, SIGN_IN_FORM_ID, sign_in_with_passkey
from fluxent.components.spinner import spinner
from fluxent.components.two_step import app_setup, code_field
from fluxent.services.auth import sign_in
from fluxent.state.second_step import SecondStepState


def _form() -> rx.Component:
    return api_form(
        rx.el.input(type="hidden", name="ticket", value=SecondStepState.link_token),
        rx.el.input(type="hidden", name="next", value=SecondStepState.next_route),
        rx.cond(SecondStepState.enrol, app_setup(SecondStepState.qr_code, SecondStepState.secret)),
        rx.cond(
            SecondStepState.enrol,
            code_field("code"),
            code_field(
                "code",
                label="Code from your authenticator app",
                hint="Lost your phone? Enter one of your recovery codes instead.",
                auto_focus=True,
            ),
        ),
        submit_button(
            rx.cond(SecondStepState.enrol, "Turn on and sign in", "Sign in"),
            busy_label="Signing in…",
            busy=SecondStepState.busy,
            full_width=True,
        ),
        api_path=routes.API_TWO_STEP,
        on_submit=SecondStepState.posting,
        aria_label="Second sign-in step",
        style=FORM_STACK,
    )


def _passkey() -> rx.Component:
    """ "Use a passkey": the device answers the challenge on the page, and this form posts the answer."""
    return api_form(
        rx.el.input(type="hidden", name="ticket", value=SecondStepState.link_token),
        rx.el.input(type="hidden", name="next", value=SecondStepState.next_route),
        rx.el.input(type="hidden", name=CREDENTIAL_FIELD),
        alert(SecondStepState.passkey_error, data_testid="passkey-error"),
        rx.el.button(
            rx.icon("key-round", size=16, aria_hidden="true"),
            "Use a passkey",
            type="button",
            on_click=sign_in_with_passkey(SecondStepState.passkey_options, failed=SecondStepState.passkey_failed),
            disabled=SecondStepState.busy | ~rx.State.is_hydrated,
            style={**theme.BUTTON_PRIMARY, "width": "100%", "justify_content": "center"},
        ),
        api_path=routes.API_TWO_STEP_PASSKEY,
        on_submit=SecondStepState.posting,
        aria_label="Sign in with a passkey",
        id=SIGN_IN_FORM_ID,
        style=FORM_STACK,
    )


def _or() -> rx.Component:
    return rx.el.p("or", style={**theme.MUTED, "text_align": "center", "margin": "0"})


def _second_step() -> rx.Component:
    return rx.el.div(
        rx.cond(SecondStepState.has_passkey, _passkey()),
        rx.cond(SecondStepState.has_passkey & SecondStepState.has_app, _or()),
        rx.cond(SecondStepState.has_app | SecondStepState.enrol, _form()),
        style={"display": "grid", "gap": theme.SPACE_5},
    )


def _expired() -> rx.Component:
    return alert(sign_in.BAD_TICKET, data_testid="two-step-expired")


@auth_page(
    routes.LOGIN_TWO_STEP,
    title="Two-step sign-in",
    description="Confirm your sign-in with your authenticator app.",
    on_load=SecondStepState.load,
)
def page() -> rx.Component:
    return auth_card(
        query_messages(),
        rx.cond(
            SecondStepState.checked,
            rx.cond(SecondStepState.ticket_live, _second_step(), _expired()),
            rx.el.div(spinner(size="3"), style={"display": "flex", "justify_content": "center"}),
        ),
        back_to_sign_in(),
        heading=rx.cond(SecondStepState.enrol, "Set up two-step sign-in", "Two-step sign-in"),
        intro=rx.cond(
            SecondStepState.enrol,
            "Staff accounts need a second sign-in step. Add Fluxent to an authenticator app, "
            "then enter the code it shows.",
            rx.cond(
                SecondStepState.has_passkey,
                rx.cond(
                    SecondStepState.has_app,
                    "Use your passkey, or enter the code from your authenticator app, to finish signing in.",
                    "Use your passkey to finish signing in.",
                ),
                "Enter the code from your authenticator app to finish signing in.",
            ),
        ),
        icon="shield-check",
    )
