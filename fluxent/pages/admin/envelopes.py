"""Staff console: e-signature envelopes. Create one from a portal PDF (signers, order,
message, expiry, reminders), place each signer's fields by clicking on the pages, move
or delete them, then send; remind or void a sent one. Placing fields needs a wide
screen; on a phone the editor says so."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.placement import field_marker, placed_box, placement_image
from fluxent.components.portal_layout import portal_page
from fluxent.components.searchable_select import searchable_select
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    GRID_2,
    MUTED,
    ROW,
    filter_bar,
    gate,
    listing,
    organization_choice,
    pager,
    row_button,
    stack,
    total_line,
)
from fluxent.state.admin_envelopes import (
    FIELD_KINDS,
    MAX_SIGNER_ROWS,
    PLACE_BUTTON_ID,
    AdminEnvelopesState,
    EditorField,
    EditorPage,
    EnvelopeLine,
)

ORDERS = [("sequential", "One after another, in this order"), ("parallel", "Everyone at once")]
S = AdminEnvelopesState


def _signer_row(number: int) -> rx.Component:
    errors = S.errors
    row = rx.el.fieldset(
        rx.el.legend(f"Signer {number + 1}", style=theme.LABEL),
        rx.el.div(
            forms.field("Name", f"signer{number}_name", errors, form_id="create", max_length=200),
            forms.field("E-mail", f"signer{number}_email", errors, form_id="create", type="email", max_length=254),
            style=GRID_2,
        ),
        forms.checkbox(
            "Fluxent countersigner (a staff account)",
            f"signer{number}_countersigner",
            input_id=f"create-signer{number}-countersigner",
        ),
        style={"border": "none", "padding": "0", "margin": "0", "display": "grid", "gap": theme.SPACE_3},
    )
    return row if number < 2 else rx.cond(S.signer_rows > number, row)


def _create_form() -> rx.Component:
    errors = S.errors
    return forms.form(
        forms.alert(errors, "create.form"),
        searchable_select(
            "create-document",
            "Document (a PDF in the portal)",
            choices=S.documents,
            query=S.document_query,
            on_narrow=S.narrow_documents,
            placeholder="Find a PDF by file or organization name",
            name="document",
            keys=("value", "label"),
            test_id="create-document",
            label_style=theme.LABEL,
        ),
        forms.field(
            "Title",
            "title",
            errors,
            form_id="create",
            max_length=200,
            hint="Shown to the signers; the document's file name if left empty.",
            optional=True,
        ),
        *[_signer_row(number) for number in range(MAX_SIGNER_ROWS)],
        rx.cond(S.signer_rows < MAX_SIGNER_ROWS, row_button("Add a signer", S.more_signers)),
        forms.select("Signing order", "order", ORDERS, errors, form_id="create", default_value="sequential"),
        forms.textarea("Message to the signers", "message", errors, form_id="create", optional=True, max_length=4000),
        rx.el.div(
            forms.field(
                "Expires after (days)",
                "expires_in_days",
                errors,
                form_id="create",
                type="number",
                default_value="30",
                min="1",
                max="365",
            ),
            forms.field(
                "Remind every (days, 0 = never)",
                "remind_every_days",
                errors,
                form_id="create",
                type="number",
                default_value="3",
                min="0",
                max="30",
            ),
            style=GRID_2,
        ),
        rx.el.div(rx.el.button("Create draft", type="submit", style=theme.BUTTON_PRIMARY), style=ACTIONS),
        key=S.form_version,
        on_submit=S.create,
        aria_label="New envelope",
        style=forms.FORM_STACK,
    )


def _envelope(line: EnvelopeLine) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(line.title, style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
            rx.el.p("Envelope ", line.id.to_string(), " · ", line.status, " · ", line.when, style=MUTED),
            style={"flex": "1 1 12rem", "min_width": "0"},
        ),
        row_button("Open", S.open_envelope(line.id), aria_label="Open envelope " + line.id.to_string()),
        rx.cond(
            line.status == "sent",
            row_button("Remind", S.remind(line.id), aria_label="Remind the signers of envelope " + line.id.to_string()),
        ),
        style=ROW,
    )


def _marker(item: EditorField, page: EditorPage) -> rx.Component:
    # Keyed by the field: moving it re-sorts the list, and the focus must stay with this field.
    return rx.fragment(
        rx.cond(
            item.page == page.number,
            _marker_button(item),
        ),
        key=item.id,
    )


def _marker_button(item: EditorField) -> rx.Component:
    return field_marker(
        item.kind,
        " · ",
        item.signer,
        type="button",
        title=item.description,
        aria_label=item.description + ": arrow keys move it, Shift for larger steps, Delete removes it",
        aria_keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight Delete Escape",
        auto_focus=S.focus_field == item.id,
        on_click=S.start_move(item.id),
        on_key=lambda key, shift: S.field_key(item.id, key, shift),
        data_testid="field-marker",
        style={
            **placed_box(item.left, item.top, item.width, item.height),
            "min_height": "14px",
            "padding": "0 2px",
            "font_size": "10px",
            "line_height": "1.1",
            "text_align": "left",
            "color": theme.INK,
            "cursor": "move",
            "border_radius": "3px",
            "border": rx.cond(S.moving == item.id, f"2px solid {theme.DANGER}", f"2px solid {theme.ACCENT}"),
            "&:focus-visible": {**theme.FOCUS_VISIBLE, "z_index": "1"},
        },
    )


def _page(page: EditorPage) -> rx.Component:
    return rx.el.figure(
        rx.el.div(
            placement_image(
                src=page.image,
                alt=page.label,
                on_place=lambda x, y: S.place(page.number, x, y),
                style={"width": "100%", "display": "block", "cursor": "crosshair"},
            ),
            rx.foreach(S.fields, lambda item: _marker(item, page)),
            style={"position": "relative", "border": f"1px solid {theme.LINE_STRONG}"},
        ),
        rx.el.figcaption(page.label, style=MUTED),
        style={"margin": "0", "display": "grid", "gap": theme.SPACE_1},
    )


def _field_line(item: EditorField) -> rx.Component:
    return rx.el.li(
        rx.el.span(item.description, style={"flex": "1 1 12rem", "color": theme.TEXT, "font_size": theme.TEXT_SM}),
        rx.cond(
            S.editable,
            rx.fragment(
                row_button(
                    rx.cond(S.moving == item.id, "Click the page…", "Move"),
                    S.start_move(item.id),
                    aria_label="Move " + item.description,
                ),
                row_button("Delete", S.delete_field(item.id), danger=True, aria_label="Delete " + item.description),
            ),
        ),
        style=ROW,
    )


def _editor() -> rx.Component:
    errors = S.errors
    toolbar = rx.el.div(
        rx.el.div(
            rx.el.label("Field for", html_for="place-signer", style=theme.LABEL),
            rx.el.select(
                rx.foreach(S.signers, lambda c: rx.el.option(c.label, value=c.value)),
                id="place-signer",
                value=S.place_signer,
                on_change=S.choose_signer,
                style=theme.SELECT,
            ),
        ),
        rx.el.div(
            rx.el.label("Kind", html_for="place-kind", style=theme.LABEL),
            rx.el.select(
                *[rx.el.option(kind.title(), value=kind) for kind in FIELD_KINDS],
                id="place-kind",
                value=S.place_kind,
                on_change=S.choose_kind,
                style=theme.SELECT,
            ),
        ),
        rx.el.div(
            rx.el.label("Page", html_for="place-page", style=theme.LABEL),
            rx.el.select(
                rx.foreach(S.pages, lambda page: rx.el.option(page.label, value=page.number.to_string())),
                id="place-page",
                value=S.place_page,
                on_change=S.choose_page,
                style=theme.SELECT,
            ),
        ),
        rx.el.div(
            rx.el.button(
                "Place the field on this page",
                id=PLACE_BUTTON_ID,
                type="button",
                on_click=S.place_on_page,
                style=theme.BUTTON_SECONDARY,
            ),
            style={"align_self": "end"},
        ),
        style=GRID_2,
    )
    wide = rx.el.div(
        rx.cond(
            S.editable,
            rx.fragment(
                toolbar,
                rx.el.p(
                    "Click on a page to place the field there, or place it with the button and move it with "
                    "the arrow keys (Shift for larger steps; Delete removes it). Click a placed field, then the "
                    "page, to move it there.",
                    style=MUTED,
                ),
            ),
        ),
        rx.el.div(rx.foreach(S.pages, _page), style={"display": "grid", "gap": theme.SPACE_5}),
        style={"display": "grid", "gap": theme.SPACE_4, theme.PHONE: {"display": "none"}},
    )
    narrow = rx.el.p(
        "Use a larger screen to place fields: the editor needs a window at least 640 pixels wide.",
        role="note",
        style={**MUTED, "display": "none", theme.PHONE: {"display": "block"}},
    )
    return rx.el.section(
        rx.el.h2(S.open_title, " (", S.open_status, ")", style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
        forms.alert(errors, "editor.form"),
        narrow,
        wide,
        rx.el.h3("Fields", style={"margin": f"{theme.SPACE_4} 0 0", "font_size": theme.TEXT_MD}),
        listing(S.fields, _field_line, "No fields yet."),
        rx.el.div(
            rx.cond(
                S.editable,
                rx.el.button("Send for signature", type="button", on_click=S.send, style=theme.BUTTON_PRIMARY),
            ),
            style=ACTIONS,
        ),
        rx.cond(
            (S.open_status == "draft") | (S.open_status == "sent"),
            forms.form(
                forms.alert(errors, "void.form"),
                forms.field("Reason for voiding", "reason", errors, form_id="void", max_length=4000),
                rx.el.button(
                    "Void the envelope", type="submit", style={**theme.BUTTON_SECONDARY, "color": theme.DANGER}
                ),
                on_submit=S.void,
                aria_label="Void the envelope",
                style=forms.FORM_STACK,
            ),
        ),
        style={**theme.CARD, "padding": theme.SPACE_6, "display": "grid", "gap": theme.SPACE_3},
    )


ENVELOPE_STATUSES = [
    ("", "Any status"),
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("completed", "Completed"),
    ("declined", "Declined"),
    ("voided", "Voided"),
    ("expired", "Expired"),
]


def _body() -> rx.Component:
    return stack(
        rx.cond(S.open_id != 0, _editor()),
        rx.el.section(
            rx.el.h2("New envelope", style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
            _create_form(),
            style={**theme.CARD, "padding": theme.SPACE_6},
        ),
        rx.el.section(
            rx.el.h2("Envelopes", style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
            organization_choice(S, "envelope-organization"),
            filter_bar(
                "envelope-search",
                "Search by title",
                S.envelope_query,
                S.search_envelopes,
                status=("status", ENVELOPE_STATUSES, S.envelope_status),
            ),
            total_line(S.envelope_total, "envelope", "envelopes", "envelope-total"),
            listing(S.rows, _envelope, "No envelopes match."),
            pager(S.envelope_page, S.envelope_pages, S.envelopes_go_to),
            style={**theme.CARD, "padding": theme.SPACE_6},
        ),
    )


@portal_page(
    routes.ADMIN_ENVELOPES,
    title="Envelopes",
    description="Documents sent for signature: create, place fields, send, remind, void.",
    on_load=(S.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Envelopes", "Statements of work and change orders sent for signature."),
        gate(_body()),
    )
