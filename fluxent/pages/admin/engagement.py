"""Staff console: one engagement's editor: details, status, the conversation with the client,
assigned staff, and the milestone plan with the sum rule (the amounts add up to the fixed price)
in plain view."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.messages import conversation_panel
from fluxent.components.portal_layout import portal_page
from fluxent.components.searchable_select import searchable_select
from fluxent.pages.admin.billing import ledger_table
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    GRID_2,
    GROW,
    MUTED,
    NAME,
    ROW,
    back_to,
    gate,
    listing,
    row_button,
    stack,
)
from fluxent.pages.portal.vault_parts import item_list, step_up_dialog
from fluxent.state.admin_engagement import EngagementEditorState as State
from fluxent.state.admin_engagement import MilestonePlanRow, Move, Person
from fluxent.state.messages import ThreadState
from fluxent.state.vault import VaultState

_H3 = {**theme.HEADING_2, "font_size": theme.TEXT_MD, "margin": f"{theme.SPACE_6} 0 {theme.SPACE_3}"}


def _header() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h1(
                State.details["title"],
                data_testid="engagement-title",
                style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD, "overflow_wrap": "anywhere"},
            ),
            rx.el.p(
                rx.el.a(
                    State.organization,
                    href=State.organization_href,
                    style={"color": theme.ACCENT, "text_decoration": "none"},
                ),
                " · fixed price ",
                State.details["price_label"],
                style={**MUTED, "margin_top": theme.SPACE_2},
            ),
            style=GROW,
        ),
        rx.el.span(forms.badge(State.status_label), data_testid="engagement-status"),
        style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_4, "align_items": "flex-start"},
    )


def _move(move: Move) -> rx.Component:
    return rx.el.button(
        move.label,
        type="button",
        on_click=State.move(move.status),
        style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
    )


def _status() -> rx.Component:
    return forms.section_card(
        "Status",
        "Scoping, proposed, active, delivered, closed. Proposing needs milestones that add up to the fixed price; "
        "from then on the price and the amounts are frozen.",
        forms.alert(State.errors, "status.form"),
        rx.cond(
            State.moves.length() > 0,  # type: ignore[attr-defined]
            rx.el.div(
                rx.foreach(State.moves, _move), style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3}
            ),
            rx.el.p("This engagement is closed.", style=MUTED),
        ),
        section_id="status",
        icon="flag",
    )


def _details() -> rx.Component:
    errors, value = State.errors, State.details
    frozen = ~State.can_reprice

    def text(label: str, name: str, **props) -> rx.Component:
        return forms.field(label, f"details.{name}", errors, form_id="details", default_value=value[name], **props)

    return forms.section_card(
        "Details",
        "The price and currency can change only while scoping.",
        forms.form(
            forms.alert(errors, "details.form"),
            rx.el.div(
                text("Title", "title", required=True, max_length=200),
                text(
                    "Fixed price",
                    "fixed_price_minor",
                    required=True,
                    input_mode="decimal",
                    read_only=frozen,
                    hint="e.g. 24000 or 24,000.50; fixed once the engagement is proposed",
                ),
                text(
                    "Currency",
                    "currency",
                    required=True,
                    max_length=3,
                    read_only=frozen,
                    input_style={"text_transform": "uppercase"},
                ),
                text("Start date", "start_date", type="date"),
                text("Target date", "target_date", type="date"),
                forms.textarea(
                    "Scope summary",
                    "details.scope_summary",
                    errors,
                    form_id="details",
                    default_value=value["scope_summary"],
                    rows=4,
                    max_length=20_000,
                ),
                style=GRID_2,
            ),
            rx.el.div(forms.submit_button("Save details", State.busy == "details", "Saving…"), style=ACTIONS),
            key=State.form_version,
            on_submit=State.save_details,
            aria_label="Engagement details",
        ),
        section_id="details",
        icon="pencil",
    )


def _assigned(person: Person) -> rx.Component:
    return rx.el.li(
        rx.el.p(person.name, style={**NAME, **GROW}),
        row_button("Unassign", State.unassign(person.id), aria_label="Unassign " + person.name),
        style=ROW,
    )


def _staff() -> rx.Component:
    return forms.section_card(
        "Staff",
        "Assigned staff hear about client uploads and milestone decisions.",
        forms.alert(State.errors, "staff.form"),
        listing(State.assigned, _assigned, "Nobody is assigned yet."),
        forms.form(
            searchable_select(
                "assign-staff",
                "Staff member to assign",
                choices=State.assignable,
                query=State.assign_query,
                on_narrow=State.narrow_assignable,
                placeholder="Find a staff member",
                search_label="Find a staff member to assign",
                name="staff.user_id",
                test_id="assign-staff",
                style={"flex": "1 1 14rem"},
            ),
            rx.el.button(
                "Assign",
                type="submit",
                disabled=State.assignable.length() == 0,  # type: ignore[attr-defined]
                style={**theme.BUTTON_SECONDARY, "align_self": "flex-end"},
            ),
            on_submit=State.assign,
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin_top": theme.SPACE_4},
        ),
        section_id="staff",
        icon="users",
    )


def _milestone_fields(prefix: rx.Var | str, row: MilestonePlanRow | None = None) -> rx.Component:
    errors = State.errors
    form_id = f"{prefix}"

    def text(label: str, name: str, value, **props) -> rx.Component:
        return forms.field(label, f"{prefix}.{name}", errors, form_id=form_id, default_value=value, **props)

    return rx.el.div(
        text("Title", "title", row.title if row is not None else "", required=True, max_length=200),
        text(
            "Amount",
            "amount_minor",
            row.amount if row is not None else "",
            required=True,
            input_mode="decimal",
            hint="In the engagement's currency",
        ),
        text("Due date", "due_date", row.due if row is not None else "", type="date"),
        forms.textarea(
            "Description",
            f"{prefix}.description",
            errors,
            form_id=form_id,
            default_value=row.description if row is not None else "",
            rows=2,
            max_length=20_000,
        ),
        forms.textarea(
            "Acceptance criteria",
            f"{prefix}.acceptance_criteria",
            errors,
            form_id=form_id,
            default_value=row.acceptance_criteria if row is not None else "",
            rows=3,
            hint="What the client checks before accepting, one a line.",
            optional=True,
        ),
        forms.textarea(
            "Deliverable links",
            f"{prefix}.deliverables",
            errors,
            form_id=form_id,
            default_value=row.links if row is not None else "",
            rows=2,
            hint="One a line: an http(s) address, optionally after a label (“Staging site https://…”).",
            optional=True,
        ),
        rx.cond(
            State.documents.length() > 0,  # type: ignore[attr-defined]
            rx.el.fieldset(
                rx.el.legend("Deliverable documents", style=theme.LABEL),
                rx.foreach(
                    State.documents,
                    lambda document: forms.checkbox(
                        document.filename,
                        f"{prefix}.document." + document.id.to_string(),
                        input_id=f"{prefix}-document-" + document.id.to_string(),
                        default_checked=row.document_ids.contains(document.id) if row is not None else False,
                    ),
                ),
                style={
                    "grid_column": "1 / -1",
                    "border": "0",
                    "padding": "0",
                    "margin": "0",
                    "display": "grid",
                    "gap": theme.SPACE_2,
                },
            ),
        ),
        style=GRID_2,
    )


def _milestone(row: MilestonePlanRow) -> rx.Component:
    key = "m" + row.id.to_string()
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.p(
                    row.title,
                    style={
                        "margin": "0",
                        "color": theme.INK,
                        "font_weight": theme.WEIGHT_SEMIBOLD,
                        "overflow_wrap": "anywhere",
                    },
                ),
                rx.el.p(
                    row.amount_label, rx.cond(row.due_label != "", rx.el.span(" · due ", row.due_label)), style=MUTED
                ),
                style=GROW,
            ),
            forms.badge(row.status_label, tone=row.tone),
            rx.cond(row.can_start, row_button("Start", State.start_milestone(row.id), aria_label="Start " + row.title)),
            rx.cond(
                row.can_submit,
                row_button("Submit to the client", State.submit_milestone(row.id), aria_label="Submit " + row.title),
            ),
            rx.cond(
                row.can_remove,
                row_button("Remove", State.remove_milestone(row.id), danger=True, aria_label="Remove " + row.title),
            ),
            rx.cond(
                row.can_draft_invoice,
                row_button(
                    "Draft invoice", State.draft_invoice(row.id), aria_label="Draft the invoice of " + row.title
                ),
            ),
            rx.cond(
                row.invoice_href != "",
                rx.el.a("Invoice", href=row.invoice_href, style={"color": theme.ACCENT, "font_size": theme.TEXT_SM}),
            ),
            style={"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3},
        ),
        rx.cond(
            row.can_edit,
            rx.el.details(
                rx.el.summary(
                    "Edit",
                    aria_label="Edit " + row.title,
                    style={
                        "cursor": "pointer",
                        "color": theme.ACCENT,
                        "font_size": theme.TEXT_SM,
                        "font_weight": theme.WEIGHT_SEMIBOLD,
                        "margin_top": theme.SPACE_2,
                        "width": "fit-content",
                    },
                ),
                forms.form(
                    forms.alert(State.errors, key + ".form"),
                    rx.el.input(type="hidden", name="milestone_id", value=row.id.to_string()),
                    _milestone_fields(key, row),
                    rx.el.div(rx.el.button("Save milestone", type="submit", style=theme.BUTTON_PRIMARY), style=ACTIONS),
                    key=State.form_version,
                    on_submit=State.save_milestone,
                    aria_label="Edit " + row.title,
                    style={"margin_top": theme.SPACE_4},
                ),
            ),
        ),
        style={"padding": f"{theme.SPACE_4} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _allocation() -> rx.Component:
    return rx.el.p(
        rx.cond(
            State.allocation_ok,
            rx.icon("circle-check", size=18, aria_hidden="true"),
            rx.icon("circle-alert", size=18, aria_hidden="true"),
        ),
        State.allocation,
        data_testid="allocation",
        style={
            "display": "flex",
            "align_items": "center",
            "gap": theme.SPACE_2,
            "margin": f"0 0 {theme.SPACE_4}",
            "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
            "border_radius": theme.RADIUS_MD,
            "font_size": theme.TEXT_SM,
            "font_weight": theme.WEIGHT_SEMIBOLD,
            "background": rx.cond(State.allocation_ok, theme.SUCCESS_SOFT, theme.WARNING_SOFT),
            "color": rx.cond(State.allocation_ok, theme.SUCCESS, theme.INK),
        },
    )


def _plan() -> rx.Component:
    return forms.section_card(
        "Milestones",
        "Planned while scoping. Their amounts must add up to the fixed price before the engagement is proposed.",
        _allocation(),
        forms.alert(State.errors, "plan.form"),
        listing(State.plan, _milestone, "No milestones yet."),
        rx.cond(
            State.can_add_milestone,
            rx.fragment(
                rx.el.h3("Add a milestone", style=_H3),
                forms.form(
                    forms.alert(State.errors, "milestone.form"),
                    _milestone_fields("milestone"),
                    rx.el.div(
                        forms.submit_button("Add milestone", State.busy == "milestone", "Adding…"), style=ACTIONS
                    ),
                    key=State.form_version,
                    on_submit=State.add_milestone,
                    aria_label="Add a milestone",
                ),
            ),
        ),
        section_id="milestones",
        icon="list-checks",
    )


def _ledger() -> rx.Component:
    return forms.section_card(
        "Ledger",
        "Fixed price, accepted, invoiced and paid; drafts count too, and nothing is invoiced past the fixed price.",
        ledger_table(State.ledger),
        section_id="ledger",
        icon="scale",
    )


def _vault() -> rx.Component:
    return forms.section_card(
        "Vault",
        "The client's credentials for this build. Reveal needs your password or an e-mailed code within 10 "
        "minutes; every reveal and copy is shown to the client.",
        rx.match(
            VaultState.access,
            ("ok", item_list()),
            (
                "missing",
                rx.el.p(
                    "Only staff assigned to this engagement see its vault. Assigning yourself is recorded and "
                    "shown to the client.",
                    style=MUTED,
                ),
            ),
            rx.el.p("Loading…", style=MUTED),
        ),
        step_up_dialog(),
        section_id="vault",
        icon="key-round",
    )


def _body() -> rx.Component:
    return stack(_header(), _status(), conversation_panel(), _plan(), _ledger(), _details(), _staff(), _vault())


@portal_page(
    routes.ADMIN_ENGAGEMENT,
    title="Engagement",
    description="Edit one engagement and its milestones.",
    on_load=(State.load, VaultState.load_vault, ThreadState.open_from_route),
)
def page() -> rx.Component:
    return rx.fragment(
        back_to("Organization", State.organization_href),
        gate(_body(), missing="No such engagement."),
    )
