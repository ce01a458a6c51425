"""``/login/two-step/<ticket>``: the second step of a sign-in (or, for staff the site requires it
of, setting up an authenticator app first); posts to the API, which signs in."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components.auth_layout import auth_card, auth_page, back_to_sign_in, query_messages
from fluxent.components.forms import FORM_STACK, alert, submit_button
from fluxent.components.native_form import api_form
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
            rx.cond(SecondStepState.ticket_live, _form(), _expired()),
            rx.el.div(spinner(size="3"), style={"display": "flex", "justify_content": "center"}),
        ),
        back_to_sign_in(),
        heading=rx.cond(SecondStepState.enrol, "Set up two-step sign-in", "Two-step sign-in"),
        intro=rx.cond(
            SecondStepState.enrol,
            "Staff accounts need a second sign-in step. Add Fluxent to an authenticator app, "
            "then enter the code it shows.",
            "Enter the code from your authenticator app to finish signing in.",
        ),
        icon="shield-check",
    )
