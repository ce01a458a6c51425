"""Staff tools: the leads pipeline (summary, filters, search, pages) and one lead with its
status, notes timeline and the "Convert to client" form."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.public_layout import plain_link
from fluxent.pages.admin.console_parts import PAGER_BUTTON, pager
from fluxent.pages.portal.portal_parts import MUTED, SECTION_HEADING, intro
from fluxent.state.admin_leads import SOURCE_LABELS, SOURCES, STATUSES, AdminLeadsState

_RESULT_LINK: dict[str, Any] = {"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD}


def _gate(body: rx.Component) -> rx.Component:
    return rx.match(
        AdminLeadsState.access,
        ("ok", body),
        ("denied", rx.el.p("Only Fluxent staff can see leads.", role="alert", style={**theme.CARD, "margin": "0"})),
        ("missing", rx.el.p("No such lead.", role="alert", style={**theme.CARD, "margin": "0"})),
        rx.el.p("Loading…", style={"color": theme.TEXT_MUTED}),
    )


# The list ---------------------------------------------------------------------------


def _summary_chip(count: rx.Var) -> rx.Component:
    active = AdminLeadsState.status_filter == count["status"]
    return rx.el.button(
        rx.el.span(
            count["count"], style={"font_size": theme.TEXT_LG, "font_weight": theme.WEIGHT_BOLD, "color": theme.INK}
        ),
        rx.el.span(
            count["status"],
            style={"font_size": theme.TEXT_XS, "text_transform": "capitalize", "color": theme.TEXT_MUTED},
        ),
        type="button",
        aria_pressed=rx.cond(active, "true", "false"),
        on_click=AdminLeadsState.show_status(count["status"]),
        style={
            "display": "flex",
            "flex_direction": "column",
            "align_items": "flex-start",
            "gap": "2px",
            "flex": "1 1 6.5rem",
            "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
            "border_radius": theme.RADIUS_MD,
            "border": f"1px solid {theme.LINE}",
            "background": theme.SURFACE,
            "cursor": "pointer",
            "text_align": "left",
            "&[aria-pressed='true']": {"border_color": theme.ACCENT, "box_shadow": f"0 0 0 2px {theme.ACCENT_GLOW}"},
            "&:hover": {"border_color": theme.LINE_STRONG},
        },
    )


def _summary() -> rx.Component:
    return rx.el.nav(
        rx.el.h2("Pipeline", style=theme.VISUALLY_HIDDEN),
        rx.foreach(AdminLeadsState.counts, _summary_chip),
        aria_label="Leads per status",
        style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin": f"{theme.SPACE_6} 0"},
    )


def _select(label: str, name: str, value: rx.Var, options: list[tuple[str, str]]) -> rx.Component:
    return forms.select(
        label,
        name,
        [("", "All"), *options],
        form_id="leads",
        value=value,
        on_change=lambda new: AdminLeadsState.set_filter(name, new),
        style={"flex": "1 1 9rem"},
    )


def _filters() -> rx.Component:
    return forms.form(
        forms.field(
            "Search",
            "q",
            form_id="leads",
            type="search",
            default_value=AdminLeadsState.query,
            max_length=200,
            placeholder="Name, e-mail or company",
            auto_complete="off",
            style={"flex": "2 1 14rem"},
        ),
        _select("Status", "status", AdminLeadsState.status_filter, [(s, s.title()) for s in STATUSES]),
        _select("Form", "source", AdminLeadsState.source_filter, [(s, SOURCE_LABELS[s]) for s in SOURCES]),
        rx.el.div(
            rx.el.button("Search", type="submit", style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT}),
            rx.el.button(
                "Clear",
                type="button",
                on_click=AdminLeadsState.clear_filters,
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT},
            ),
            style={"display": "flex", "gap": theme.SPACE_2, "align_items": "flex-end"},
        ),
        on_submit=AdminLeadsState.apply_filters,
        role="search",
        style={**theme.CARD, "display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_4, "align_items": "flex-end"},
    )


def _lead_card(lead: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.a(
                lead["name"],
                href=lead["href"],
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD, "overflow_wrap": "anywhere"},
            ),
            rx.el.p(lead["email"], style={**MUTED, "overflow_wrap": "anywhere"}),
            style={"flex": "2 1 14rem", "min_width": "0"},
        ),
        rx.el.div(
            rx.el.p(
                lead["company"],
                style={"margin": "0", "color": theme.INK, "font_size": theme.TEXT_SM, "overflow_wrap": "anywhere"},
            ),
            rx.el.p(lead["source"], " form · ", lead["last_activity"], style={**MUTED, "font_size": theme.TEXT_XS}),
            style={"flex": "2 1 12rem", "min_width": "0"},
        ),
        rx.el.div(forms.badge(lead["status"]), style={"flex": "0 0 auto", "text_transform": "capitalize"}),
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "gap": f"{theme.SPACE_2} {theme.SPACE_4}",
            "align_items": "center",
            "padding": f"{theme.SPACE_4} {theme.SPACE_5}",
            "border_top": f"1px solid {theme.LINE}",
        },
    )


def _results() -> rx.Component:
    return rx.cond(
        AdminLeadsState.rows.length() > 0,  # type: ignore[attr-defined]
        rx.el.section(
            rx.el.div(
                rx.el.h2(AdminLeadsState.total, " leads", id="leads-results", style={**SECTION_HEADING, "margin": "0"}),
                plain_link(
                    rx.icon("download", size=16, aria_hidden="true"),
                    "Download CSV",
                    href=AdminLeadsState.export_url,
                    # A download, not a navigation: a navigation would close the page's websocket.
                    download="leads.csv",
                    data_testid="leads-export",
                    style={
                        **PAGER_BUTTON,
                        "display": "inline-flex",
                        "align_items": "center",
                        "gap": theme.SPACE_2,
                        "text_decoration": "none",
                    },
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
            rx.el.ul(
                rx.foreach(AdminLeadsState.rows, _lead_card),
                style={"list_style": "none", "margin": "0", "padding": "0"},
            ),
            pager(AdminLeadsState.page, AdminLeadsState.pages, AdminLeadsState.go_to_page),
            aria_labelledby="leads-results",
            style={**theme.CARD, "padding": "0", "margin_top": theme.SPACE_6},
        ),
        rx.el.p(
            rx.cond(
                (AdminLeadsState.query != "")
                | (AdminLeadsState.status_filter != "")
                | (AdminLeadsState.source_filter != ""),
                "No leads match these filters.",
                "No leads yet. They arrive from the contact and scope forms.",
            ),
            style={**theme.CARD, **MUTED, "margin_top": theme.SPACE_6},
        ),
    )


def _list_error() -> rx.Component:
    return rx.cond(
        AdminLeadsState.list_error != "",
        rx.el.p(
            AdminLeadsState.list_error,
            role="alert",
            style={
                "margin": f"{theme.SPACE_4} 0 0",
                "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
                "border_radius": theme.RADIUS_MD,
                "background": theme.DANGER_SOFT,
                "color": theme.DANGER,
                "font_size": theme.TEXT_SM,
            },
        ),
    )


@portal_page(
    routes.ADMIN_LEADS,
    title="Leads",
    description="Inquiries from the contact and scope forms.",
    on_load=(AdminLeadsState.load_list,),
)
def list_page() -> rx.Component:
    return rx.el.div(
        intro("Leads", "Inquiries from the contact and scope forms, most recent activity first."),
        _gate(rx.fragment(_summary(), _filters(), _list_error(), _results())),
    )


# One lead ----------------------------------------------------------------------------


def _fact(label: str, key: str, *, wide: bool = False) -> rx.Component:
    return rx.el.div(
        rx.el.dt(label, style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE}),
        rx.el.dd(
            AdminLeadsState.lead[key],
            style={
                "margin": f"{theme.SPACE_1} 0 0",
                "color": theme.INK,
                "white_space": "pre-wrap",
                "overflow_wrap": "anywhere",
            },
        ),
        style={
            "padding": f"{theme.SPACE_3} 0",
            "border_bottom": f"1px solid {theme.LINE}",
            "min_width": "0",
            **({"grid_column": "1 / -1"} if wide else {}),
        },
    )


def _status_form() -> rx.Component:
    return forms.form(
        rx.el.label("Status", html_for="lead-status", style={**theme.LABEL, "margin": "0"}),
        rx.el.select(
            *[rx.el.option(status.title(), value=status) for status in STATUSES],
            id="lead-status",
            name="status",
            value=AdminLeadsState.lead["status"],
            on_change=lambda value: AdminLeadsState.change_status({"status": value}),
            style={**theme.SELECT, "width": "auto", "min_width": "180px"},
        ),
        on_submit=AdminLeadsState.change_status,
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "margin": f"{theme.SPACE_5} 0",
        },
    )


def _details() -> rx.Component:
    facts = [
        ("E-mail", "email"),
        ("Phone", "phone"),
        ("Company", "company"),
        ("Country", "country"),
        ("Form", "source"),
        ("Received", "created"),
        ("Last activity", "last_activity"),
        ("Timeline", "timeline"),
        ("Budget", "budget"),
    ]
    return rx.el.section(
        rx.el.h1(
            AdminLeadsState.lead["name"],
            style={**theme.HEADING_1, "font_size": theme.HEADING_MD, "margin": "0", "overflow_wrap": "anywhere"},
        ),
        _status_form(),
        rx.el.dl(
            *[_fact(*fact) for fact in facts],
            _fact("Who it is for", "audience", wide=True),
            _fact("Message", "message", wide=True),
            style={
                "margin": "0",
                "display": "grid",
                "grid_template_columns": "repeat(auto-fit, minmax(14rem, 1fr))",
                "column_gap": theme.SPACE_6,
            },
        ),
        style={**theme.CARD, "padding": f"clamp({theme.SPACE_5}, 3vw, {theme.SPACE_8})"},
    )


def _note(note: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(note["author"], " · ", note["when"], style={**MUTED, "font_size": theme.TEXT_XS}),
        rx.el.p(
            note["body"],
            style={
                "margin": f"{theme.SPACE_1} 0 0",
                "color": theme.INK,
                "white_space": "pre-wrap",
                "overflow_wrap": "anywhere",
            },
        ),
        style={
            "padding": f"{theme.SPACE_3} 0 {theme.SPACE_3} {theme.SPACE_4}",
            "border_left": f"2px solid {theme.ACCENT_SOFT}",
        },
    )


def _notes() -> rx.Component:
    errors = AdminLeadsState.note_errors
    return rx.el.section(
        rx.el.h2("Notes", id="lead-notes", style=SECTION_HEADING),
        forms.form(
            forms.alert(errors, style={"margin_bottom": theme.SPACE_4}),
            forms.textarea(
                "Add note",
                "body",
                errors,
                input_id="lead-note-body",
                max_length=4000,
                required=True,
                placeholder="What happened, what comes next",
            ),
            rx.el.div(
                forms.submit_button("Add note", AdminLeadsState.busy == "note", "Saving…"),
                style={"margin_top": theme.SPACE_3},
            ),
            on_submit=AdminLeadsState.add_note,
        ),
        rx.cond(
            AdminLeadsState.notes.length() > 0,  # type: ignore[attr-defined]
            rx.el.ol(
                rx.foreach(AdminLeadsState.notes, _note),
                aria_label="Notes, newest first",
                style={
                    "list_style": "none",
                    "margin": f"{theme.SPACE_6} 0 0",
                    "padding": "0",
                    "display": "grid",
                    "gap": theme.SPACE_3,
                },
            ),
            rx.el.p("No notes yet.", style={**MUTED, "margin_top": theme.SPACE_4}),
        ),
        aria_labelledby="lead-notes",
        style={**theme.CARD, "margin_top": theme.SPACE_6},
    )


def _converted_panel() -> rx.Component:
    """After a conversion: what was made, and where the invitation went."""
    done = AdminLeadsState.converted
    return rx.el.div(
        rx.el.p(
            "Converted. ",
            rx.el.strong(done["organization"]),
            " now has the draft engagement \u201c",
            done["engagement"],
            "\u201d, and an invitation went to ",
            rx.el.strong(done["email"]),
            ".",
            style={"margin": "0"},
        ),
        rx.el.p(
            rx.el.a("Open the organization →", href=done["organization_href"], style=_RESULT_LINK),
            rx.el.a("Open the engagement →", href=done["engagement_href"], style=_RESULT_LINK),
            style={"display": "flex", "flex_wrap": "wrap", "gap": f"{theme.SPACE_2} {theme.SPACE_5}", "margin": "0"},
        ),
        role="status",
        style={
            "display": "grid",
            "gap": theme.SPACE_2,
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.SUCCESS_SOFT,
            "color": theme.SUCCESS,
            "font_size": theme.TEXT_SM,
        },
    )


def _convert_form() -> rx.Component:
    errors = AdminLeadsState.convert_errors
    return forms.form(
        forms.alert(errors),
        rx.el.div(
            forms.field("Engagement title", "title", errors, form_id="convert", required=True, max_length=200),
            forms.field(
                "Fixed price",
                "price",
                errors,
                form_id="convert",
                required=True,
                input_mode="decimal",
                hint="In major units, e.g. 48000 or 48000.50.",
            ),
            forms.field(
                "Currency",
                "currency",
                errors,
                form_id="convert",
                default_value="USD",
                required=True,
                max_length=3,
                hint="ISO code, e.g. USD, EUR.",
            ),
            style={
                "display": "grid",
                "grid_template_columns": "repeat(auto-fit, minmax(12rem, 1fr))",
                "gap": theme.SPACE_4,
                "margin": f"{theme.SPACE_4} 0",
            },
        ),
        forms.submit_button("Convert to client", AdminLeadsState.busy == "convert", "Converting…"),
        on_submit=AdminLeadsState.convert,
    )


def _conversion() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Convert to client", id="lead-convert", style=SECTION_HEADING),
        rx.cond(
            AdminLeadsState.converted.contains("organization"),
            _converted_panel(),
            rx.cond(
                AdminLeadsState.organization != "",
                rx.el.p(
                    "Converted on ",
                    AdminLeadsState.lead["converted"],
                    " into ",
                    rx.el.a(AdminLeadsState.organization, href=AdminLeadsState.organization_href, style=_RESULT_LINK),
                    ".",
                    style=MUTED,
                ),
                rx.fragment(
                    rx.el.p(
                        "Creates the organization \u201c",
                        AdminLeadsState.lead["company"],
                        "\u201d, a draft engagement, and invites ",
                        AdminLeadsState.lead["email"],
                        " as its owner. The lead is marked won.",
                        style=MUTED,
                    ),
                    _convert_form(),
                ),
            ),
        ),
        aria_labelledby="lead-convert",
        style={**theme.CARD, "margin_top": theme.SPACE_6},
    )


@portal_page(
    routes.ADMIN_LEAD,
    title="Lead",
    description="One lead: status, notes and conversion.",
    on_load=(AdminLeadsState.load_lead,),
)
def detail_page() -> rx.Component:
    return rx.el.div(
        rx.el.p(
            rx.el.a("← All leads", href=routes.ADMIN_LEADS, style={"color": theme.ACCENT}),
            style={"margin": f"0 0 {theme.SPACE_4}"},
        ),
        _gate(rx.fragment(_details(), _notes(), _conversion())),
    )


def pages() -> list:
    return [list_page, detail_page]
