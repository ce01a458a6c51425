"""The security page's "Passkeys" section: add a named passkey, see each one's dates, remove one."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import forms, theme
from fluxent.components.passkeys import create_passkey
from fluxent.components.spinner import spinner
from fluxent.state.passkeys import PasskeysState

_ROW: dict[str, Any] = {"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3}
_ITEM: dict[str, Any] = {
    **_ROW,
    "justify_content": "space-between",
    "padding": f"{theme.SPACE_3} 0",
    "border_bottom": f"1px solid {theme.LINE}",
}


def _busy(form: str) -> rx.Var:
    return PasskeysState.busy == form


def _naming() -> rx.Component:
    """Name it, then let the device make it."""
    return rx.el.div(
        forms.field(
            "Name",
            "name",
            PasskeysState.passkey_errors,
            form_id="passkey-add",
            value=PasskeysState.passkey_name,
            on_change=PasskeysState.set_passkey_name,
            max_length=60,
            hint="So you can tell your passkeys apart, for example: work laptop, phone.",
            auto_focus=True,
            style={"max_width": "22rem"},
        ),
        rx.el.div(
            rx.el.button(
                rx.cond(_busy("passkey_add"), spinner(size="1"), rx.icon("key-round", size=16, aria_hidden="true")),
                "Create passkey",
                type="button",
                on_click=create_passkey(PasskeysState.passkey_options, then=PasskeysState.passkey_created),
                disabled=_busy("passkey_add") | (PasskeysState.passkey_name.strip() == "") | ~rx.State.is_hydrated,
                style=theme.BUTTON_PRIMARY,
            ),
            rx.el.button("Cancel", type="button", on_click=PasskeysState.cancel_adding, style=theme.BUTTON_SECONDARY),
            style=_ROW,
        ),
        role="group",
        aria_label="Add a passkey",
        style={"display": "grid", "gap": theme.SPACE_4},
    )


def _remove_form() -> rx.Component:
    return forms.form(
        forms.field(
            "Your password",
            "password",
            PasskeysState.passkey_errors,
            form_id="passkey-remove",
            type="password",
            auto_complete="current-password",
            hint="Not needed if you confirmed it is you in the last few minutes.",
            style={"max_width": "22rem"},
        ),
        rx.el.div(
            forms.submit_button("Remove passkey", _busy("passkey_remove"), "Removing…", danger=True),
            rx.el.button("Keep it", type="button", on_click=PasskeysState.cancel_remove, style=theme.BUTTON_SECONDARY),
            style=_ROW,
        ),
        on_submit=PasskeysState.remove_passkey,
        aria_label="Confirm removing the passkey",
        style={**forms.FORM_STACK, "width": "100%"},
    )


def _passkey(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row["name"], style={"overflow_wrap": "anywhere"}),
            rx.el.div(
                "Added ",
                row["added"],
                " · ",
                rx.cond(row["last_used"] != "", rx.fragment("Last used ", row["last_used"]), "Not used yet"),
                style=theme.MUTED,
            ),
            style={"min_width": "0"},
        ),
        rx.cond(
            PasskeysState.passkey_removing == row["id"],
            _remove_form(),
            rx.el.button(
                "Remove",
                type="button",
                on_click=PasskeysState.ask_remove(row["id"]),
                aria_label="Remove passkey " + row["name"].to(str),
                style=theme.BUTTON_SECONDARY,
            ),
        ),
        data_testid="passkey",
        style=_ITEM,
    )


def _add_button() -> rx.Component:
    return rx.el.button(
        rx.cond(_busy("passkey_start"), spinner(size="1"), rx.icon("plus", size=16, aria_hidden="true")),
        "Add a passkey",
        type="button",
        on_click=PasskeysState.start_adding,
        disabled=_busy("passkey_start") | ~rx.State.is_hydrated,
        style=theme.BUTTON_PRIMARY,
    )


def section() -> rx.Component:
    return forms.section_card(
        "Passkeys",
        "Instead of a code, confirm your sign-in with your fingerprint, face or device PIN. "
        "The key stays on your device; we keep only its public half.",
        rx.cond(
            PasskeysState.passkeys_loaded,
            rx.el.div(
                forms.alert(PasskeysState.passkey_errors),
                rx.cond(
                    PasskeysState.passkey_rows.length() > 0,
                    rx.el.ul(
                        rx.foreach(PasskeysState.passkey_rows, _passkey),
                        style={"list_style": "none", "margin": "0", "padding": "0"},
                    ),
                    rx.el.p("No passkeys yet.", style=theme.MUTED),
                ),
                rx.cond(PasskeysState.passkey_options.length() > 0, _naming(), rx.el.div(_add_button())),
                style={"display": "grid", "gap": theme.SPACE_5},
            ),
            rx.el.div(spinner(size="3"), style={"display": "flex", "justify_content": "center"}),
        ),
        section_id="passkeys",
        icon="key-round",
    )
