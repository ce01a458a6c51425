"""Staff console, administrators only: the audit log (filters, pages, CSV and JSON export) and the
hash chain's verification status with "Verify now"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.public_layout import plain_link
from fluxent.pages.admin.console_parts import MUTED, PAGER_BUTTON, gate, pager, stack
from fluxent.state.admin_audit import FORM, Choice, EventRow
from fluxent.state.admin_audit import AdminAuditState as State

_LINK_BUTTON: dict[str, Any] = {
    **PAGER_BUTTON,
    "display": "inline-flex",
    "align_items": "center",
    "gap": theme.SPACE_2,
    "text_decoration": "none",
}
_WRAP: dict[str, Any] = {"overflow_wrap": "anywhere", "word_break": "break-word"}


def _verification() -> rx.Component:
    return forms.section_card(
        "Hash chain",
        "Each event is chained to the one before it; a verification walks the whole chain, "
        "as python -m fluxent audit verify does, and is itself recorded in the log.",
        rx.el.p(
            rx.icon(
                rx.match(State.chain, ("ok", "shield-check"), ("broken", "shield-alert"), "shield-question"),
                size=18,
                aria_hidden="true",
                style={"flex_shrink": "0"},
            ),
            State.chain_text,
            data_testid="chain-status",
            data_chain=State.chain,
            style={
                "display": "flex",
                "gap": theme.SPACE_2,
                "align_items": "center",
                "margin": "0",
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "color": rx.match(State.chain, ("ok", theme.SUCCESS), ("broken", theme.DANGER), theme.TEXT_MUTED),
            },
        ),
        forms.alert(State.errors, "verify.form"),
        rx.el.div(
            rx.el.button(
                rx.cond(State.verifying, "Verifying…", "Verify now"),
                type="button",
                on_click=State.verify,
                disabled=State.verifying | ~rx.State.is_hydrated,
                aria_busy=rx.cond(State.verifying, "true", "false"),
                style=theme.BUTTON_PRIMARY,
            ),
            style={"margin_top": theme.SPACE_5},
        ),
        section_id="chain",
        icon="link",
    )


def _choice(choice: Choice) -> rx.Component:
    return rx.el.option(choice.label, value=choice.value)


def _select(label: str, name: str, value: rx.Var, choices: rx.Var, everything: str) -> rx.Component:
    control_id = f"{FORM}-{name}"
    return rx.el.div(
        rx.el.label(label, html_for=control_id, style=theme.LABEL),
        rx.el.select(
            rx.el.option(everything, value=""),
            rx.foreach(choices, _choice),
            id=control_id,
            name=f"{FORM}.{name}",
            default_value=value,
            style=theme.SELECT,
        ),
        style={"min_width": "0"},
    )


def _filters() -> rx.Component:
    errors = State.errors
    return forms.form(
        forms.alert(errors, f"{FORM}.form"),
        rx.el.div(
            forms.field(
                "Person",
                f"{FORM}.person",
                errors,
                input_id=f"{FORM}-person",
                type="search",
                default_value=State.person,
                max_length=200,
                placeholder="Name, username or e-mail",
            ),
            _select("Action", "action", State.action, State.actions, "All actions"),
            _select("Organization", "organization", State.organization, State.organization_choices, "All"),
            forms.field(
                "From",
                f"{FORM}.since",
                errors,
                input_id=f"{FORM}-since",
                type="date",
                default_value=State.since,
            ),
            forms.field(
                "To",
                f"{FORM}.until",
                errors,
                input_id=f"{FORM}-until",
                type="date",
                default_value=State.until,
            ),
            style={
                "display": "grid",
                "gap": theme.SPACE_4,
                "grid_template_columns": "repeat(auto-fill, minmax(11rem, 1fr))",
                "align_items": "end",
            },
        ),
        rx.el.div(
            rx.el.button("Apply filters", type="submit", style=theme.BUTTON_PRIMARY),
            rx.el.button("Clear", type="button", on_click=State.clear_filters, style=theme.BUTTON_SECONDARY),
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin_top": theme.SPACE_5},
        ),
        key=State.form_version,
        on_submit=State.apply_filters,
        role="search",
        aria_label="Filter the audit log",
    )


def _event(row: EventRow) -> rx.Component:
    personal = rx.cond(
        row.erased,
        rx.el.p("Personal details: erased", style={**MUTED, "font_size": theme.TEXT_XS}),
        rx.cond(
            (row.ip != "") | (row.email != "") | (row.user_agent != ""),
            rx.el.p(
                rx.cond(row.email != "", row.email + " · ", ""),
                row.ip,
                rx.cond(row.user_agent != "", " · " + row.user_agent, ""),
                style={**MUTED, "font_size": theme.TEXT_XS, **_WRAP},
            ),
        ),
    )
    return rx.el.li(
        rx.el.div(
            rx.el.code(row.action, style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, **_WRAP}),
            rx.el.span("#", row.seq, " · ", row.when, style={**MUTED, "font_size": theme.TEXT_XS}),
            style={"display": "flex", "flex_wrap": "wrap", "gap": f"{theme.SPACE_1} {theme.SPACE_3}"},
        ),
        rx.el.p(
            rx.el.span(row.actor, data_testid="event-actor"),
            rx.cond(row.target != "", " → " + row.target, ""),
            rx.cond(row.organization != "", " · " + row.organization, ""),
            style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.INK, "font_size": theme.TEXT_SM, **_WRAP},
        ),
        rx.cond(
            row.meta != "",
            rx.el.p(rx.el.code(row.meta), style={**MUTED, "font_size": theme.TEXT_XS, "margin": "0", **_WRAP}),
        ),
        personal,
        data_testid="audit-event",
        style={"padding": f"{theme.SPACE_4} {theme.SPACE_5}", "border_top": f"1px solid {theme.LINE}"},
    )


def _export(label: str, href: rx.Var, name: str) -> rx.Component:
    return plain_link(
        rx.icon("download", size=16, aria_hidden="true"),
        label,
        href=href,
        # A download, not a navigation: a navigation would close the page's websocket.
        download=name,
        data_testid=f"audit-export-{name.rsplit('.', 1)[-1]}",
        style=_LINK_BUTTON,
    )


def _events() -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.h2(
                State.total,
                rx.cond(State.total == 1, " event", " events"),
                id="audit-results",
                style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": "0"},
            ),
            rx.el.div(
                _export("Export CSV", State.export_csv, "audit.csv"),
                _export("Export JSON", State.export_json, "audit.json"),
                style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_2},
            ),
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "justify_content": "space-between",
                "align_items": "center",
                "gap": theme.SPACE_3,
                "padding": f"{theme.SPACE_4} {theme.SPACE_5}",
            },
        ),
        rx.cond(
            State.rows.length() > 0,  # type: ignore[attr-defined]
            rx.fragment(
                rx.el.ul(rx.foreach(State.rows, _event), style={"list_style": "none", "margin": "0", "padding": "0"}),
                pager(State.page, State.pages, State.go_to_page),
            ),
            rx.el.p(
                "No events match these filters.",
                style={**MUTED, "padding": f"{theme.SPACE_4} {theme.SPACE_5}", "border_top": f"1px solid {theme.LINE}"},
            ),
        ),
        aria_labelledby="audit-results",
        style={**theme.CARD, "padding": "0"},
    )


def _body() -> rx.Component:
    return stack(
        rx.el.h1("Audit log", style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD}),
        _verification(),
        rx.el.section(
            rx.el.h2("Filters", style=theme.VISUALLY_HIDDEN),
            _filters(),
            style={**theme.CARD, "margin": "0"},
        ),
        _events(),
    )


@portal_page(
    routes.ADMIN_AUDIT,
    title="Audit log",
    description="Who did what, filtered and exported, and the audit chain's verification.",
    on_load=(State.load,),
)
def page() -> rx.Component:
    return gate(_body(), denied="Only administrators can read the audit log.")
