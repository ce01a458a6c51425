"""``/auth/magic/<token>``: the page an e-mailed sign-in link opens.

Opening it uses nothing up (mail scanners follow links); the person's click on
Continue posts the token to the API, which signs in.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components.auth_layout import auth_card, auth_page, card_footer, query_messages, text_link
from fluxent.components.forms import FORM_STACK, submit_button
from fluxent.components.native_form import api_form
from fluxent.state.link_token import LinkTokenState


@auth_page(
    routes.MAGIC_LINK,
    title="Finish signing in",
    description="Finish signing in to the Fluxent portal.",
    on_load=LinkTokenState.load,
)
def page() -> rx.Component:
    return auth_card(
        query_messages(),
        api_form(
            rx.el.input(type="hidden", name="token", value=LinkTokenState.link_token),
            submit_button("Continue", busy_label="Signing in…", busy=LinkTokenState.busy, full_width=True),
            api_path=routes.API_MAGIC_LINK_CONSUME,
            on_submit=LinkTokenState.posting,
            aria_label="Finish signing in",
            style=FORM_STACK,
        ),
        card_footer(
            "Didn't ask for this link? Close this page: nothing happens until you continue. ",
            text_link("Back to sign in", routes.LOGIN),
        ),
        heading="Finish signing in",
        intro="Continue to open your Fluxent portal in this browser. The link works once.",
        icon="log-in",
    )
