"""``/reset-password/<token>``: choose a new password; posts to the API, which signs out everywhere."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components.auth_layout import (
    auth_card,
    auth_page,
    back_to_sign_in,
    new_password_field,
    query_messages,
)
from fluxent.components.forms import FORM_STACK, submit_button
from fluxent.components.native_form import api_form
from fluxent.state.new_password import NewPasswordState


@auth_page(
    routes.RESET_PASSWORD,
    title="Choose a new password",
    description="Choose a new password for the Fluxent portal.",
    on_load=NewPasswordState.load,
)
def page() -> rx.Component:
    return auth_card(
        query_messages(),
        api_form(
            rx.el.input(type="hidden", name="token", value=NewPasswordState.link_token),
            new_password_field(on_change=NewPasswordState.check_new_password),
            submit_button("Save new password", busy_label="Saving…", busy=NewPasswordState.busy, full_width=True),
            api_path=routes.API_PASSWORD_RESET_CONFIRM,
            on_submit=NewPasswordState.posting,
            aria_label="Choose a new password",
            style=FORM_STACK,
        ),
        back_to_sign_in(),
        heading="Choose a new password",
        intro="Saving it signs you out on every device; then sign in with the new password.",
        icon="lock-keyhole",
    )
