"""``/verify``: anyone can check whether a PDF is one Fluxent sealed after everyone signed.

The file goes to the verification route in a plain form post; the server hashes it as
it arrives, keeps nothing, and sends the browser back here with the hash.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import auth_card, auth_page
from fluxent.components.forms import FORM_STACK, alert
from fluxent.components.native_form import NativeForm
from fluxent.state.verify import VerifyState

MUTED = {"margin": "0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}
HASH = {**MUTED, "overflow_wrap": "anywhere"}


def _answer() -> rx.Component:
    return rx.cond(
        VerifyState.matched,
        rx.el.div(
            rx.el.p(
                "Match: this is envelope ",
                VerifyState.envelope,
                ", \u201c",
                VerifyState.title,
                "\u201d, completed on ",
                VerifyState.completed,
                ".",
                style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            rx.el.p("Signed by:", style=MUTED),
            rx.el.ul(
                rx.foreach(VerifyState.signers, lambda line: rx.el.li(line)), style={**MUTED, "padding_left": "1.25rem"}
            ),
            rx.el.p("SHA-256 of this file, the final sealed document: ", rx.el.code(VerifyState.sha256), style=HASH),
            rx.el.p(
                "SHA-256 of the original document (as on the certificate): ",
                rx.el.code(VerifyState.original_sha256),
                style=HASH,
            ),
            role="status",
            data_testid="verify-match",
            style={**theme.CARD, "padding": theme.SPACE_4, "display": "grid", "gap": theme.SPACE_2},
        ),
        rx.el.p(
            "No match: this file is not a document Fluxent sealed, or it was changed after sealing.",
            role="status",
            data_testid="verify-no-match",
            style={**theme.CARD, "padding": theme.SPACE_4, "margin": "0", "color": theme.DANGER},
        ),
    )


@auth_page(
    routes.VERIFY,
    title="Verify a signed document",
    description="Check whether a PDF is a document signed through Fluxent and sealed unchanged.",
    on_load=VerifyState.load,
)
def page() -> rx.Component:
    return auth_card(
        alert(VerifyState.error),
        rx.cond(VerifyState.answered, _answer()),
        NativeForm.create(
            rx.el.label("The signed PDF", html_for="verify-file", style=theme.LABEL),
            rx.el.input(
                type="file",
                id="verify-file",
                name="file",
                accept="application/pdf,.pdf",
                required=True,
                style=theme.CONTROL,
            ),
            rx.el.button(
                "Check the document", type="submit", disabled=~rx.State.is_hydrated, style=theme.BUTTON_PRIMARY
            ),
            action=routes.api_url(routes.API_VERIFY) + "?respond=page",
            method="post",
            enc_type="multipart/form-data",
            no_validate=True,
            aria_label="Check a signed document",
            style=FORM_STACK,
        ),
        rx.el.p(
            "We compare the file's SHA-256 fingerprint with the documents we sealed; the file itself is not kept.",
            style=MUTED,
        ),
        heading="Verify a signed document",
        intro="Upload a PDF you received from Fluxent's e-signature to see whether it is the one everyone signed.",
        icon="shield-check",
    )
