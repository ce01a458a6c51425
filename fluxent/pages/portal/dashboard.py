"""Portal dashboard: who you are, your organizations and your role in each, the way to each area.

While an administrator views the portal as a client, the organizations shown are
the one being viewed (the server agreed to it, see ``ViewAsState``).
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.portal_layout import avatar, portal_page
from fluxent.state.session import SessionState
from fluxent.state.view_as import ViewAsState

# The areas a client goes to most, with what they will find there.
SHORTCUTS = (
    ("briefcase", "Engagements", "Scope, milestones and progress of each fixed-price build.", routes.PORTAL_ENGAGEMENTS),
    ("file-text", "Documents", "Proposals, statements of work and contracts to review or sign.", routes.PORTAL_DOCUMENTS),
    ("receipt", "Invoices", "Milestone invoices, receipts and payment status.", routes.PORTAL_INVOICES),
)

_SECTION_HEADING = {**theme.HEADING_2, "margin": f"0 0 {theme.SPACE_4}", "font_size": theme.TEXT_LG}


def _organization_card(organization: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.icon("building-2", size=20),
            aria_hidden="true",
            style=theme.icon_tile(background=theme.INK, color=theme.MINT),
        ),
        rx.el.div(
            rx.el.p(organization["name"], style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "line_height": theme.LEADING_SNUG}),
            rx.el.p("Client organization", style={"margin": "0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM}),
            style={"flex": "1", "min_width": "0"},
        ),
        rx.el.span(
            organization["role"],
            style={"padding": f"{theme.SPACE_1} {theme.SPACE_3}", "border_radius": theme.RADIUS_PILL, "background": theme.ACCENT_SOFT, "color": theme.ACCENT, "font_size": theme.TEXT_XS, "font_weight": theme.WEIGHT_BOLD},
        ),
        style={**theme.CARD, "display": "flex", "align_items": "center", "gap": theme.SPACE_4},
    )


def _viewed_organization() -> rx.Component:
    return rx.el.ul(
        _organization_card({"name": ViewAsState.viewing_name, "role": "Read only"}),  # type: ignore[arg-type]
        style={"list_style": "none", "margin": "0", "padding": "0", "display": "grid", "gap": theme.SPACE_4, theme.TABLET_UP: {"grid_template_columns": "repeat(2, 1fr)"}},
    )


def _organizations() -> rx.Component:
    return rx.el.section(
        rx.el.h2(rx.cond(ViewAsState.viewing_name != "", "Organization", "Your organizations"), id="organizations-heading", style=_SECTION_HEADING),
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
            rx.el.ul(
                rx.foreach(SessionState.organizations, _organization_card),
                style={"list_style": "none", "margin": "0", "padding": "0", "display": "grid", "gap": theme.SPACE_4, theme.TABLET_UP: {"grid_template_columns": "repeat(2, 1fr)"}},
            ),
            rx.el.p(
                "You are not part of a client organization yet. Your delivery lead adds you when an engagement starts.",
                style={**theme.CARD, "margin": "0", "color": theme.TEXT_MUTED},
            ),
        ),
    )


def _fact(icon: str, label: str, value: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.dt(rx.icon(icon, size=14, aria_hidden="true"), label, style={"display": "flex", "align_items": "center", "gap": theme.SPACE_2, "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS}),
        rx.el.dd(value, style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.INK, "font_weight": theme.WEIGHT_MEDIUM, "font_size": theme.TEXT_SM, "overflow_wrap": "anywhere"}),
        style={"min_width": "0"},
    )


def _who_you_are() -> rx.Component:
    """The signed-in person at a glance, with the way to their own settings."""
    return rx.el.section(
        rx.el.div(
            avatar("56px"),
            rx.el.div(
                rx.el.h2(SessionState.user_name, id="who-heading", style={**theme.HEADING_2, "font_size": theme.TEXT_XL}),
                rx.el.p("Signed in as ", SessionState.user_role.lower(), style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM}),  # type: ignore[attr-defined]
                style={"min_width": "0"},
            ),
            style={"display": "flex", "align_items": "center", "gap": theme.SPACE_5},
        ),
        rx.el.dl(
            _fact("mail", "E-mail", SessionState.user_email),
            _fact("badge-check", "Role", SessionState.user_role),
            _fact("building-2", "Organizations", SessionState.organizations.length().to_string()),  # type: ignore[attr-defined]
            style={"display": "grid", "gap": theme.SPACE_4, "margin": "0", theme.TABLET_UP: {"grid_template_columns": "2fr 1fr 1fr"}},
        ),
        rx.el.div(
            *[
                rx.el.a(rx.icon(icon, size=16, aria_hidden="true"), label, href=route, style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_4})
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
        style={**theme.CARD, "display": "grid", "gap": theme.SPACE_6, "margin_top": theme.SPACE_8, "background": f"linear-gradient(135deg, {theme.SURFACE} 60%, {theme.ACCENT_SOFT})"},
    )


def _shortcut(icon: str, title: str, text: str, route: str) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            rx.el.span(
                rx.icon(icon, size=20),
                aria_hidden="true",
                style=theme.icon_tile(theme.ICON_TILE_SM),
            ),
            rx.el.span(title, style={"display": "block", "margin_top": theme.SPACE_4, "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "font_size": theme.TEXT_MD}),
            rx.el.span(text, style={"display": "block", "margin_top": theme.SPACE_1, "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}),
            rx.el.span(
                "Open",
                rx.icon("arrow-right", size=14, aria_hidden="true"),
                style={"display": "inline-flex", "align_items": "center", "gap": theme.SPACE_1, "margin_top": theme.SPACE_4, "color": theme.ACCENT, "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            href=route,
            style={**theme.CARD, "display": "block", "height": "100%", "text_decoration": "none", "transition": theme.TRANSITION, "&:hover": {"border_color": theme.LINE_STRONG, "box_shadow": theme.SHADOW_MD, "transform": "translateY(-2px)"}},
        )
    )


def _shortcuts() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Jump back in", id="shortcuts-heading", style=_SECTION_HEADING),
        rx.el.ul(
            *[_shortcut(*item) for item in SHORTCUTS],
            style={"list_style": "none", "margin": "0", "padding": "0", "display": "grid", "gap": theme.SPACE_4, theme.TABLET_UP: {"grid_template_columns": "repeat(3, 1fr)"}},
        ),
        aria_labelledby="shortcuts-heading",
        style={"margin_top": theme.SPACE_10},
    )


@portal_page(routes.PORTAL, title="Dashboard", description="Your engagements, documents and invoices with Fluxent.")
def page() -> rx.Component:
    viewing = ViewAsState.viewing_name != ""
    heading_style = {**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}
    lead_style = {"margin": "0", "color": theme.TEXT_MUTED, "max_width": "60ch"}
    return rx.fragment(
        rx.cond(
            viewing,
            rx.el.div(
                rx.el.h1(ViewAsState.viewing_name, style=heading_style),
                rx.el.p("The portal as this organization's members see it. Nothing can be changed from here.", style=lead_style),
            ),
            rx.el.div(
                rx.el.h1("Welcome, ", SessionState.user_name, style=heading_style),
                rx.el.p("Everything for your builds with Fluxent: engagements, documents and invoices in one place.", style=lead_style),
            ),
        ),
        rx.cond(viewing, rx.fragment(), _who_you_are()),
        _organizations(),
        _shortcuts(),
    )
