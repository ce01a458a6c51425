"""Portal dashboard: what waits for the person, their engagements' progress, recent
documents and activity (``DashboardState``, for the organization chosen in the top
bar), then who they are and their organizations.

While an administrator views the portal as a client, the organizations shown are
the one being viewed (the server agreed to it, see ``ViewAsState``).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import avatar, portal_page
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.acceptance_dialog import accept_dialog
from fluxent.pages.portal.portal_parts import MUTED, card_grid, progress_bar
from fluxent.state.dashboard import ActionRow, ActivityRow, CardRow, DashboardState, RecentDocumentRow
from fluxent.state.session import SessionState
from fluxent.state.view_as import ViewAsState

NO_MILESTONES = "No milestones yet: they are set once the scope is agreed."
_SECTION_HEADING = {**theme.HEADING_2, "margin": f"0 0 {theme.SPACE_4}", "font_size": theme.TEXT_LG}


def _organization_card(organization: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.icon("building-2", size=20),
            aria_hidden="true",
            style=theme.icon_tile(background=theme.INK, color=theme.MINT),
        ),
        rx.el.div(
            rx.el.p(
                organization["name"],
                style={
                    "margin": "0",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "line_height": theme.LEADING_SNUG,
                },
            ),
            rx.el.p(
                "Client organization", style={"margin": "0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM}
            ),
            style={"flex": "1", "min_width": "0"},
        ),
        rx.el.span(
            organization["role"],
            style={
                "padding": f"{theme.SPACE_1} {theme.SPACE_3}",
                "border_radius": theme.RADIUS_PILL,
                "background": theme.ACCENT_SOFT,
                "color": theme.ACCENT,
                "font_size": theme.TEXT_XS,
                "font_weight": theme.WEIGHT_BOLD,
            },
        ),
        style={**theme.CARD, "display": "flex", "align_items": "center", "gap": theme.SPACE_4},
    )


def _viewed_organization() -> rx.Component:
    return card_grid(_organization_card({"name": ViewAsState.viewing_name, "role": "Read only"}))  # type: ignore[arg-type]


def _organizations() -> rx.Component:
    return rx.el.section(
        rx.el.h2(
            rx.cond(ViewAsState.viewing_name != "", "Organization", "Your organizations"),
            id="organizations-heading",
            style=_SECTION_HEADING,
        ),
        rx.cond(
            ViewAsState.viewing_name != "",
            _viewed_organization(),
            _own_organizations(),
        ),
        aria_labelledby="organizations-heading",
        style={"margin_top": theme.SPACE_10},
    )


def _own_organizations() -> rx.Component:
    return rx.fragment(
        rx.cond(
            SessionState.organizations.length() > 0,  # type: ignore[attr-defined]
            card_grid(rx.foreach(SessionState.organizations, _organization_card)),
            rx.el.p(
                "You are not part of a client organization yet. Your delivery lead adds you when an engagement starts.",
                style={**theme.CARD, "margin": "0", "color": theme.TEXT_MUTED},
            ),
        ),
    )


def _fact(icon: str, label: str, value: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.dt(
            rx.icon(icon, size=14, aria_hidden="true"),
            label,
            style={
                "display": "flex",
                "align_items": "center",
                "gap": theme.SPACE_2,
                "color": theme.TEXT_SUBTLE,
                "font_size": theme.TEXT_XS,
            },
        ),
        rx.el.dd(
            value,
            style={
                "margin": f"{theme.SPACE_1} 0 0",
                "color": theme.INK,
                "font_weight": theme.WEIGHT_MEDIUM,
                "font_size": theme.TEXT_SM,
                "overflow_wrap": "anywhere",
            },
        ),
        style={"min_width": "0"},
    )


def _who_you_are() -> rx.Component:
    """The signed-in person at a glance, with the way to their own settings."""
    return rx.el.section(
        rx.el.div(
            avatar("56px"),
            rx.el.div(
                rx.el.h2(
                    SessionState.user_name, id="who-heading", style={**theme.HEADING_2, "font_size": theme.TEXT_XL}
                ),
                rx.el.p(
                    "Signed in as ",
                    SessionState.user_role.lower(),
                    style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM},
                ),  # type: ignore[attr-defined]
                style={"min_width": "0"},
            ),
            style={"display": "flex", "align_items": "center", "gap": theme.SPACE_5},
        ),
        rx.el.dl(
            _fact("mail", "E-mail", SessionState.user_email),
            _fact("badge-check", "Role", SessionState.user_role),
            _fact("building-2", "Organizations", SessionState.organizations.length().to_string()),  # type: ignore[attr-defined]
            style={
                "display": "grid",
                "gap": theme.SPACE_4,
                "margin": "0",
                theme.TABLET_UP: {"grid_template_columns": "2fr 1fr 1fr"},
            },
        ),
        rx.el.div(
            *[
                rx.el.a(
                    rx.icon(icon, size=16, aria_hidden="true"),
                    label,
                    href=route,
                    style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_4},
                )
                for icon, label, route in (
                    ("user-round", "Edit profile", routes.PORTAL_ACCOUNT),
                    ("shield-check", "Security", routes.PORTAL_SECURITY),
                    ("lock-keyhole", "Privacy", routes.PORTAL_PRIVACY),
                )
            ],
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3},
        ),
        aria_labelledby="who-heading",
        data_testid="who-you-are",
        style={
            **theme.CARD,
            "display": "grid",
            "gap": theme.SPACE_6,
            "margin_top": theme.SPACE_8,
            "background": f"linear-gradient(135deg, {theme.SURFACE} 60%, {theme.ACCENT_SOFT})",
        },
    )


def _section(heading: str, anchor: str, *children: rx.Component, **props: Any) -> rx.Component:
    return rx.el.section(
        rx.el.h2(heading, id=anchor, style=_SECTION_HEADING),
        *children,
        aria_labelledby=anchor,
        **props,
    )


_LIST = {"list_style": "none", "margin": "0", "padding": "0"}


def _rows(items: rx.Var, render: Any, empty: rx.Component, *, cards: bool = False) -> rx.Component:
    """The rows of ``items`` (as cards, or a plain list), or ``empty`` once the page loaded none."""
    listed = rx.foreach(items, render)
    return rx.cond(
        items.length() > 0,  # type: ignore[attr-defined]
        card_grid(listed) if cards else rx.el.ul(listed, style=_LIST),
        empty,
    )


_ROW = {
    "padding": f"{theme.SPACE_4} 0",
    "border_top": f"1px solid {theme.LINE}",
    "&:first-child": {"border_top": "none", "padding_top": "0"},
}
_STRONG = {"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "overflow_wrap": "anywhere"}
_SMALL_BUTTON = {"height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_4}


def _engagement_link(engagement_id: rx.Var) -> rx.Var:
    return routes.PORTAL_ENGAGEMENTS + "#engagement-" + engagement_id.to_string()


def _action(item: ActionRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(item.milestone, style=_STRONG),
            rx.el.p(
                item.engagement,
                " · ",
                rx.el.span(item.amount, style=theme.FIGURE),
                rx.cond(item.since != "", rx.el.span(" · since ", item.since)),
                style=MUTED,
            ),
            style={"flex": "1 1 16rem", "min_width": "0"},
        ),
        rx.el.div(
            rx.cond(
                item.can_accept & CAN_CHANGE,
                rx.el.button(
                    "Accept milestone",
                    type="button",
                    aria_haspopup="dialog",
                    on_click=DashboardState.ask_accept(item.engagement_id, item.milestone_id),
                    style={**theme.BUTTON_PRIMARY, **_SMALL_BUTTON},
                ),
            ),
            rx.el.a(
                rx.cond(item.can_accept, "Review or ask for changes", "Open the engagement"),
                href=_engagement_link(item.engagement_id),
                style={**theme.BUTTON_SECONDARY, **_SMALL_BUTTON},
            ),
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3},
        ),
        data_testid="action-item",
        style={**_ROW, "display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_4},
    )


def _needs_action() -> rx.Component:
    return _section(
        "Needs your action",
        "needs-action-heading",
        _rows(
            DashboardState.actions,
            _action,
            rx.cond(
                DashboardState.loaded,
                rx.el.p(
                    rx.icon(
                        "circle-check", size=18, aria_hidden="true", style={"color": theme.SUCCESS, "flex_shrink": "0"}
                    ),
                    "Nothing waits for you",
                    style={**MUTED, "display": "flex", "align_items": "center", "gap": theme.SPACE_2},
                ),
                rx.el.p("Loading…", style=MUTED),
            ),
        ),
        style={**theme.CARD, "margin_top": theme.SPACE_8, "border_left": f"4px solid {theme.ACCENT}"},
    )


def _card(card: CardRow) -> rx.Component:
    return rx.el.li(
        rx.el.article(
            rx.el.div(
                rx.el.div(
                    rx.el.h3(
                        rx.el.a(
                            card.title,
                            href=_engagement_link(card.id),
                            style={
                                "color": theme.INK,
                                "text_decoration": "none",
                                "&:hover": {"text_decoration": "underline"},
                            },
                        ),
                        style={**_STRONG, "font_size": theme.TEXT_MD},
                    ),
                    rx.el.p(card.organization, style=MUTED),
                    style={"flex": "1 1 10rem", "min_width": "0"},
                ),
                forms.badge(card.status_label),
                style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start", "flex_wrap": "wrap"},
            ),
            rx.el.div(
                rx.el.span(
                    rx.el.span(card.accepted, style=theme.FIGURE),
                    " accepted of ",
                    rx.el.span(card.price, style=theme.FIGURE),
                ),
                rx.el.span(card.progress.to_string(), "%"),
                style={
                    **MUTED,
                    "display": "flex",
                    "justify_content": "space-between",
                    "flex_wrap": "wrap",
                    "gap": theme.SPACE_2,
                    "margin_top": theme.SPACE_4,
                },
            ),
            progress_bar(card.progress, "Accepted share of the fixed price"),
            rx.cond(
                card.milestones != "",
                rx.el.p(card.milestones, style={**MUTED, "margin_top": theme.SPACE_2, "font_size": theme.TEXT_XS}),
            ),
            rx.el.p(
                rx.icon("flag", size=14, aria_hidden="true", style={"flex_shrink": "0"}),
                rx.cond(
                    card.next_milestone != "",
                    rx.el.span(
                        "Next: ",
                        rx.el.strong(card.next_milestone, style={"color": theme.INK}),
                        rx.cond(card.next_due != "", rx.el.span(" · due ", card.next_due)),
                    ),
                    rx.cond(
                        card.milestones != "",
                        rx.el.span("Every milestone accepted"),
                        rx.el.span(NO_MILESTONES),
                    ),
                ),
                style={
                    **MUTED,
                    "display": "flex",
                    "align_items": "baseline",
                    "gap": theme.SPACE_2,
                    "margin_top": theme.SPACE_3,
                    "padding_top": theme.SPACE_3,
                    "border_top": f"1px solid {theme.LINE}",
                },
            ),
            style={**theme.CARD, "height": "100%"},
        ),
        data_testid="engagement-card",
    )


def _engagements() -> rx.Component:
    return _section(
        "Your engagements",
        "engagement-cards-heading",
        _rows(
            DashboardState.cards,
            _card,
            rx.cond(
                DashboardState.loaded,
                rx.el.p(
                    "No open engagements yet. Your delivery lead adds them when a build is scoped.",
                    style={**theme.CARD, **MUTED},
                ),
            ),
            cards=True,
        ),
        style={"margin_top": theme.SPACE_10},
    )


def _document(document: RecentDocumentRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(document.filename, style=_STRONG),
            rx.el.p("v", document.version.to_string(), " · ", document.updated, style=MUTED),
            style={"flex": "1 1 10rem", "min_width": "0"},
        ),
        rx.el.a(
            rx.icon("download", size=14, aria_hidden="true"),
            "Download",
            href=document.download_url,
            download="",
            aria_label="Download " + document.filename,
            style={**theme.BUTTON_SECONDARY, **_SMALL_BUTTON},
        ),
        style={**_ROW, "display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3},
    )


def _recent_documents() -> rx.Component:
    return _section(
        "Recent documents",
        "recent-documents-heading",
        _rows(
            DashboardState.documents,
            _document,
            rx.cond(DashboardState.loaded, rx.el.p("No documents yet.", style=MUTED)),
        ),
        rx.el.a(
            "All documents",
            rx.icon("arrow-right", size=14, aria_hidden="true"),
            href=routes.PORTAL_DOCUMENTS,
            style={
                "display": "inline-flex",
                "align_items": "center",
                "gap": theme.SPACE_1,
                "margin_top": theme.SPACE_4,
                "color": theme.ACCENT,
                "font_size": theme.TEXT_SM,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "text_decoration": "none",
            },
        ),
        style={**theme.CARD, "min_width": "0"},
    )


def _event(item: ActivityRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(item.sentence, style={**_STRONG, "font_weight": theme.WEIGHT_MEDIUM}),
        rx.el.p(item.actor, " · ", item.organization, " · ", item.at, style=MUTED),
        style=_ROW,
    )


def _recent_activity() -> rx.Component:
    return _section(
        "Recent activity",
        "recent-activity-heading",
        _rows(
            DashboardState.activity,
            _event,
            rx.cond(DashboardState.loaded, rx.el.p("Nothing has happened yet.", style=MUTED)),
        ),
        style={**theme.CARD, "min_width": "0"},
    )


@portal_page(
    routes.PORTAL,
    title="Dashboard",
    description="Your engagements, documents, invoices and signatures with Fluxent.",
    on_load=(DashboardState.load,),
)
def page() -> rx.Component:
    viewing = ViewAsState.viewing_name != ""
    heading_style = {**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}
    lead_style = {"margin": "0", "color": theme.TEXT_MUTED, "max_width": "60ch"}
    return rx.fragment(
        rx.cond(
            viewing,
            rx.el.div(
                rx.el.h1(ViewAsState.viewing_name, style=heading_style),
                rx.el.p(
                    "The portal as this organization's members see it. Nothing can be changed from here.",
                    style=lead_style,
                ),
            ),
            rx.el.div(
                rx.el.h1("Welcome, ", SessionState.user_name, style=heading_style),
                rx.el.p(
                    "Everything for your builds with Fluxent: engagements, milestones, documents, invoices and signatures in one place.",
                    style=lead_style,
                ),
            ),
        ),
        accept_dialog(DashboardState),
        _needs_action(),
        _engagements(),
        rx.el.div(
            _recent_documents(),
            _recent_activity(),
            style={
                "display": "grid",
                "gap": theme.SPACE_6,
                "align_items": "start",
                "margin_top": theme.SPACE_10,
                theme.DESKTOP: {"grid_template_columns": "1fr 1fr"},
            },
        ),
        rx.cond(viewing, rx.fragment(), _who_you_are()),
        _organizations(),
    )
