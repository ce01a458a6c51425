"""The vault's pieces, shared by the portal's vault pages and the staff engagement page:
the item list with reveal and copy, the client's edit form, the revealed value (30 seconds),
and the step-up dialog."""

from __future__ import annotations

import reflex as rx

from fluxent.components import forms, theme
from fluxent.components.theme import MUTED
from fluxent.components.view_as import unless_viewing
from fluxent.state.vault import (
    ADD_LABELS,
    FIELD_LABELS,
    KIND_FIELDS,
    REVEAL_SECONDS,
    SecretField,
    VaultItemLine,
    VaultState,
    VersionLine,
)

SMALL_BUTTON = {**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM}
LIST = {"margin": "0", "padding": "0", "list_style": "none"}
ROW = {
    "display": "flex",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "padding": f"{theme.SPACE_4} 0",
    "border_top": f"1px solid {theme.LINE}",
    "flex_wrap": "wrap",
}

MULTILINE = {"private_key", "note"}
SECRET_INPUT = {"password", "key", "passphrase", "totp_seed"}


def secret_input(name: str, errors: rx.Var, form_id: str) -> rx.Component:
    """One field of a secret's value: never filled in from the stored value."""
    label = FIELD_LABELS[name]
    if name in MULTILINE:
        return forms.textarea(label, name, errors, form_id=form_id, rows=4)
    return forms.field(label, name, errors, form_id=form_id, type="password" if name in SECRET_INPUT else "text")


def _secret(item_id: rx.Var, field: SecretField) -> rx.Component:
    return rx.el.div(
        rx.el.dt(field.label, style={**MUTED, "font_size": theme.TEXT_XS}),
        rx.el.dd(
            rx.el.code(
                field.value,
                style={"font_family": theme.FONT_MONO, "overflow_wrap": "anywhere", "white_space": "pre-wrap"},
            ),
            rx.el.button(
                "Copy",
                type="button",
                aria_label="Copy " + field.label,
                # Copied in the browser (no script sent from the server), then audited as a copy.
                on_click=[rx.set_clipboard(field.value), VaultState.copied(item_id)],
                style=SMALL_BUTTON,
            ),
            style={
                "display": "flex",
                "gap": theme.SPACE_3,
                "align_items": "center",
                "margin": "0",
                "flex_wrap": "wrap",
            },
        ),
        style={"display": "grid", "gap": theme.SPACE_1},
    )


def _revealed(line: VaultItemLine) -> rx.Component:
    return rx.cond(
        VaultState.revealed_item == line.id,
        rx.el.div(
            rx.el.dl(
                rx.foreach(VaultState.revealed, lambda field: _secret(line.id, field)),
                style={"display": "grid", "gap": theme.SPACE_3, "margin": "0"},
            ),
            rx.cond(
                VaultState.revealed_version != 0,
                rx.el.p(
                    "Earlier version ",
                    VaultState.revealed_version,
                    style={"margin": "0", "font_weight": theme.WEIGHT_SEMIBOLD},
                ),
            ),
            rx.el.p(
                f"Hidden again after {REVEAL_SECONDS} seconds. Revealing and copying are shown to the client.",
                style={**MUTED, "font_size": theme.TEXT_XS, "margin": "0"},
            ),
            rx.el.button("Hide", type="button", on_click=VaultState.hide, style=SMALL_BUTTON),
            data_testid="revealed",
            style={
                "flex_basis": "100%",
                "display": "grid",
                "gap": theme.SPACE_3,
                "padding": theme.SPACE_4,
                "border_radius": theme.RADIUS_MD,
                "background": theme.CANVAS,
                "border": f"1px solid {theme.LINE}",
            },
        ),
    )


def _version(line: VaultItemLine, version: VersionLine) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            "Version ",
            version.version,
            rx.cond(version.current, " (current)", ""),
            " · ",
            version.stored,
            rx.cond(version.stored_by != "", " by " + version.stored_by, ""),
            style={"flex": "1 1 12rem", "font_size": theme.TEXT_SM},
        ),
        rx.cond(
            version.current,
            rx.fragment(),
            rx.el.button(
                "Reveal",
                type="button",
                aria_label="Reveal version " + version.version.to_string() + " of " + line.name,
                on_click=VaultState.reveal_version(line.id, version.version),
                style=SMALL_BUTTON,
            ),
        ),
        style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center", "flex_wrap": "wrap"},
    )


def _history(line: VaultItemLine) -> rx.Component:
    return rx.cond(
        VaultState.history_item == line.id,
        rx.el.ul(
            rx.foreach(VaultState.history, lambda version: _version(line, version)),
            aria_label="Versions of " + line.name,
            data_testid="versions",
            style={**LIST, "flex_basis": "100%", "display": "grid", "gap": theme.SPACE_2},
        ),
    )


def _edit_form(line: VaultItemLine) -> rx.Component:
    """The client's people rename, retag, or store a new value (a new version; the earlier one is kept)."""
    errors = VaultState.edit_errors
    return rx.cond(
        VaultState.editing_item == line.id,
        forms.form(
            forms.alert(errors, fields=ADD_LABELS, form_id="edit"),
            forms.field("Name", "name", errors, form_id="edit", required=True, default_value=line.name),
            forms.field("Tags", "tags", errors, form_id="edit", hint="Comma-separated", default_value=line.tags),
            rx.el.p(
                "To store a new value, fill in all of its fields; leave them all empty to keep the current "
                "one. A new value becomes the next version; the earlier one stays, encrypted, in the history.",
                style={**MUTED, "margin": "0", "font_size": theme.TEXT_SM},
            ),
            rx.match(
                line.kind_code,
                *[
                    (kind, rx.fragment(*[secret_input(name, errors, "edit") for name in names]))
                    for kind, names in KIND_FIELDS.items()
                ],
                rx.fragment(),
            ),
            rx.el.div(
                forms.submit_button("Save changes", VaultState.busy == "edit", "Saving…"),
                rx.el.button("Cancel", type="button", on_click=VaultState.toggle_edit(line.id), style=SMALL_BUTTON),
                style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center"},
            ),
            key="edit-" + line.id.to_string(),
            on_submit=VaultState.save_item,
            reset_on_submit=True,
            aria_label="Edit " + line.name,
            style={
                "flex_basis": "100%",
                "display": "grid",
                "gap": theme.SPACE_4,
                "padding": theme.SPACE_4,
                "border_radius": theme.RADIUS_MD,
                "border": f"1px solid {theme.LINE}",
            },
        ),
    )


def _line(line: VaultItemLine) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon("key-round", size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        rx.el.div(
            rx.el.p(
                line.name,
                style={
                    "margin": "0",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "overflow_wrap": "anywhere",
                },
            ),
            rx.el.p(
                line.kind,
                rx.cond(line.tags != "", " · " + line.tags, ""),
                " · version ",
                line.version,
                " · ",
                line.updated,
                rx.cond(line.updated_by != "", " by " + line.updated_by, ""),
                style={**MUTED, "margin": "0", "font_size": theme.TEXT_SM},
            ),
            style={"flex": "1 1 12rem", "min_width": "0"},
        ),
        unless_viewing(
            rx.el.div(
                rx.el.button(
                    "Reveal",
                    type="button",
                    aria_label="Reveal " + line.name,
                    on_click=VaultState.reveal(line.id),
                    style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM},
                ),
                rx.el.button(
                    "History",
                    type="button",
                    aria_label="Versions of " + line.name,
                    aria_expanded=rx.cond(VaultState.history_item == line.id, "true", "false"),
                    on_click=VaultState.toggle_history(line.id),
                    style=SMALL_BUTTON,
                ),
                rx.cond(
                    VaultState.manages,
                    rx.el.button(
                        "Edit",
                        type="button",
                        aria_label="Edit " + line.name,
                        aria_expanded=rx.cond(VaultState.editing_item == line.id, "true", "false"),
                        on_click=VaultState.toggle_edit(line.id),
                        style=SMALL_BUTTON,
                    ),
                ),
                rx.cond(
                    VaultState.manages,
                    rx.el.button(
                        "Delete",
                        type="button",
                        aria_label="Delete " + line.name,
                        on_click=VaultState.delete_item(line.id),
                        style={**SMALL_BUTTON, "color": theme.DANGER},
                    ),
                ),
                style={"display": "flex", "gap": theme.SPACE_2, "flex_wrap": "wrap"},
            )
        ),
        _edit_form(line),
        _history(line),
        _revealed(line),
        style=ROW,
    )


def item_list() -> rx.Component:
    return rx.cond(
        VaultState.lines.length() > 0,
        rx.el.ul(rx.foreach(VaultState.lines, _line), style=LIST, aria_label="Vault items"),
        rx.el.p("No items yet.", style=MUTED),
    )


def _method_tab(label: str, method: str) -> rx.Component:
    chosen = VaultState.stepup_method == method
    return rx.el.button(
        label,
        type="button",
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=VaultState.use_method(method),
        style={
            **SMALL_BUTTON,
            "background": rx.cond(chosen, theme.INK, theme.SURFACE),
            "color": rx.cond(chosen, theme.ON_INK, theme.INK),
        },
    )


def step_up_dialog() -> rx.Component:
    """Asked for when a reveal, a copy or deleting the vault needs a fresh step-up."""
    return rx.cond(
        VaultState.pending != "",
        rx.el.div(
            rx.el.div(
                rx.el.h2(
                    "Confirm it's you", id="stepup-heading", style={**theme.HEADING_2, "font_size": theme.TEXT_LG}
                ),
                rx.el.p(
                    "Secrets open only for 10 minutes after you confirm with your password or an e-mailed code.",
                    style={**MUTED, "margin": "0"},
                ),
                rx.el.div(
                    _method_tab("Password", "password"),
                    _method_tab("E-mail code", "code"),
                    role="group",
                    aria_label="Confirm with",
                    style={"display": "flex", "gap": theme.SPACE_2},
                ),
                forms.form(
                    rx.cond(
                        VaultState.stepup_method == "code",
                        rx.el.div(
                            rx.el.button(
                                rx.cond(VaultState.code_sent, "Send another code", "E-mail me a code"),
                                type="button",
                                on_click=VaultState.send_code,
                                style=SMALL_BUTTON,
                            ),
                            forms.field(
                                "6-digit code",
                                "secret",
                                VaultState.errors,
                                form_id="stepup",
                                auto_complete="one-time-code",
                                input_mode="numeric",
                                max_length=6,
                            ),
                            style={"display": "grid", "gap": theme.SPACE_3},
                        ),
                        forms.field(
                            "Password",
                            "secret",
                            VaultState.errors,
                            form_id="stepup",
                            type="password",
                            auto_complete="current-password",
                        ),
                    ),
                    rx.el.div(
                        forms.submit_button("Confirm", VaultState.busy == "stepup", "Checking…"),
                        rx.el.button("Cancel", type="button", on_click=VaultState.cancel_step_up, style=SMALL_BUTTON),
                        style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center"},
                    ),
                    key=VaultState.stepup_method,
                    on_submit=VaultState.confirm_step_up,
                    reset_on_submit=True,
                    style={"display": "grid", "gap": theme.SPACE_4},
                ),
                role="dialog",
                aria_modal="true",
                aria_labelledby="stepup-heading",
                style={**theme.CARD, "display": "grid", "gap": theme.SPACE_4, "width": "min(440px, 100%)"},
            ),
            style=theme.MODAL_BACKDROP,
        ),
    )
